// The objects browser's filter lives in the URL (shareable, back-button friendly): these map the
// query string to the API's ObjectFilter and back.
import type { ObjectFilter } from "@/gql/graphql";

export const FILTER_KEYS = [
  "class",
  "model",
  "predicted",
  "disagreement",
  "dataset",
  "split",
  "source",
  "ra",
  "dec",
  "radius",
] as const;
export type FilterForm = Record<(typeof FILTER_KEYS)[number], string>;

export function formFromParams(params: URLSearchParams): FilterForm {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ""])) as FilterForm;
}

export function paramsFromForm(form: FilterForm): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (form[key]) params.set(key, form[key]);
  return params.toString();
}

/** The API filter, or an error naming the field the user has to fix. */
export function filterFromForm(form: FilterForm): { filter: ObjectFilter; error: string | null } {
  const filter: ObjectFilter = {};
  if (form.class) filter.catalogueClass = form.class as ObjectFilter["catalogueClass"];
  if (form.model) filter.modelId = form.model;
  if (form.predicted) filter.predictedClass = form.predicted as ObjectFilter["predictedClass"];
  if (form.disagreement === "1") filter.disagreement = true;
  if (form.dataset) filter.datasetId = form.dataset;
  if (form.split) filter.split = form.split as ObjectFilter["split"];
  if (form.source) filter.source = form.source;
  if ((filter.predictedClass || filter.disagreement) && !filter.modelId)
    return { filter, error: "Choose a model for the prediction filters." };
  if (filter.split && !filter.datasetId) return { filter, error: "Choose a dataset for the split." };
  if (form.ra || form.dec || form.radius) {
    const [raDeg, decDeg, radiusDeg] = [Number(form.ra), Number(form.dec), Number(form.radius)];
    if (!form.ra || !Number.isFinite(raDeg) || raDeg < 0 || raDeg >= 360)
      return { filter, error: "Cone: RA must be in [0, 360) degrees." };
    if (!form.dec || !Number.isFinite(decDeg) || Math.abs(decDeg) > 90)
      return { filter, error: "Cone: Dec must be in [−90, 90] degrees." };
    if (!form.radius || !Number.isFinite(radiusDeg) || radiusDeg <= 0 || radiusDeg > 90)
      return { filter, error: "Cone: the radius must be in (0, 90] degrees." };
    filter.cone = { raDeg, decDeg, radiusDeg };
  }
  return { filter, error: null };
}

/** The API's /export link for a filter (the same filter names as GraphQL's ObjectFilter). */
export function exportHref(filter: ObjectFilter, format: "votable" | "fits" | "csv"): string {
  const params = new URLSearchParams({ format });
  if (filter.catalogueClass) params.set("catalogueClass", filter.catalogueClass);
  if (filter.modelId) params.set("modelId", String(filter.modelId));
  if (filter.predictedClass) params.set("predictedClass", filter.predictedClass);
  if (filter.disagreement) params.set("disagreement", "true");
  if (filter.datasetId) params.set("datasetId", String(filter.datasetId));
  if (filter.split) params.set("split", filter.split);
  if (filter.source) params.set("source", filter.source);
  if (filter.cone) {
    params.set("ra", String(filter.cone.raDeg));
    params.set("dec", String(filter.cone.decDeg));
    params.set("radius", String(filter.cone.radiusDeg));
  }
  return `/export?${params}`;
}
