import type { Rng } from "@macnet/core";
import { C_ANGSTROM_PER_S, FLUX_UNIT_CGS, H_ERG_S } from "../physics/constants.ts";

/** LAMOST's two spectrograph arms. */
export type Arm = "blue" | "red";

/** Pixels along the dispersion axis (FITS NAXIS1 of a frame). */
export const DISPERSION_PIXELS = 4096;
/** Distance between neighbouring fibre traces on the CCD, pixels. */
export const FIBRE_PITCH_PX = 14;
/** Rows above the first and below the last trace. */
export const FRAME_MARGIN_PX = 24;
/** LAMOST low-resolution mode, λ/Δλ (FWHM). */
export const RESOLVING_POWER = 1800;

/** Detector and exposure constants (LAMOST-like 4k CCDs, one 30-minute exposure). */
export const DETECTOR = {
  gainElectronsPerAdu: 1.2,
  readNoiseElectrons: 3.5,
  biasAdu: 1000,
  saturationAdu: 65535,
  exposureS: 1800,
  /** Effective collecting area of the 4 m pupil after obstruction, cm². */
  areaCm2: 1.0e5,
  /** Cosmic-ray hits per frame in a 30-minute exposure. */
  cosmicRaysPerFrame: 1500,
  deadColumnsPerFrame: 3,
  hotPixelsPerFrame: 40,
} as const;

/**
 * Anchor points (pixel, vacuum Å) of each arm's dispersion relation. The inner two are the paper's
 * (blue pixels 1000–3000 ≈ 4100–5300 Å, red 1500–3500 ≈ 6590–8120 Å); the ends give ranges close
 * to LAMOST's arms (blue 3580–5920 Å, red 5500–8620 Å) with the dispersion varying by about 30% across
 * the CCD. A cubic through them is the non-linear solution written to every frame header.
 */
const ANCHORS: Record<Arm, Array<[number, number]>> = {
  blue: [
    [0, 3580],
    [1000, 4100],
    [3000, 5300],
    [4095, 5920],
  ],
  red: [
    [0, 5500],
    [1500, 6590],
    [3500, 8120],
    [4095, 8620],
  ],
};

/** λ(x) = Σ c[k]·x^k, x the 0-based pixel index along the dispersion axis. */
export type WavelengthSolution = number[];

/** The nominal cubic of an arm (exact through its anchors). */
export function nominalSolution(arm: Arm): WavelengthSolution {
  const anchors = ANCHORS[arm];
  const scale = DISPERSION_PIXELS - 1;
  // Solve the Vandermonde system in u = x/scale (well conditioned), then convert to x.
  const matrix = anchors.map(([x]) => [1, x / scale, (x / scale) ** 2, (x / scale) ** 3]);
  const values = anchors.map(([, angstrom]) => angstrom);
  const u = solveLinear(matrix, values);
  return u.map((coefficient, power) => coefficient / scale ** power);
}

/** A frame's solution: the nominal one shifted and stretched slightly, as each camera differs. */
export function frameSolution(arm: Arm, rng: Rng): WavelengthSolution {
  const shift = rng.normal(0, 1.2);
  const stretch = 1 + rng.normal(0, 2e-4);
  return nominalSolution(arm).map((coefficient, power) =>
    power === 0 ? coefficient * stretch + shift : coefficient * stretch,
  );
}

/** Wavelength (Å) at pixel x. */
export function wavelengthAt(solution: WavelengthSolution, x: number): number {
  let value = 0;
  for (let k = solution.length - 1; k >= 0; k--) value = value * x + (solution[k] as number);
  return value;
}

/** dλ/dx (Å per pixel) at pixel x. */
export function dispersionAt(solution: WavelengthSolution, x: number): number {
  let value = 0;
  for (let k = solution.length - 1; k >= 1; k--) value = value * x + k * (solution[k] as number);
  return value;
}

/** Pixel (fractional) where the solution reaches `angstrom`, by Newton iteration. */
export function pixelAt(solution: WavelengthSolution, angstrom: number): number {
  let x = (angstrom - (solution[0] as number)) / (solution[1] as number);
  for (let i = 0; i < 20; i++) x -= (wavelengthAt(solution, x) - angstrom) / dispersionAt(solution, x);
  return x;
}

/**
 * Total throughput (atmosphere, telescope, fibre aperture for a point source, spectrograph, CCD QE)
 * of an arm at λ: a broad bell cut by the dichroic at ≈5800 Å.
 */
export function armThroughput(arm: Arm, angstrom: number): number {
  if (arm === "blue") {
    return (0.12 * Math.exp(-0.5 * ((angstrom - 4750) / 800) ** 2)) / (1 + Math.exp((angstrom - 5850) / 25));
  }
  return (0.16 * Math.exp(-0.5 * ((angstrom - 7300) / 1400) ** 2)) / (1 + Math.exp((5750 - angstrom) / 25));
}

/** Electrons per pixel from 1 unit (1e-17 erg s⁻¹ cm⁻² Å⁻¹) of flux density, before fibre throughput. */
export function electronsPerFluxUnit(arm: Arm, angstrom: number, pixelWidthAngstrom: number): number {
  const photonEnergy = (H_ERG_S * C_ANGSTROM_PER_S) / angstrom;
  return (
    (FLUX_UNIT_CGS * DETECTOR.areaCm2 * DETECTOR.exposureS * pixelWidthAngstrom * armThroughput(arm, angstrom)) /
    photonEnergy
  );
}

function solveLinear(matrix: number[][], values: number[]): number[] {
  const n = values.length;
  const a = matrix.map((row, i) => [...row, values[i] as number]);
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++)
      if (Math.abs(a[row]?.[column] ?? 0) > Math.abs(a[pivot]?.[column] ?? 0)) pivot = row;
    [a[column], a[pivot]] = [a[pivot] as number[], a[column] as number[]];
    const pivotRow = a[column] as number[];
    for (let row = 0; row < n; row++) {
      if (row === column) continue;
      const current = a[row] as number[];
      const factor = (current[column] as number) / (pivotRow[column] as number);
      for (let k = column; k <= n; k++) current[k] = (current[k] as number) - factor * (pivotRow[k] as number);
    }
  }
  return a.map((row, i) => (row[n] as number) / (row[i] as number));
}
