import { MAX_SPECTRUM_PIXELS } from "@macnet/db/stored-bounds";
import type { FitsFile, FitsHeader } from "@macnet/fits";
import {
  checkLength,
  finiteFloat32,
  type IngestItem,
  InputError,
  lamostFibreKey,
  type ObjectRecord,
  parseClass,
  wholeId,
} from "../records.ts";

/** Object facts from a LAMOST 1D header (any data release). */
function lamostObject(header: FitsHeader): ObjectRecord {
  const obsid = header.get("OBSID");
  const planId = header.string("PLANID");
  const lmjd = header.number("LMJD");
  const spid = header.number("SPID");
  const fiber = header.number("FIBERID");
  const keys: string[] = [];
  const id = typeof obsid === "number" || typeof obsid === "bigint" ? wholeId(obsid, "OBSID") : undefined;
  if (id !== undefined) keys.push(`obsid:${id}`);
  if (planId && lmjd !== undefined && spid !== undefined && fiber !== undefined)
    keys.push(lamostFibreKey(lmjd, planId, spid, fiber));
  if (keys.length === 0)
    throw new InputError("no OBSID and no PLANID/LMJD/SPID/FIBERID: cannot tell which object this is", "OBSID");
  const ra = header.number("RA");
  const dec = header.number("DEC");
  if (ra === undefined || dec === undefined || ra < 0 || ra >= 360 || dec < -90 || dec > 90) {
    throw new InputError(`missing or invalid RA/DEC (${ra}, ${dec})`, "RA");
  }
  return {
    keys,
    obsid: id,
    designation: header.string("DESIG")?.replace(/^LAMOST\s+/, ""),
    raDeg: ra,
    decDeg: dec,
    catalogClass: parseClass(header.get("CLASS"), "CLASS"),
    subclass: header.string("SUBCLASS") || undefined,
    redshift: header.number("Z"),
    planId,
    lmjd,
    spectrographId: spid,
    fiberId: fiber,
    release: header.string("DATA_V"),
  };
}

/**
 * A LAMOST low-resolution 1D spectrum: DR1–DR7 (5-row primary image; row 3 is the wavelength in
 * DR7 but continuum-normalised flux in DR1, so the wavelength comes from COEFF0/COEFF1 there) or
 * DR8+ (empty primary, one-row COADD table).
 */
export function readLamostSpectrum(file: FitsFile): IngestItem {
  const primary = file.hdus[0];
  if (!primary) throw new InputError("no primary HDU");
  const object = lamostObject(primary.header);
  const coadd = file.find("COADD");
  let flux: ArrayLike<number>;
  let ivar: ArrayLike<number>;
  let wavelength: ArrayLike<number>;
  if (coadd?.kind === "bintable") {
    const table = file.readTable(coadd);
    if (table.rows !== 1) throw new InputError(`COADD has ${table.rows} rows, expected 1`, "COADD");
    flux = table.column("FLUX")[0] as Float64Array;
    ivar = table.column("IVAR")[0] as Float64Array;
    wavelength = table.column("WAVELENGTH")[0] as Float64Array;
  } else {
    const image = file.readImage(primary);
    const [length, rows] = image.shape;
    if (image.shape.length !== 2 || rows === undefined || rows < 3 || !length) {
      throw new InputError(`primary image has shape ${image.shape.join("×") || "(none)"}, expected N × 5`, "NAXIS2");
    }
    flux = image.data.subarray(0, length);
    ivar = image.data.subarray(length, 2 * length);
    const rowThree = (primary.header.string("EXTEN0") ?? "").toUpperCase();
    if (rowThree.includes("WAVELENGTH")) {
      wavelength = image.data.subarray(2 * length, 3 * length);
    } else {
      const coeff0 = primary.header.number("COEFF0");
      const coeff1 = primary.header.number("COEFF1");
      if (coeff0 === undefined || coeff1 === undefined)
        throw new InputError("no wavelength row and no COEFF0/COEFF1", "COEFF0");
      wavelength = Float64Array.from({ length }, (_, i) => 10 ** (coeff0 + coeff1 * i));
    }
  }
  checkLength(flux.length, MAX_SPECTRUM_PIXELS, "the spectrum", "FLUX");
  if (flux.length !== ivar.length || flux.length !== wavelength.length) {
    throw new InputError(
      `FLUX, IVAR and WAVELENGTH lengths differ (${flux.length}, ${ivar.length}, ${wavelength.length})`,
      "FLUX",
    );
  }
  const spectrum = {
    survey: "LAMOST" as const,
    flux: finiteFloat32(flux, "FLUX"),
    ivar: finiteFloat32(ivar, "IVAR"),
    wavelength: finiteFloat32(wavelength, "WAVELENGTH"),
  };
  for (let i = 1; i < spectrum.wavelength.length; i++) {
    if ((spectrum.wavelength[i] as number) <= (spectrum.wavelength[i - 1] as number))
      throw new InputError(`WAVELENGTH is not increasing at index ${i}`, "WAVELENGTH");
  }
  return { object, spectrum1d: spectrum };
}

