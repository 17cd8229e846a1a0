// Classes, their colours and the spectral lines marked on profiles. The class colours are Paul Tol's
// "high contrast" scheme: they differ in lightness as well as hue, so they stay apart for readers
// with any common colour-vision deficiency even as 2-pixel sky-map markers (astro.test.ts checks the
// distances under simulated protanopia, deuteranopia and tritanopia).

export const CLASSES = ["GALAXY", "QSO", "STAR"] as const;
export type ClassName = (typeof CLASSES)[number];

export const CLASS_COLORS: Record<ClassName, string> = {
  GALAXY: "#DDAA33",
  QSO: "#BB5566",
  STAR: "#004488",
};
export const UNLABELLED_COLOR = "#BBBBBB";

export const CLASS_LABELS: Record<ClassName, string> = { GALAXY: "Galaxy", QSO: "QSO", STAR: "Star" };

/** classCodes letter (skyMap) → class. */
export const CLASS_BY_CODE: Record<string, ClassName | undefined> = { G: "GALAXY", Q: "QSO", S: "STAR" };

/** Rest-frame (vacuum-ish, Å) lines commonly inspected in LAMOST/SDSS optical spectra. */
export const SPECTRAL_LINES: { name: string; restAngstrom: number }[] = [
  { name: "Lyα", restAngstrom: 1215.7 },
  { name: "C IV", restAngstrom: 1549.1 },
  { name: "C III]", restAngstrom: 1908.7 },
  { name: "Mg II", restAngstrom: 2798.8 },
  { name: "[O II]", restAngstrom: 3727.3 },
  { name: "Ca K", restAngstrom: 3933.7 },
  { name: "Ca H", restAngstrom: 3968.5 },
  { name: "Hδ", restAngstrom: 4101.7 },
  { name: "G band", restAngstrom: 4304.4 },
  { name: "Hγ", restAngstrom: 4340.5 },
  { name: "Hβ", restAngstrom: 4861.3 },
  { name: "[O III]", restAngstrom: 5006.8 },
  { name: "Mg b", restAngstrom: 5175.3 },
  { name: "Na D", restAngstrom: 5892.9 },
  { name: "Hα", restAngstrom: 6562.8 },
  { name: "[S II]", restAngstrom: 6716.4 },
  { name: "Ca II", restAngstrom: 8542.1 },
];

/** Lines inside [minAngstrom, maxAngstrom] once shifted by redshift z. */
export function linesInRange(minAngstrom: number, maxAngstrom: number, z: number | null | undefined) {
  const shift = 1 + (z ?? 0);
  return SPECTRAL_LINES.map((line) => ({ label: line.name, x: line.restAngstrom * shift })).filter(
    (line) => line.x >= minAngstrom && line.x <= maxAngstrom,
  );
}

function base64Bytes(base64: string): ArrayBuffer {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
}

export const decodeFloat32 = (base64: string) => new Float32Array(base64Bytes(base64));

export const decodeUint32 = (base64: string) => new Uint32Array(base64Bytes(base64));

export const formatNumber = (value: number | null | undefined, digits = 3) =>
  value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);

export const formatDate = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : "—");
