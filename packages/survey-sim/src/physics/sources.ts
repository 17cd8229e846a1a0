import type { Rng } from "@macnet/core";
import { GALAXY_ABSORPTION, NEBULAR, QUASAR_BUMPS, QUASAR_LINES, STELLAR } from "./lines.ts";
import { type Band, normaliseToMagnitude } from "./photometry.ts";
import { type MolecularBand, planck, type SourceSpectrum, type SpectralLine } from "./sed.ts";

/** Physical parameters of a star. */
export interface StarParameters {
  kind: "STAR";
  teffK: number;
  radialVelocityKmS: number;
  ebv: number;
}

/** Physical parameters of a galaxy. */
export interface GalaxyParameters {
  kind: "GALAXY";
  population: "STARFORMING" | "PASSIVE";
  redshift: number;
  /** Fraction of the 5500 Å continuum from young stars. */
  youngFraction: number;
  haEw: number;
  oiiiToHbeta: number;
  niiToHalpha: number;
  velocityDispersionKmS: number;
  /** Bulge-to-total light ratio and sizes for the cutout. */
  bulgeToTotal: number;
  bulgeRadiusKpc: number;
  diskRadiusKpc: number;
  axisRatio: number;
  positionAngleDeg: number;
}

/** Physical parameters of a quasar. */
export interface QuasarParameters {
  kind: "QSO";
  redshift: number;
  /** f_ν ∝ ν^α. */
  alphaNu: number;
  broadFwhmKmS: number;
  /** Multiplies the template equivalent widths (log-normal scatter). */
  lineStrength: number;
  oiiiStrength: number;
  hostFraction: number;
}

export type SourceParameters = StarParameters | GalaxyParameters | QuasarParameters;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Draws a star: Teff from a LAMOST-like mix (mostly F/G/K), small radial velocity and reddening. */
export function drawStar(rng: Rng): StarParameters {
  const u = rng.next();
  const teffK =
    u < 0.08
      ? rng.uniform(3300, 3900)
      : u < 0.3
        ? rng.uniform(3900, 5200)
        : u < 0.8
          ? rng.uniform(5200, 6600)
          : u < 0.95
            ? rng.uniform(6600, 10000)
            : rng.logUniform(10000, 30000);
  return { kind: "STAR", teffK, radialVelocityKmS: rng.normal(0, 40), ebv: rng.uniform(0, 0.12) };
}

/** Draws a galaxy: 55% star-forming, z log-normal around 0.09 within 0.01–0.4. */
export function drawGalaxy(rng: Rng): GalaxyParameters {
  const starForming = rng.chance(0.55);
  const redshift = Math.min(0.4, Math.max(0.01, Math.exp(rng.normal(Math.log(0.09), 0.55))));
  return {
    kind: "GALAXY",
    population: starForming ? "STARFORMING" : "PASSIVE",
    redshift,
    youngFraction: starForming ? rng.uniform(0.35, 0.85) : rng.uniform(0, 0.1),
    haEw: starForming ? rng.logUniform(12, 90) : rng.chance(0.25) ? rng.uniform(0.5, 3) : 0,
    oiiiToHbeta: rng.logUniform(0.3, 3),
    niiToHalpha: rng.uniform(0.25, 0.5),
    velocityDispersionKmS: starForming ? rng.uniform(50, 110) : rng.uniform(140, 260),
    bulgeToTotal: starForming ? rng.uniform(0.03, 0.4) : rng.uniform(0.5, 0.95),
    bulgeRadiusKpc: rng.uniform(0.8, 3.5),
    diskRadiusKpc: rng.uniform(2, 7),
    axisRatio: rng.uniform(0.25, 1),
    positionAngleDeg: rng.uniform(0, 180),
  };
}

/** Draws a quasar: z log-normal around 1.3 within 0.1–4, power-law slope, line widths of thousands of km/s. */
export function drawQuasar(rng: Rng): QuasarParameters {
  const redshift = Math.min(4, Math.max(0.1, Math.exp(rng.normal(Math.log(1.3), 0.55))));
  return {
    kind: "QSO",
    redshift,
    alphaNu: rng.normal(-0.5, 0.3),
    broadFwhmKmS: rng.uniform(2500, 8000),
    lineStrength: Math.exp(rng.normal(0, 0.35)),
    oiiiStrength: Math.exp(rng.normal(0, 0.6)),
    hostFraction: redshift < 0.5 ? rng.uniform(0.1, 0.45) * (1 - redshift / 0.5) : 0,
  };
}

