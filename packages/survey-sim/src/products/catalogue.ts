import type { Band } from "../physics/photometry.ts";
import type { Plan, SimulatedObject } from "../survey-plan.ts";
import type { BandSnr } from "./spectrum-1d.ts";
import { round } from "./spectrum-1d.ts";

/** What the catalogue and truth rows need beyond the object itself. */
export interface ObjectProducts {
  magnitudes: Record<Band, number>;
  snr: BandSnr;
  spectrumFile: string;
}

/** LAMOST catalogue columns (as in the DR catalogues; mag1–3 are g, r, i). */
export const CATALOGUE_COLUMNS = [
  "obsid",
  "designation",
  "obsdate",
  "lmjd",
  "planid",
  "spid",
  "fiberid",
  "ra",
  "dec",
  "snru",
  "snrg",
  "snrr",
  "snri",
  "snrz",
  "objtype",
  "class",
  "subclass",
  "z",
  "z_err",
  "magtype",
  "mag1",
  "mag2",
  "mag3",
  "tsource",
  "fibertype",
  "filename",
] as const;

/** Columns of truth.csv: what really is, kept apart from what the catalogue claims. */
export const TRUTH_COLUMNS = [
  "obsid",
  "true_class",
  "true_subclass",
  "true_z",
  "catalogue_class",
  "label_flipped",
  "has_cutout",
  "mag_g",
  "mag_r",
  "mag_i",
  "teff_k",
  "galaxy_population",
  "qso_alpha_nu",
  "qso_broad_fwhm_kms",
] as const;

/** One catalogue row. The simulator has no separate input catalogue, so objtype mirrors the pipeline class and leaks no truth. */
export function catalogueRow(object: SimulatedObject, plan: Plan, products: ObjectProducts): string[] {
  const objtype = { STAR: "Star", GALAXY: "Galaxy", QSO: "QSO" }[object.catalogClass];
  return [
    String(object.obsid),
    object.designation,
    plan.obsDate,
    String(plan.lmjd),
    plan.planId,
    String(object.spectrograph),
    String(object.fibreId),
    object.raDeg.toFixed(6),
    object.decDeg.toFixed(6),
    ...(["u", "g", "r", "i", "z"] as const).map((band) => products.snr[band].toFixed(2)),
    objtype,
    object.catalogClass,
    object.catalogSubclass,
    round(object.catalogRedshift, 8).toFixed(8),
    round(object.redshiftError, 8).toFixed(8),
    "gri",
    products.magnitudes.g.toFixed(2),
    products.magnitudes.r.toFixed(2),
    products.magnitudes.i.toFixed(2),
    "SIMULATED",
    "Obj",
    products.spectrumFile,
  ];
}

/** One truth row. */
export function truthRow(object: SimulatedObject, products: ObjectProducts): string[] {
  const p = object.parameters;
  return [
    String(object.obsid),
    object.trueClass,
    object.trueSubclass,
    object.redshift.toFixed(8),
    object.catalogClass,
    object.labelFlipped ? "1" : "0",
    object.hasCutout ? "1" : "0",
    products.magnitudes.g.toFixed(3),
    products.magnitudes.r.toFixed(3),
    products.magnitudes.i.toFixed(3),
    p.kind === "STAR" ? p.teffK.toFixed(0) : "",
    p.kind === "GALAXY" ? p.population : "",
    p.kind === "QSO" ? p.alphaNu.toFixed(3) : "",
    p.kind === "QSO" ? p.broadFwhmKmS.toFixed(0) : "",
  ];
}

/** CSV text (RFC 4180 quoting) of a header and rows. */
export function toCsv(header: readonly string[], rows: string[][]): string {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `${[header as string[], ...rows].map((row) => row.map(quote).join(",")).join("\n")}\n`;
}
