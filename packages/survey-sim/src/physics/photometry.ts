import { C_ANGSTROM_PER_S, FLUX_UNIT_CGS } from "./constants.ts";
import { evaluateSpectrum, type SourceSpectrum } from "./sed.ts";

/** SDSS-like g, r, i bandpasses as smooth-edged windows (vacuum Å). */
export const BANDS = {
  g: { blue: 4000, red: 5450, edge: 70, effective: 4770 },
  r: { blue: 5550, red: 6900, edge: 70, effective: 6231 },
  i: { blue: 6950, red: 8350, edge: 80, effective: 7625 },
} as const;
export type Band = keyof typeof BANDS;

const GRID = Float64Array.from({ length: 1401 }, (_, i) => 3700 + i * 4);

function transmission(band: Band, angstrom: number): number {
  const { blue, red, edge } = BANDS[band];
  return 1 / (1 + Math.exp((blue - angstrom) / (edge / 4))) / (1 + Math.exp((angstrom - red) / (edge / 4)));
}

const TRANSMISSION = Object.fromEntries(
  (Object.keys(BANDS) as Band[]).map((band) => [band, GRID.map((angstrom) => transmission(band, angstrom))]),
) as Record<Band, Float64Array>;

/** Synthetic AB magnitude of a spectrum through a band (photon-counting definition). */
export function syntheticMagnitude(source: SourceSpectrum, band: Band): number {
  return fluxToMagnitude(evaluateSpectrum(source, GRID), band);
}

/** Synthetic g, r, i magnitudes from one evaluation. */
export function syntheticMagnitudes(source: SourceSpectrum): Record<Band, number> {
  const flux = evaluateSpectrum(source, GRID);
  return { g: fluxToMagnitude(flux, "g"), r: fluxToMagnitude(flux, "r"), i: fluxToMagnitude(flux, "i") };
}

function fluxToMagnitude(flux: Float64Array, band: Band): number {
  const t = TRANSMISSION[band];
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < GRID.length; i++) {
    const angstrom = GRID[i] as number;
    numerator += (flux[i] as number) * FLUX_UNIT_CGS * angstrom * (t[i] as number);
    denominator += (t[i] as number) / angstrom;
  }
  return -2.5 * Math.log10(numerator / C_ANGSTROM_PER_S / (3631e-23 * denominator));
}

/** AB magnitude → SDSS nanomaggies. */
export function magnitudeToNanomaggies(magnitude: number): number {
  return 10 ** (-0.4 * (magnitude - 22.5));
}

/** Sets `source.scale` so that its synthetic magnitude in `band` equals `magnitude`. */
export function normaliseToMagnitude(source: SourceSpectrum, band: Band, magnitude: number): void {
  source.scale = 1;
  const unscaled = syntheticMagnitude(source, band);
  source.scale = 10 ** (-0.4 * (magnitude - unscaled));
}
