import { airToVacuum } from "./constants.ts";

// Line lists. Stellar and sky lines are quoted in air (as in the atlases they come from) and
// converted to vacuum; nebular and quasar lines are SDSS's vacuum wavelengths.

/** Stellar absorption features (vacuum Å). */
export const STELLAR = {
  balmer: [
    { name: "Hα", angstrom: airToVacuum(6562.8), strength: 0.8 },
    { name: "Hβ", angstrom: airToVacuum(4861.33), strength: 1.0 },
    { name: "Hγ", angstrom: airToVacuum(4340.47), strength: 0.9 },
    { name: "Hδ", angstrom: airToVacuum(4101.74), strength: 0.85 },
    { name: "Hε", angstrom: airToVacuum(3970.07), strength: 0.7 },
    { name: "H8", angstrom: airToVacuum(3889.05), strength: 0.6 },
  ],
  caK: airToVacuum(3933.66),
  caH: airToVacuum(3968.47),
  gBand: airToVacuum(4300.3),
  caI: airToVacuum(4226.73),
  iron: [airToVacuum(4383.55), airToVacuum(5269.54), airToVacuum(5328.04)],
  mgB: [airToVacuum(5167.32), airToVacuum(5172.68), airToVacuum(5183.6)],
  naD: [airToVacuum(5889.95), airToVacuum(5895.92)],
  caTriplet: [airToVacuum(8498.02), airToVacuum(8542.09), airToVacuum(8662.14)],
  heliumI: [airToVacuum(4471.48), airToVacuum(4921.93), airToVacuum(5875.62), airToVacuum(6678.15)],
  /** TiO band heads of M stars (flux drops at the head and recovers to the red). */
  tioHeads: [4954.6, 5166.7, 5448.0, 5847.0, 6158.6, 6651.0, 7054.5, 7589.0, 8432.0].map(airToVacuum),
} as const;

/** Nebular emission lines of galaxies (vacuum Å), with strengths relative to the reference line named. */
export const NEBULAR = {
  oii: [3727.09, 3729.88],
  neiii: 3869.86,
  hDelta: 4102.89,
  hGamma: 4341.68,
  hBeta: 4862.68,
  oiii: [4960.3, 5008.24],
  oi: 6302.05,
  nii: [6549.86, 6585.27],
  hAlpha: 6564.61,
  sii: [6718.29, 6732.67],
} as const;

/** Galaxy absorption features (vacuum Å). */
export const GALAXY_ABSORPTION = {
  caK: 3934.78,
  caH: 3969.59,
  gBand: 4305.61,
  mgB: 5176.7,
  naD: 5895.6,
} as const;

/** Quasar broad (and a few narrow) lines, rest-frame vacuum Å, typical rest equivalent widths (Vanden Berk et al. 2001). */
export const QUASAR_LINES: ReadonlyArray<{ name: string; angstrom: number; ew: number; broad: boolean }> = [
  { name: "Lyα", angstrom: 1215.67, ew: 80, broad: true },
  { name: "N V", angstrom: 1240.14, ew: 15, broad: true },
  { name: "Si IV+O IV]", angstrom: 1399.8, ew: 9, broad: true },
  { name: "C IV", angstrom: 1549.06, ew: 35, broad: true },
  { name: "He II", angstrom: 1640.42, ew: 3, broad: true },
  { name: "C III]", angstrom: 1908.73, ew: 22, broad: true },
  { name: "Mg II", angstrom: 2798.75, ew: 33, broad: true },
  { name: "[Ne V]", angstrom: 3426.84, ew: 1.5, broad: false },
  { name: "[O II]", angstrom: 3728.48, ew: 3, broad: false },
  { name: "[Ne III]", angstrom: 3869.86, ew: 2, broad: false },
  { name: "Hδ", angstrom: 4102.89, ew: 6, broad: true },
  { name: "Hγ", angstrom: 4341.68, ew: 14, broad: true },
  { name: "Hβ", angstrom: 4862.68, ew: 55, broad: true },
  { name: "[O III] 4959", angstrom: 4960.3, ew: 5, broad: false },
  { name: "[O III] 5007", angstrom: 5008.24, ew: 15, broad: false },
  { name: "Hα", angstrom: 6564.61, ew: 250, broad: true },
];

