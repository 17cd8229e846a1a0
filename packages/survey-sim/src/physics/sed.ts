import { C_KM_PER_S, FWHM_TO_SIGMA, HC_OVER_K_ANGSTROM_K } from "./constants.ts";

/** A spectral line in the source's rest frame. */
export interface SpectralLine {
  restAngstrom: number;
  /** Rest-frame equivalent width in Å, positive for both emission and absorption. */
  ewAngstrom: number;
  kind: "emission" | "absorption";
  /** Velocity dispersion (km/s); broadening in Å is at least `minSigmaAngstrom`. */
  sigmaKmS: number;
  minSigmaAngstrom?: number;
}

/** A molecular band: flux drops by `depth` at the head and recovers linearly over `widthAngstrom` to the red. */
export interface MolecularBand {
  headAngstrom: number;
  widthAngstrom: number;
  depth: number;
}

/** Everything needed to evaluate an object's observed spectrum at any wavelength. */
export interface SourceSpectrum {
  redshift: number;
  /** Rest-frame continuum shape (arbitrary units, f_λ). */
  continuum: (restAngstrom: number) => number;
  lines: SpectralLine[];
  bands: MolecularBand[];
  /** Apply the mean Lyman-α forest and Lyman-limit absorption (quasars). */
  intergalacticAbsorption: boolean;
  /** Galactic reddening E(B−V), applied in the observed frame. */
  ebv: number;
  /** Multiplies everything: set so the synthetic r magnitude is the object's. */
  scale: number;
}

/** Options for evaluating a spectrum as an instrument sees it. */
export interface EvaluateOptions {
  /** Resolving power λ/Δλ (FWHM) of the instrument; omit for the intrinsic spectrum. */
  resolvingPower?: number;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Normalised Planck shape B_λ(T), peak-independent (λ in Å). */
export function planck(angstrom: number, temperatureK: number): number {
  const x = HC_OVER_K_ANGSTROM_K / (angstrom * temperatureK);
  return x > 700 ? 0 : 1 / (angstrom ** 5 * Math.expm1(x));
}

/**
 * Observed f_λ (units of 1e-17 erg s⁻¹ cm⁻² Å⁻¹ once `scale` is set) at each vacuum wavelength of
 * the ascending `wavelengths`. Lines are Gaussians, broadened by the instrument when asked.
 */
export function evaluateSpectrum(
  source: SourceSpectrum,
  wavelengths: Float64Array,
  options: EvaluateOptions = {},
): Float64Array {
  const onePlusZ = 1 + source.redshift;
  const out = new Float64Array(wavelengths.length);
  for (let i = 0; i < wavelengths.length; i++) {
    const observed = wavelengths[i] as number;
    const rest = observed / onePlusZ;
    let flux = source.continuum(rest);
    for (const band of source.bands) {
      const offset = rest - band.headAngstrom;
      if (offset >= 0 && offset < band.widthAngstrom) flux *= 1 - band.depth * (1 - offset / band.widthAngstrom);
    }
    out[i] = flux;
  }
  const emission = new Float64Array(wavelengths.length);
  for (const line of source.lines) {
    const centre = line.restAngstrom * onePlusZ;
    const intrinsic = Math.max(line.minSigmaAngstrom ?? 0, (line.restAngstrom * line.sigmaKmS) / C_KM_PER_S) * onePlusZ;
    const instrumental = options.resolvingPower ? (centre / options.resolvingPower) * FWHM_TO_SIGMA : 0;
    const sigma = Math.sqrt(intrinsic * intrinsic + instrumental * instrumental);
    const ewObserved = line.ewAngstrom * onePlusZ;
    const [from, to] = windowIndices(wavelengths, centre - 6 * sigma, centre + 6 * sigma);
    if (from >= to) continue;
    const continuumAtCentre = source.continuum(line.restAngstrom);
    if (line.kind === "absorption") {
      const depth = Math.min(0.95, ewObserved / (sigma * SQRT_2PI));
      for (let i = from; i < to; i++) {
        const u = ((wavelengths[i] as number) - centre) / sigma;
        out[i] = (out[i] as number) * (1 - depth * Math.exp(-0.5 * u * u));
      }
    } else {
      const amplitude = (ewObserved * continuumAtCentre) / (sigma * SQRT_2PI);
      for (let i = from; i < to; i++) {
        const u = ((wavelengths[i] as number) - centre) / sigma;
        emission[i] = (emission[i] as number) + amplitude * Math.exp(-0.5 * u * u);
      }
    }
  }
  for (let i = 0; i < wavelengths.length; i++) {
    const observed = wavelengths[i] as number;
    let flux = (out[i] as number) + (emission[i] as number);
    if (source.intergalacticAbsorption) flux *= intergalacticTransmission(observed, source.redshift);
    if (source.ebv > 0) flux *= 10 ** (-0.4 * 3.1 * source.ebv * (5500 / observed) ** 1.3);
    out[i] = flux * source.scale;
  }
  return out;
}

/** Mean transmission of the intergalactic medium (Lyα forest, τ = 0.0036 (1+z)^3.46; Lyman limit). */
export function intergalacticTransmission(observedAngstrom: number, redshift: number): number {
  const rest = observedAngstrom / (1 + redshift);
  if (rest < 912) return 0.02;
  if (rest >= 1215.67) return 1;
  const zAbsorber = observedAngstrom / 1215.67 - 1;
  return Math.exp(-0.0036 * (1 + zAbsorber) ** 3.46);
}

/** [from, to) indices of the ascending array's values inside [low, high]. */
export function windowIndices(sorted: Float64Array, low: number, high: number): [number, number] {
  return [lowerBound(sorted, low), lowerBound(sorted, high)];
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
