/** Speed of light in Å/s. */
export const C_ANGSTROM_PER_S = 2.99792458e18;
/** Speed of light in km/s. */
export const C_KM_PER_S = 299792.458;
/** Planck constant in erg·s. */
export const H_ERG_S = 6.62607015e-27;
/** hc/k in Å·K (second radiation constant). */
export const HC_OVER_K_ANGSTROM_K = 1.438776877e8;
/** Flux unit of LAMOST and SDSS spectra: 1e-17 erg s⁻¹ cm⁻² Å⁻¹. */
export const FLUX_UNIT_CGS = 1e-17;
/** σ of a Gaussian with FWHM 1. */
export const FWHM_TO_SIGMA = 1 / 2.354820045;

/**
 * Air → vacuum wavelength (Å), the IAU formula of Morton (2000) used by SDSS and LAMOST.
 * Line lists quoted in air are converted once, since LAMOST wavelengths are in vacuum.
 */
export function airToVacuum(airAngstrom: number): number {
  if (airAngstrom < 2000) return airAngstrom;
  const s2 = (1e4 / airAngstrom) ** 2;
  const n = 1 + 8.34254e-5 + 2.406147e-2 / (130 - s2) + 1.5998e-4 / (38.9 - s2);
  return airAngstrom * n;
}

/** AB magnitude → f_λ in units of 1e-17 erg s⁻¹ cm⁻² Å⁻¹ at `wavelengthAngstrom`. */
export function abMagToFlambda(magnitude: number, wavelengthAngstrom: number): number {
  const fnu = 10 ** (-0.4 * (magnitude + 48.6));
  return (fnu * C_ANGSTROM_PER_S) / wavelengthAngstrom ** 2 / FLUX_UNIT_CGS;
}

/** Standard normal cumulative distribution (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
