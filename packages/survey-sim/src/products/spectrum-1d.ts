import { Rng } from "@macnet/core";
import { type Card, writeFits } from "@macnet/fits";
import { skyContinuumMagnitude, skySpectrum } from "../instrument/sky.ts";
import {
  armThroughput,
  DETECTOR,
  DISPERSION_PIXELS,
  electronsPerFluxUnit,
  nominalSolution,
  RESOLVING_POWER,
  wavelengthAt,
} from "../instrument/spectrograph.ts";
import { abMagToFlambda } from "../physics/constants.ts";
import { evaluateSpectrum, type SourceSpectrum } from "../physics/sed.ts";
import type { Plan, SimulatedObject } from "../survey-plan.ts";

/** LAMOST DR7's log-linear grid: log10 λ = COEFF0 + COEFF1·i, 3909 pixels (3700–9100 Å). */
export const DR7_GRID = { coeff0: 3.5682, coeff1: 1e-4, pixels: 3909 } as const;
/** LAMOST pixel-mask bits used here. */
export const MASK = { BADCCD: 1, BRIGHTSKY: 8, NODATA: 32 } as const;

/** Wavelengths each arm's CCD covers: the 1D product has no data outside them. */
const COVERAGE = {
  blue: [wavelengthAt(nominalSolution("blue"), 0), wavelengthAt(nominalSolution("blue"), DISPERSION_PIXELS - 1)],
  red: [wavelengthAt(nominalSolution("red"), 0), wavelengthAt(nominalSolution("red"), DISPERSION_PIXELS - 1)],
} as const;

const GRID = Float64Array.from({ length: DR7_GRID.pixels }, (_, i) => 10 ** (DR7_GRID.coeff0 + DR7_GRID.coeff1 * i));

/** Signal-to-noise per SDSS band, as the LAMOST catalogue reports it. */
export interface BandSnr {
  u: number;
  g: number;
  r: number;
  i: number;
  z: number;
}

/** The 1D product of one object: flux-calibrated, sky-subtracted, with ivar and masks. */
export interface Spectrum1D {
  wavelength: Float64Array;
  flux: Float32Array;
  ivar: Float32Array;
  andMask: Float32Array;
  orMask: Float32Array;
  snr: BandSnr;
}

const BAND_RANGES: Record<keyof BandSnr, [number, number]> = {
  u: [3700, 4000],
  g: [4000, 5450],
  r: [5550, 6900],
  i: [6950, 8350],
  z: [8350, 9100],
};

/**
 * Simulates the LAMOST pipeline's 1D spectrum of an object: the true spectrum at the survey's
 * resolution plus noise from source, sky and read-out in both arms (combined by inverse variance
 * where they overlap), with sky-subtraction residuals at bright sky lines. Its noise is drawn
 * independently of the 2D frame's, as a reduction of the same exposure would differ anyway.
 */
export function simulateSpectrum1D(options: {
  seed: number;
  object: SimulatedObject;
  source: SourceSpectrum;
  plan: Plan;
}): Spectrum1D {
  const rng = new Rng(options.seed, "spectrum-1d", options.object.index);
  const truth = evaluateSpectrum(options.source, GRID, { resolvingPower: RESOLVING_POWER });
  const sky = skySpectrum(GRID, options.plan.sky, RESOLVING_POWER);
  const flux = new Float32Array(GRID.length);
  const ivar = new Float32Array(GRID.length);
  const andMask = new Float32Array(GRID.length);
  for (let i = 0; i < GRID.length; i++) {
    const angstrom = GRID[i] as number;
    const pixelWidth = angstrom * Math.LN10 * DR7_GRID.coeff1;
    const skyContinuum = abMagToFlambda(skyContinuumMagnitude(angstrom, options.plan.sky.moonMag), angstrom);
    let inverseVariance = 0;
    for (const arm of ["blue", "red"] as const) {
      const [low, high] = COVERAGE[arm];
      if (angstrom < low || angstrom > high || armThroughput(arm, angstrom) < 0.004) continue;
      const conversion = electronsPerFluxUnit(arm, angstrom, pixelWidth);
      const readVariance = 11 * DETECTOR.readNoiseElectrons ** 2 * (pixelWidth / 0.6);
      const variance = ((truth[i] as number) + (sky[i] as number)) * conversion + readVariance;
      inverseVariance += conversion ** 2 / variance;
    }
    const skyLine = (sky[i] as number) - skyContinuum;
    if (inverseVariance === 0) {
      andMask[i] = MASK.NODATA;
      continue;
    }
    const residual = 0.03 * skyLine * rng.normal();
    flux[i] = (truth[i] as number) + rng.normal(0, 1 / Math.sqrt(inverseVariance)) + residual;
    ivar[i] = inverseVariance;
    if (skyLine > 3 * skyContinuum) andMask[i] = MASK.BRIGHTSKY;
  }
  return { wavelength: GRID, flux, ivar, andMask, orMask: Float32Array.from(andMask), snr: bandSnr(flux, ivar) };
}

