import { MAX_STRIP_LENGTH_PX, STRIP_ROWS } from "@macnet/db/stored-bounds";
import type { FitsFile, Hdu, StoredImageRows } from "@macnet/fits";
import { checkLength, type IngestItem, InputError, lamostFibreKey, type StripRecord, wholeId } from "../records.ts";
import { statsFromSums } from "../strip-digest.ts";
import { stripArray } from "./strip-buffers.ts";

/** Rows kept around the trace: the paper cuts 15 and keeps the central 11 (the edges carry neighbours' light). */
export const STRIP_ROWS_KEPT = STRIP_ROWS;

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
 * Writes the strip's rows into `data` and returns the sums of the float32 values written, for the
 * statistics. Row k at column x interpolates frame rows below[x] + k·length and the one after by
 * weights[x], then scales. Column by column: the 12 frame pixels of a column are each read once
 * (row by row read each twice and ran 2.3× slower).
 */
function cutStrip(
  frame: ArrayLike<number>,
  below: Int32Array,
  weights: Float64Array,
  length: number,
  offset: number,
  scale: number,
  data: Float32Array,
): { sum: number; squares: number; min: number; max: number } {
  let sum = 0;
  let squares = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let x = 0; x < length; x++) {
    let at = below[x] as number;
    const weight = weights[x] as number;
    let low = frame[at] as number;
    for (let k = 0; k < STRIP_ROWS_KEPT; k++) {
      at += length;
      const high = frame[at] as number;
      const value = Math.fround(offset + scale * (low + weight * (high - low)));
      data[k * length + x] = value;
      sum += value;
      squares += value * value;
      if (value < min) min = value;
      if (value > max) max = value;
      low = high;
    }
  }
  return { sum, squares, min, max };
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
    checkLength(naxis1, MAX_STRIP_LENGTH_PX, "the frame's dispersion axis", "NAXIS1");
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
  const centres = new Float64Array(length);
  const below = new Int32Array(length);
  const weights = new Float64Array(length);
  // Traces overlap by design, so one read of the frame costs less than one per trace band. The
  // pixels stay as stored (16-bit integers, usually): scaling is linear, so it is applied to the
  // interpolated strip values only, not to all ~15 million pixels.
  const asStored = primary.header.number("BITPIX") !== 64 && !primary.header.has("BLANK");
  const image = asStored ? file.readStoredRows(primary, 0, rows, { inPlace: true }) : undefined;
  const frame = image
    ? (image.stored as Exclude<StoredImageRows["stored"], BigInt64Array>)
    : file.readImageRows(primary, 0, rows);
  const scale = image ? image.bscale : 1;
  const offset = (image ? image.bzero : 0) - bias;
  for (let row = 0; row < table.rows; row++) {
    if (String(types[row]).trim().toUpperCase() !== "TARGET") continue;
    const trace = traces[row] as Float64Array;
    if (!(trace instanceof Float64Array) || trace.length < 2)
      throw new InputError(`TRACE of fibre ${ids[row]} is not a polynomial`, "TRACE");
    // The trace's row at every column (Horner), then the strip (cutStrip).
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let x = 0; x < length; x++) {
      let c = 0;
      for (let power = trace.length - 1; power >= 0; power--) c = c * x + (trace[power] as number);
      centres[x] = c;
      if (c < low) low = c;
      if (c > high) high = c;
    }
    const half = (STRIP_ROWS_KEPT - 1) / 2;
    const first = Math.floor(low - half) - 1;
    const last = Math.ceil(high + half) + 1;
    if (!Number.isFinite(low) || !Number.isFinite(high) || first < 0 || last >= rows)
      throw new InputError(`trace of fibre ${ids[row]} leaves the frame`, "TRACE");
    // Row k of the strip lies k rows below row 0 at every column: the pixel pair and the
    // interpolation weight depend on the column only.
    for (let x = 0; x < length; x++) {
      const y = (centres[x] as number) - half;
      const y0 = Math.floor(y);
      below[x] = y0 * length + x;
      weights[x] = y - y0;
    }
    const data = stripArray(STRIP_ROWS_KEPT * length);
    const sums = cutStrip(frame, below, weights, length, offset, scale, data);
    const obsid = wholeId(obsids[row] as bigint | number, "OBSID");
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
        {
          arm: side,
          widthPx: STRIP_ROWS_KEPT,
          lengthPx: length,
          pixelStart: 0,
          data,
          wavelengthCoeffs: coefficients,
          stats: statsFromSums(sums.sum, sums.squares, sums.min, sums.max, data.length),
        },
      ],
    });
  }
  return items;
}

/** A pre-cut strip (rows around the trace, centre row = trace): the central 11 rows are kept. */
export function readPrecutStrip(file: FitsFile): IngestItem {
  const primary = file.hdus[0];
  if (!primary) throw new InputError("no primary HDU");
  checkLength(primary.header.number("NAXIS1") ?? 0, MAX_STRIP_LENGTH_PX, "the strip", "NAXIS1");
  const image = file.readImage(primary);
  const [length, width] = image.shape;
  if (image.shape.length !== 2 || !length || !width || width < STRIP_ROWS_KEPT) {
    throw new InputError(`strip has shape ${image.shape.join("×")}, expected ≥ ${STRIP_ROWS_KEPT} rows`, "NAXIS2");
  }
  const obsid = primary.header.get("OBSID");
  if (typeof obsid !== "number" && typeof obsid !== "bigint") throw new InputError("strip has no OBSID", "OBSID");
  const skip = Math.floor((width - STRIP_ROWS_KEPT) / 2);
  const data = stripArray(STRIP_ROWS_KEPT * length);
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
  const id = wholeId(obsid, "OBSID");
  return { object: { keys: [`obsid:${id}`], obsid: id }, strips: [strip] };
}
