import { abMagToFlambda, C_KM_PER_S, FWHM_TO_SIGMA } from "../physics/constants.ts";
import { SKY_LINES, TELLURIC_BANDS } from "../physics/lines.ts";
import { windowIndices } from "../physics/sed.ts";

/** Night-sky conditions of one plan. */
export interface SkyConditions {
  /** Continuum brightening by moonlight, magnitudes (0 = dark). */
  moonMag: number;
  /** Scales all OH lines (they vary by tens of percent through a night). */
  ohScale: number;
}

/** Sky continuum through one 3.3″ fibre as an AB magnitude (≈20.6 mag/arcsec² at 5500 Å, redder towards 9000 Å). */
export function skyContinuumMagnitude(angstrom: number, moonMag: number): number {
  const blueWeight = Math.max(0, Math.min(1, (7000 - angstrom) / 3000));
  return 18.3 - (0.6 * (angstrom - 5500)) / 3500 - moonMag * (0.5 + 0.5 * blueWeight);
}

/**
 * Sky flux density through one fibre (1e-17 erg s⁻¹ cm⁻² Å⁻¹) at each wavelength: continuum plus
 * emission lines (OH forest, [O I], Na D and Hg from street lights) at the instrument's resolution.
 */
export function skySpectrum(
  wavelengths: Float64Array,
  conditions: SkyConditions,
  resolvingPower: number,
): Float64Array {
  const out = new Float64Array(wavelengths.length);
  for (let i = 0; i < wavelengths.length; i++) {
    const angstrom = wavelengths[i] as number;
    out[i] = abMagToFlambda(skyContinuumMagnitude(angstrom, conditions.moonMag), angstrom);
  }
  const reference = abMagToFlambda(skyContinuumMagnitude(5578.9, 0), 5578.9);
  for (const line of SKY_LINES) {
    const sigma = Math.hypot((line.angstrom / resolvingPower) * FWHM_TO_SIGMA, (line.angstrom * 3) / C_KM_PER_S);
    const totalFlux = 70 * reference * line.relative * (line.name === "OH" ? conditions.ohScale : 1);
    const amplitude = totalFlux / (sigma * Math.sqrt(2 * Math.PI));
    const [from, to] = windowIndices(wavelengths, line.angstrom - 6 * sigma, line.angstrom + 6 * sigma);
    for (let i = from; i < to; i++) {
      const u = ((wavelengths[i] as number) - line.angstrom) / sigma;
      out[i] = (out[i] as number) + amplitude * Math.exp(-0.5 * u * u);
    }
  }
  return out;
}

/** Fraction of a source's light that passes the atmosphere's molecular bands at λ (vacuum Å). */
export function telluricTransmission(angstrom: number): number {
  let transmission = 1;
  for (const band of TELLURIC_BANDS) {
    if (angstrom < band.start - 10 || angstrom > band.end + 10) continue;
    const inside = 1 / (1 + Math.exp((band.start - angstrom) / 2)) / (1 + Math.exp((angstrom - band.end) / 2));
    transmission *= 1 - band.depth * inside;
  }
  return transmission;
}