function bandSnr(flux: Float32Array, ivar: Float32Array): BandSnr {
  const median = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] as number);
  };
  const result = {} as BandSnr;
  for (const band of Object.keys(BAND_RANGES) as Array<keyof BandSnr>) {
    const [low, high] = BAND_RANGES[band];
    const values: number[] = [];
    for (let i = 0; i < GRID.length; i++) {
      const angstrom = GRID[i] as number;
      if (angstrom >= low && angstrom < high && (ivar[i] as number) > 0)
        values.push(Math.max(0, (flux[i] as number) * Math.sqrt(ivar[i] as number)));
    }
    result[band] = Math.round(median(values) * 100) / 100;
  }
  return result;
}

/** LAMOST DR7 file name of an object's 1D spectrum. */
export function spectrumFileName(object: SimulatedObject, plan: Plan): string {
  return `spec-${plan.lmjd}-${plan.planId}_sp${String(object.spectrograph).padStart(2, "0")}-${String(object.fibreId).padStart(3, "0")}.fits`;
}

/** Writes the spectrum in the DR7 layout: a 5 × 3909 float32 primary image with LAMOST's header keywords. */
export function writeSpectrum1D(
  path: string,
  spectrum: Spectrum1D,
  object: SimulatedObject,
  plan: Plan,
  fileName: string,
): void {
  const data = new Float32Array(5 * DR7_GRID.pixels);
  data.set(spectrum.flux, 0);
  data.set(spectrum.ivar, DR7_GRID.pixels);
  data.set(Float32Array.from(spectrum.wavelength), 2 * DR7_GRID.pixels);
  data.set(spectrum.andMask, 3 * DR7_GRID.pixels);
  data.set(spectrum.orMask, 4 * DR7_GRID.pixels);
  const cards: Card[] = [
    { key: "COMMENT", value: "--------FILE INFORMATION" },
    { key: "FILENAME", value: fileName },
    { key: "OBSID", value: object.obsid, comment: "Unique number ID of this spectrum" },
    { key: "AUTHOR", value: "MAC-Net survey simulator", comment: "Who compiled the information" },
    { key: "DATA_V", value: "LAMOST DR7 (simulated)", comment: "Data release version" },
    { key: "EXTEN0", value: "Flux, Inverse, Wavelength, Andmask, Ormask" },
    { key: "ORIGIN", value: "MAC-Net platform", comment: "Simulated, not observed" },
    { key: "TELESCOP", value: "LAMOST", comment: "GuoShouJing Telescope (simulated)" },
    { key: "LMJD", value: plan.lmjd, comment: "Local Modified Julian Day" },
    { key: "MJD", value: plan.lmjd - 1, comment: "Modified Julian Day" },
    { key: "PLANID", value: plan.planId, comment: "Plan ID in use" },
    { key: "RA", value: round(object.raDeg, 6), comment: "[deg] Right ascension of object" },
    { key: "DEC", value: round(object.decDeg, 6), comment: "[deg] Declination of object" },
    { key: "DESIG", value: `LAMOST ${object.designation}`, comment: "Designation of LAMOST target" },
    { key: "FIBERID", value: object.fibreId, comment: "Fiber ID of Object" },
    { key: "SPID", value: object.spectrograph, comment: "Spectrograph ID" },
    { key: "FIBERTYP", value: "Obj", comment: "Fiber type of object" },
    { key: "EXPTIME", value: DETECTOR.exposureS, comment: "[s] Exposure time" },
    { key: "VACUUM", value: true, comment: "Wavelengths are in vacuum" },
    { key: "NWORDER", value: 2, comment: "Number of linear-log10 coefficients" },
    { key: "WFITTYPE", value: "LOG-LINEAR", comment: "Linear-log10 dispersion" },
    { key: "COEFF0", value: DR7_GRID.coeff0, comment: "Central wavelength (log10) of first pixel" },
    { key: "COEFF1", value: DR7_GRID.coeff1, comment: "Log10 dispersion per pixel" },
    { key: "BUNIT", value: "1e-17 erg/s/cm2/Angstrom" },
    { key: "COMMENT", value: "--------SPECTRA ANALYSIS RESULTS" },
    { key: "CLASS", value: object.catalogClass, comment: "Class of object" },
    { key: "SUBCLASS", value: object.catalogSubclass, comment: "Subclass of object" },
    { key: "Z", value: round(object.catalogRedshift, 8), comment: "Redshift of object" },
    { key: "Z_ERR", value: round(object.redshiftError, 8), comment: "Redshift error of object" },
    ...(["u", "g", "r", "i", "z"] as const).map((band) => ({
      key: `SNR${band.toUpperCase()}`,
      value: spectrum.snr[band],
      comment: `SNR of ${band} filter`,
    })),
  ];
  writeFits(path, [{ kind: "image", bitpix: -32, shape: [DR7_GRID.pixels, 5], data, cards }]);
}

/** Rounds for header and CSV output. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