/** MK spectral type of a star from its Teff (e.g. 5778 K → "G2"). */
export function spectralType(teffK: number): string {
  const classes: Array<[string, number, number]> = [
    ["O", 30000, 50000],
    ["B", 10000, 30000],
    ["A", 7500, 10000],
    ["F", 6000, 7500],
    ["G", 5200, 6000],
    ["K", 3700, 5200],
    ["M", 2400, 3700],
  ];
  for (const [letter, low, high] of classes) {
    if (teffK >= low) {
      const digit = Math.min(9, Math.max(0, Math.floor((10 * (high - teffK)) / (high - low))));
      return `${letter}${digit}`;
    }
  }
  return "M9";
}

/** Builds the star's spectrum: Planck continuum, Teff-dependent absorption lines, TiO in M stars. */
export function starSpectrum(star: StarParameters): SourceSpectrum {
  const t = star.teffK;
  const logT = Math.log10(t);
  const balmerEw = 1.2 + 13 * Math.exp(-0.5 * ((logT - 3.975) / (logT > 3.975 ? 0.2 : 0.12)) ** 2);
  const lines: SpectralLine[] = [];
  const absorb = (restAngstrom: number, ewAngstrom: number, minSigmaAngstrom: number) =>
    lines.push({
      restAngstrom,
      ewAngstrom,
      kind: "absorption",
      sigmaKmS: 8,
      minSigmaAngstrom: Math.max(minSigmaAngstrom, ewAngstrom / 1.75),
    });
  for (const line of STELLAR.balmer) absorb(line.angstrom, balmerEw * line.strength, 1.5);
  const caHK = 1.5 + 16 * sigmoid((7200 - t) / 600);
  absorb(STELLAR.caK, caHK, 3);
  absorb(STELLAR.caH, caHK * 0.8, 3);
  absorb(STELLAR.gBand, 0.5 + 7 * Math.exp(-0.5 * ((t - 5000) / 900) ** 2), 8);
  absorb(STELLAR.caI, 0.2 + 3 * sigmoid((5000 - t) / 400), 1.2);
  for (const angstrom of STELLAR.iron) absorb(angstrom, 0.2 + 1.2 * sigmoid((6200 - t) / 600), 1);
  for (const angstrom of STELLAR.mgB) absorb(angstrom, 0.3 + 2 * sigmoid((6000 - t) / 500), 1);
  for (const angstrom of STELLAR.naD) absorb(angstrom, 0.3 + 3 * sigmoid((4800 - t) / 500), 1);
  for (const angstrom of STELLAR.caTriplet)
    absorb(angstrom, 0.5 + 2.5 * Math.exp(-0.5 * ((t - 5000) / 1300) ** 2), 1.5);
  const heliumEw = 1.2 * Math.exp(-0.5 * ((t - 20000) / 6000) ** 2);
  if (heliumEw > 0.05) for (const angstrom of STELLAR.heliumI) absorb(angstrom, heliumEw, 1.5);
  const bands: MolecularBand[] =
    t < 4100
      ? STELLAR.tioHeads.map((headAngstrom) => ({
          headAngstrom,
          widthAngstrom: 160,
          depth: Math.min(0.7, ((4100 - t) / 900) * 0.6),
        }))
      : [];
  return {
    redshift: star.radialVelocityKmS / 299792.458,
    continuum: (rest) => planck(rest, t),
    lines,
    bands,
    intergalacticAbsorption: false,
    ebv: star.ebv,
    scale: 1,
  };
}

/** An old stellar population's continuum: 4600 K with a 4000 Å break of D4000 = 1.9, normalised at 5500 Å. */
function oldPopulation(rest: number): number {
  return (planck(rest, 4600) * (1 / 1.9 + (1 - 1 / 1.9) * sigmoid((rest - 4000) / 25))) / OLD_POPULATION_AT_5500;
}
const OLD_POPULATION_AT_5500 = planck(5500, 4600) * (1 / 1.9 + (1 - 1 / 1.9) * sigmoid((5500 - 4000) / 25));