/** Fe II and Balmer-continuum pseudo-continua of quasars as broad bumps (rest Å, σ Å, EW Å). */
export const QUASAR_BUMPS = [
  { angstrom: 2500, sigma: 260, ew: 60 },
  { angstrom: 3300, sigma: 250, ew: 40 },
  { angstrom: 4570, sigma: 90, ew: 25 },
  { angstrom: 5250, sigma: 110, ew: 20 },
] as const;

/** The sky lines as quoted in air. */
const SKY_LINES_AIR: ReadonlyArray<{ air: number; relative: number; name: string }> = [
  { name: "Hg I", air: 4046.56, relative: 0.15 },
  { name: "Hg I", air: 4358.34, relative: 0.3 },
  { name: "Hg I", air: 5460.74, relative: 0.35 },
  { name: "[O I]", air: 5577.338, relative: 1.0 },
  { name: "Hg I", air: 5769.6, relative: 0.1 },
  { name: "Hg I", air: 5790.66, relative: 0.1 },
  { name: "Na I", air: 5889.95, relative: 0.35 },
  { name: "Na I", air: 5895.92, relative: 0.25 },
  { name: "[O I]", air: 6300.304, relative: 0.45 },
  { name: "[O I]", air: 6363.776, relative: 0.15 },
  ...[
    [6257.96, 0.08],
    [6287.43, 0.1],
    [6329.75, 0.08],
    [6498.73, 0.15],
    [6533.04, 0.18],
    [6553.62, 0.1],
    [6577.18, 0.15],
    [6596.64, 0.1],
    [6863.96, 0.35],
    [6871.07, 0.15],
    [6912.62, 0.25],
    [6923.22, 0.35],
    [6939.52, 0.3],
    [6948.94, 0.2],
    [6969.93, 0.2],
    [7003.86, 0.1],
    [7244.91, 0.3],
    [7276.41, 0.4],
    [7284.44, 0.2],
    [7316.28, 0.6],
    [7329.15, 0.4],
    [7340.89, 0.6],
    [7358.67, 0.4],
    [7369.25, 0.2],
    [7401.69, 0.2],
    [7750.64, 0.5],
    [7794.11, 0.5],
    [7821.5, 0.6],
    [7853.24, 0.3],
    [7913.71, 0.7],
    [7964.65, 0.8],
    [7993.33, 0.9],
    [8025.7, 0.4],
    [8344.6, 1.2],
    [8382.4, 0.6],
    [8399.17, 1.2],
    [8430.17, 1.0],
    [8452.2, 0.4],
    [8465.36, 1.0],
    [8493.39, 1.0],
    [8505.5, 0.5],
    [8627.3, 0.4],
    [8665.0, 0.4],
    [8761.3, 0.6],
    [8767.9, 0.8],
    [8778.3, 0.5],
    [8791.2, 0.7],
    [8827.1, 1.5],
    [8836.3, 0.6],
    [8885.85, 2.0],
    [8903.1, 0.8],
    [8919.64, 1.0],
    [8943.4, 2.5],
    [8958.08, 2.0],
    [8988.38, 1.5],
  ].map(([air, relative]) => ({ name: "OH", air: air as number, relative: relative as number })),
];

/**
 * Night-sky emission lines (vacuum Å) with intensities relative to [O I] 5577. OH wavelengths and
 * rough relative strengths after Osterbrock et al. (1996); Hg and Na from street lighting, which
 * is strong at Xinglong, LAMOST's site.
 */
export const SKY_LINES: ReadonlyArray<{ angstrom: number; relative: number; name: string }> = SKY_LINES_AIR.map(
  (line) => ({
    name: line.name,
    angstrom: airToVacuum(line.air),
    relative: line.relative,
  }),
);

/** Telluric absorption bands (vacuum Å): O₂ B and A bands, H₂O. Depth at the band centre. */
export const TELLURIC_BANDS = [
  { start: 6868, end: 6892, depth: 0.45 },
  { start: 7167, end: 7310, depth: 0.12 },
  { start: 7596, end: 7625, depth: 0.75 },
  { start: 7625, end: 7690, depth: 0.3 },
  { start: 8130, end: 8350, depth: 0.12 },
  { start: 8950, end: 9100, depth: 0.15 },
] as const;
