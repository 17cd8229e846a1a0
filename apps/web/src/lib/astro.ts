// Classes, their colours and the spectral lines marked on profiles. The class colours are Paul Tol's
// "high contrast" scheme: they differ in lightness as well as hue, so they stay apart for readers
// with any common colour-vision deficiency even as 2-pixel sky-map markers (astro.test.ts checks the
// distances under simulated protanopia, deuteranopia and tritanopia).

import { formatDuration, OBJECT_CLASSES, type ObjectClass } from "@macnet/core";

export const CLASSES = OBJECT_CLASSES;
export type ClassName = ObjectClass;

export const CLASS_COLORS: Record<ClassName, string> = {
  GALAXY: "#DDAA33",
  QSO: "#BB5566",
  STAR: "#004488",
};
export const UNLABELLED_COLOR = "#BBBBBB";

export const CLASS_LABELS: Record<ClassName, string> = { GALAXY: "Galaxy", QSO: "QSO", STAR: "Star" };

/** classCodes letter (skyMap) → class. */
export const CLASS_BY_CODE: Record<string, ClassName | undefined> = { G: "GALAXY", Q: "QSO", S: "STAR" };

export type LineKind = "emission" | "absorption";

interface SpectralLine {
  name: string;
  restAngstrom: number;
  kind: LineKind;
}

/** Rest-frame wavelengths (Å, vacuum) of the lines inspected in LAMOST/SDSS optical spectra. */
const LINE_LIST: Record<string, SpectralLine> = Object.fromEntries(
  (
    [
      ["Lyα", 1215.7, "emission"],
      ["N V", 1240.1, "emission"],
      ["Si IV", 1397.8, "emission"],
      ["C IV", 1549.1, "emission"],
      ["C III]", 1908.7, "emission"],
      ["Mg II", 2798.8, "emission"],
      ["[Ne V]", 3426.9, "emission"],
      ["[O II]", 3728.5, "emission"],
      ["[Ne III]", 3869.9, "emission"],
      ["Ca K", 3934.8, "absorption"],
      ["Ca H", 3969.6, "absorption"],
      ["Hδ", 4102.9, "emission"],
      ["G band", 4305.6, "absorption"],
      ["Hγ", 4341.7, "emission"],
      ["Hβ", 4862.7, "emission"],
      ["[O III]", 5008.2, "emission"],
      ["Mg b", 5176.7, "absorption"],
      ["Na D", 5895.6, "absorption"],
      ["Hα", 6564.6, "emission"],
      ["[N II]", 6585.3, "emission"],
      ["[S II]", 6725.5, "emission"],
      ["Ca II", 8544.4, "absorption"],
    ] as const
  ).map(([name, restAngstrom, kind]) => [name, { name, restAngstrom, kind }]),
);

const pick = (names: string[], kind?: LineKind): SpectralLine[] =>
  names.map((name) => {
    const line = LINE_LIST[name] as SpectralLine;
    return kind ? { ...line, kind } : line;
  });

/**
 * The lines worth marking for a class: a QSO's broad emission lines, a galaxy's nebular emission
 * and stellar absorption, a star's absorption (Balmer lines in absorption), and for an object of
 * unknown class the lines common to all.
 */
export function linesForClass(objectClass: string | null | undefined): SpectralLine[] {
  switch (objectClass) {
    case "QSO":
      return pick([
        "Lyα",
        "N V",
        "Si IV",
        "C IV",
        "C III]",
        "Mg II",
        "[Ne V]",
        "[O II]",
        "[Ne III]",
        "Hδ",
        "Hγ",
        "Hβ",
        "[O III]",
        "Hα",
      ]);
    case "GALAXY":
      return pick([
        "[O II]",
        "Ca K",
        "Ca H",
        "Hδ",
        "G band",
        "Hγ",
        "Hβ",
        "[O III]",
        "Mg b",
        "Na D",
        "Hα",
        "[N II]",
        "[S II]",
      ]);
    case "STAR":
      return pick(["Ca K", "Ca H", "Hδ", "G band", "Hγ", "Hβ", "Mg b", "Na D", "Hα", "Ca II"], "absorption");
    default:
      return pick(["Mg II", "[O II]", "Ca K", "Ca H", "Hβ", "[O III]", "Mg b", "Na D", "Hα"]);
  }
}

/** The class's lines inside [minAngstrom, maxAngstrom] once shifted by redshift z, as plot markers. */
export function linesInRange(
  minAngstrom: number,
  maxAngstrom: number,
  z: number | null | undefined,
  objectClass?: string | null,
) {
  const shift = 1 + (z ?? 0);
  return linesForClass(objectClass)
    .map((line) => ({ label: line.name, x: line.restAngstrom * shift, kind: line.kind }))
    .filter((line) => line.x >= minAngstrom && line.x <= maxAngstrom);
}

/**
 * The wavelengths of the first and last pixels with data (inverse variance > 0): a spectrum's grid
 * often runs past its data (LAMOST's to ~9 100 Å, padded with ivar 0), and line markers belong
 * where the data is. [0, 0] when no pixel has any.
 */
export function dataRange(wavelength: readonly number[], ivar: readonly number[]): [number, number] {
  const first = ivar.findIndex((v) => v > 0);
  if (first < 0) return [0, 0];
  const last = ivar.findLastIndex((v) => v > 0);
  return [wavelength[first] ?? 0, wavelength[last] ?? 0];
}

function base64Bytes(base64: string): ArrayBuffer {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
}

export const decodeFloat32 = (base64: string) => new Float32Array(base64Bytes(base64));

export const decodeUint32 = (base64: string) => new Uint32Array(base64Bytes(base64));

/** A number to `digits` decimals; one that rounds to zero is shown as 0 (a star's z = -0.00001 is not "-0.0000"). */
export const formatNumber = (value: number | null | undefined, digits = 3) => {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
};

export const formatDate = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : "—");

/** A total the API counted exactly, or "≈ 3,300,000 (estimate)" when it is PostgreSQL's estimate. */
export const formatTotal = (count: number, exact: boolean) =>
  exact ? count.toLocaleString() : `≈ ${count.toLocaleString()} (estimate)`;

export { formatDuration };

/**
 * A proportion (accuracy, precision, recall, F1) to the digits its support justifies: down to the
 * decimal of its standard error's first digit (at most 0.5/√n), 1 to 4 decimals.
 */
export function formatProportion(value: number | null | undefined, support: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (!support || support <= 0) return value.toFixed(2);
  const decimals = Math.min(4, Math.max(1, Math.ceil(-Math.log10(0.5 / Math.sqrt(support)))));
  return value.toFixed(decimals);
}