/** An SDSS/BOSS spec-lite file: COADD (flux, loglam, ivar) and SPECOBJ or SPALL (labels, PLUG_RA/PLUG_DEC). */
export function readSdssSpectrum(file: FitsFile): IngestItem {
  const coadd = file.find("COADD");
  const info = file.find("SPECOBJ") ?? file.find("SPALL");
  if (coadd?.kind !== "bintable" || !info || info.kind !== "bintable")
    throw new InputError("needs COADD and SPECOBJ/SPALL tables", "COADD");
  const table = file.readTable(info);
  const value = (name: string) => {
    try {
      return table.column(name)[0];
    } catch {
      return undefined;
    }
  };
  const plate = Number(value("PLATE"));
  const mjd = Number(value("MJD"));
  const fiber = Number(value("FIBERID"));
  const ra = Number(value("PLUG_RA"));
  const dec = Number(value("PLUG_DEC"));
  if (!Number.isFinite(ra) || !Number.isFinite(dec) || ra < 0 || ra >= 360 || dec < -90 || dec > 90) {
    throw new InputError(`missing or invalid PLUG_RA/PLUG_DEC (${ra}, ${dec})`, "PLUG_RA");
  }
  const keys: string[] = [];
  if (Number.isFinite(plate) && Number.isFinite(mjd) && Number.isFinite(fiber))
    keys.push(`sdss-spec:${plate}/${mjd}/${fiber}`);
  const bestObjId = String(value("BESTOBJID") ?? "").trim();
  const sdssObjId = /^\d{10,20}$/.test(bestObjId) && bestObjId !== "0" ? BigInt(bestObjId) : undefined;
  if (sdssObjId) keys.push(`sdss-obj:${sdssObjId}`);
  if (keys.length === 0) throw new InputError("no PLATE/MJD/FIBERID and no BESTOBJID", "PLATE");
  checkLength(coadd.header.number("NAXIS2") ?? 0, MAX_SPECTRUM_PIXELS, "the spectrum", "flux");
  const spectrum = file.readTable(coadd);
  const loglam = spectrum.column("loglam").map(Number);
  return {
    object: {
      keys,
      sdssObjId,
      raDeg: ra,
      decDeg: dec,
      catalogClass: parseClass(value("CLASS"), "CLASS"),
      subclass: String(value("SUBCLASS") ?? "").trim() || undefined,
      redshift: Number(value("Z")),
      release: "SDSS",
    },
    spectrum1d: {
      survey: "SDSS",
      flux: finiteFloat32(spectrum.column("flux").map(Number), "flux"),
      ivar: finiteFloat32(spectrum.column("ivar").map(Number), "ivar"),
      wavelength: finiteFloat32(
        loglam.map((log) => 10 ** log),
        "loglam",
      ),
    },
  };
}
