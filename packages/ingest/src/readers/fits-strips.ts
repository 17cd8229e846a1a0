import type { FitsFile, Hdu } from "@macnet/fits";
import { type IngestItem, InputError, lamostFibreKey, type StripRecord } from "../records.ts";

/** Rows kept around the trace: the paper cuts 15 and keeps the central 11 (the edges carry neighbours' light). */
export const STRIP_ROWS_KEPT = 11;

function arm(value: string | undefined): "BLUE" | "RED" {
  const letter = (value ?? "").trim().toLowerCase();
  if (letter === "b" || letter === "blue") return "BLUE";
  if (letter === "r" || letter === "red") return "RED";
  throw new InputError(`ARM is '${value ?? ""}', expected b or r`, "ARM");
}

function wavelengthCoeffs(hdu: Hdu): number[] {
  const degree = hdu.header.number("WAVEDEG");
  if (degree === undefined || degree < 1 || degree > 9) throw new InputError("missing or invalid WAVEDEG", "WAVEDEG");
  return Array.from({ length: degree + 1 }, (_, k) => {
    const value = hdu.header.number(`WAVEC${k}`);
    if (value === undefined) throw new InputError(`missing WAVEC${k}`, `WAVEC${k}`);
    return value;
  });
}

/**
 * A raw 2D frame with its FIBRES table: for every target fibre, the 11 central rows around the
 * trace (resampled along the drifting trace by linear interpolation), bias-subtracted, full length.
 */
export function readFrame(file: FitsFile): IngestItem[] {
  const primary = file.hdus[0];
  const fibres = file.find("FIBRES");
  if (!primary || !fibres || fibres.kind !== "bintable") throw new InputError("no FIBRES table", "FIBRES");
  const [length, rows] = (() => {
    const naxis1 = primary.header.number("NAXIS1");
    const naxis2 = primary.header.number("NAXIS2");
    if (primary.header.number("NAXIS") !== 2 || !naxis1 || !naxis2)
      throw new InputError("frame is not a 2D image", "NAXIS");
    return [naxis1, naxis2];
  })();
  const side = arm(primary.header.string("ARM"));
  const coefficients = wavelengthCoeffs(primary);
  const bias = primary.header.number("BIASLEV") ?? 0;
  const planId = primary.header.string("PLANID");
  const lmjd = primary.header.number("LMJD");
  const spid = primary.header.number("SPID");
  const table = file.readTable(fibres);
  const ids = table.column("FIBERID");
  const types = table.column("OBJTYPE");
  const obsids = table.column("OBSID");
  const ras = table.column("RA");
  const decs = table.column("DEC");
  const traces = table.column("TRACE");
  const items: IngestItem[] = [];
  // Traces overlap by design, so one decode of the frame costs less than one per trace band.
  const frame = file.readImageRows(primary, 0, rows);
  for (let row = 0; row < table.rows; row++) {
    if (String(types[row]).trim().toUpperCase() !== "TARGET") continue;
    const trace = traces[row] as Float64Array;
    if (!(trace instanceof Float64Array) || trace.length < 2)
      throw new InputError(`TRACE of fibre ${ids[row]} is not a polynomial`, "TRACE");
    const centre = (x: number) => trace.reduce((sum, coefficient, power) => sum + coefficient * x ** power, 0);
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let x = 0; x < length; x += 64) {
      low = Math.min(low, centre(x));
      high = Math.max(high, centre(x));
    }
    low = Math.min(low, centre(length - 1));
    high = Math.max(high, centre(length - 1));
    const half = (STRIP_ROWS_KEPT - 1) / 2;
    const first = Math.floor(low - half) - 1;
    const last = Math.ceil(high + half) + 1;
    if (!Number.isFinite(low) || first < 0 || last >= rows)
      throw new InputError(`trace of fibre ${ids[row]} leaves the frame`, "TRACE");
    const data = new Float32Array(STRIP_ROWS_KEPT * length);
    for (let x = 0; x < length; x++) {
      const c = centre(x);
      for (let k = 0; k < STRIP_ROWS_KEPT; k++) {
        const y = c - half + k - first;
        const y0 = Math.floor(y);
        const t = y - y0;
        const below = frame[(y0 + first) * length + x] as number;
        const above = frame[(y0 + 1 + first) * length + x] as number;
        data[k * length + x] = below + t * (above - below) - bias;
      }
    }
    const obsid = BigInt(obsids[row] as bigint | number);
    const fiberId = Number(ids[row]);
    const keys = [`obsid:${obsid}`];
    if (planId && lmjd !== undefined && spid !== undefined) keys.push(lamostFibreKey(lmjd, planId, spid, fiberId));
    items.push({
      object: {
        keys,
        obsid,
        raDeg: Number(ras[row]),
        decDeg: Number(decs[row]),
        planId,
        lmjd,
        spectrographId: spid,
        fiberId,
        obsDate: primary.header.string("OBSDATE"),
      },
      strips: [
        { arm: side, widthPx: STRIP_ROWS_KEPT, lengthPx: length, pixelStart: 0, data, wavelengthCoeffs: coefficients },
      ],
    });
  }
  return items;
}

/** A pre-cut strip (rows around the trace, centre row = trace): the central 11 rows are kept. */
export function readPrecutStrip(file: FitsFile): IngestItem {
  const primary = file.hdus[0];
  if (!primary) throw new InputError("no primary HDU");
  const image = file.readImage(primary);
  const [length, width] = image.shape;
  if (image.shape.length !== 2 || !length || !width || width < STRIP_ROWS_KEPT) {
    throw new InputError(`strip has shape ${image.shape.join("×")}, expected ≥ ${STRIP_ROWS_KEPT} rows`, "NAXIS2");
  }
  const obsid = primary.header.get("OBSID");
  if (typeof obsid !== "number" && typeof obsid !== "bigint") throw new InputError("strip has no OBSID", "OBSID");
  const skip = Math.floor((width - STRIP_ROWS_KEPT) / 2);
  const data = new Float32Array(STRIP_ROWS_KEPT * length);
  for (let k = 0; k < STRIP_ROWS_KEPT; k++) {
    for (let x = 0; x < length; x++) {
      const value = image.data[(skip + k) * length + x] as number;
      if (!Number.isFinite(value)) throw new InputError(`non-finite pixel at row ${skip + k}, column ${x}`, "DATA");
      data[k * length + x] = value;
    }
  }
  const strip: StripRecord = {
    arm: arm(primary.header.string("ARM")),
    widthPx: STRIP_ROWS_KEPT,
    lengthPx: length,
    pixelStart: 0,
    data,
    wavelengthCoeffs: wavelengthCoeffs(primary),
  };
  return { object: { keys: [`obsid:${obsid}`], obsid: BigInt(obsid) }, strips: [strip] };
}