/** Builds the galaxy's spectrum: old + young populations with a 4000 Å break, absorption and nebular lines. */
export function galaxySpectrum(galaxy: GalaxyParameters): SourceSpectrum {
  const young = (rest: number) => planck(rest, 13000);
  const youngNorm = young(5500);
  const continuum = (rest: number) =>
    (1 - galaxy.youngFraction) * oldPopulation(rest) + (galaxy.youngFraction * young(rest)) / youngNorm;
  const sigmaKmS = galaxy.velocityDispersionKmS;
  const passive = galaxy.population === "PASSIVE";
  const lines: SpectralLine[] = [
    {
      restAngstrom: GALAXY_ABSORPTION.caK,
      ewAngstrom: passive ? 8 : 4,
      kind: "absorption",
      sigmaKmS,
      minSigmaAngstrom: 4,
    },
    {
      restAngstrom: GALAXY_ABSORPTION.caH,
      ewAngstrom: passive ? 7 : 3.5,
      kind: "absorption",
      sigmaKmS,
      minSigmaAngstrom: 4,
    },
    {
      restAngstrom: GALAXY_ABSORPTION.gBand,
      ewAngstrom: passive ? 5 : 2.5,
      kind: "absorption",
      sigmaKmS,
      minSigmaAngstrom: 8,
    },
    {
      restAngstrom: GALAXY_ABSORPTION.mgB,
      ewAngstrom: passive ? 4.5 : 2,
      kind: "absorption",
      sigmaKmS,
      minSigmaAngstrom: 5,
    },
    {
      restAngstrom: GALAXY_ABSORPTION.naD,
      ewAngstrom: passive ? 3.5 : 1.8,
      kind: "absorption",
      sigmaKmS,
      minSigmaAngstrom: 3,
    },
    { restAngstrom: NEBULAR.hBeta, ewAngstrom: passive ? 1.5 : 4, kind: "absorption", sigmaKmS, minSigmaAngstrom: 6 },
    { restAngstrom: NEBULAR.hAlpha, ewAngstrom: passive ? 1.2 : 3, kind: "absorption", sigmaKmS, minSigmaAngstrom: 6 },
  ];
  const emission = (restAngstrom: number, ewAngstrom: number) => {
    if (ewAngstrom > 0.05) lines.push({ restAngstrom, ewAngstrom, kind: "emission", sigmaKmS: passive ? 200 : 70 });
  };
  const ha = galaxy.haEw;
  const hb = ha * 0.25;
  emission(NEBULAR.hAlpha, ha);
  emission(NEBULAR.hBeta, hb);
  emission(NEBULAR.hGamma, hb * 0.47);
  emission(NEBULAR.hDelta, hb * 0.26);
  emission(NEBULAR.oiii[1], hb * galaxy.oiiiToHbeta);
  emission(NEBULAR.oiii[0], (hb * galaxy.oiiiToHbeta) / 2.98);
  emission(NEBULAR.nii[1], ha * galaxy.niiToHalpha);
  emission(NEBULAR.nii[0], (ha * galaxy.niiToHalpha) / 2.95);
  emission(NEBULAR.sii[0], ha * 0.15);
  emission(NEBULAR.sii[1], ha * 0.11);
  emission(NEBULAR.oii[0], ha * 0.3);
  emission(NEBULAR.oii[1], ha * 0.4);
  emission(NEBULAR.neiii, hb * 0.1 * galaxy.oiiiToHbeta);
  emission(NEBULAR.oi, ha * 0.04);
  return {
    redshift: galaxy.redshift,
    continuum,
    lines,
    bands: [],
    intergalacticAbsorption: false,
    ebv: 0.03,
    scale: 1,
  };
}

/** Builds the quasar's spectrum: power law, broad and narrow lines, Fe II bumps, host light, Lyα forest. */
export function quasarSpectrum(quasar: QuasarParameters): SourceSpectrum {
  const slope = -(2 + quasar.alphaNu);
  const powerNorm = 5500 ** slope;
  const continuum = (rest: number) =>
    (1 - quasar.hostFraction) * (rest ** slope / powerNorm) + quasar.hostFraction * oldPopulation(rest);
  const broadSigmaKmS = quasar.broadFwhmKmS / 2.3548;
  const lines: SpectralLine[] = QUASAR_LINES.map((line) => ({
    restAngstrom: line.angstrom,
    ewAngstrom: line.ew * (line.broad ? quasar.lineStrength : quasar.oiiiStrength),
    kind: "emission" as const,
    sigmaKmS: line.broad ? broadSigmaKmS : 250,
  }));
  for (const bump of QUASAR_BUMPS) {
    lines.push({
      restAngstrom: bump.angstrom,
      ewAngstrom: bump.ew * quasar.lineStrength,
      kind: "emission",
      sigmaKmS: 0,
      minSigmaAngstrom: bump.sigma,
    });
  }
  return { redshift: quasar.redshift, continuum, lines, bands: [], intergalacticAbsorption: true, ebv: 0.03, scale: 1 };
}

/** The object's spectrum, scaled so its synthetic magnitude in `band` is `magnitude`. */
export function sourceSpectrum(parameters: SourceParameters, band: Band, magnitude: number): SourceSpectrum {
  const source =
    parameters.kind === "STAR"
      ? starSpectrum(parameters)
      : parameters.kind === "GALAXY"
        ? galaxySpectrum(parameters)
        : quasarSpectrum(parameters);
  normaliseToMagnitude(source, band, magnitude);
  return source;
}
