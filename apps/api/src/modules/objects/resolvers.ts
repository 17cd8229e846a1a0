import { encodePngRgb } from "@macnet/imaging";
import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionNode } from "graphql";
import { parseId, requireViewer } from "../../errors.ts";
import type { ObjectCount, ObjectFilter, Resolvers } from "../../generated/resolvers-types.ts";
import type { Prediction } from "../../mappers.ts";
import { filePathFor } from "../../server-paths.ts";
import { findObjects, skyMap, type TObjectFilter } from "./find-objects.ts";

const floats = (bytes: Uint8Array) =>
  Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));

/** Wavelength (Å) of each pixel along a strip: its polynomial in the pixel index. */
export function stripWavelengths(coefficients: number[], lengthPx: number): number[] {
  return Array.from({ length: lengthPx }, (_, i) => coefficients.reduceRight((acc, c) => acc * i + c, 0));
}

/**
 * The names of the fields an operation selects at `path` below this field (fragments expanded;
 * @skip/@include ignored: over-fetching costs a column, missing a field would break the answer).
 */
function selectedFields(info: GraphQLResolveInfo, path: string[]): Set<string> {
  let nodes: readonly SelectionNode[] = info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []);
  const expand = (selections: readonly SelectionNode[]): FieldNode[] =>
    selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection];
      if (selection.kind === Kind.INLINE_FRAGMENT) return expand(selection.selectionSet.selections);
      return expand(info.fragments[selection.name.value]?.selectionSet.selections ?? []);
    });
  for (const name of path) {
    nodes = expand(nodes)
      .filter((field) => field.name.value === name)
      .flatMap((field) => field.selectionSet?.selections ?? []);
  }
  return new Set(expand(nodes).map((field) => field.name.value));
}

function objectFilter(f: ObjectFilter | null | undefined): TObjectFilter {
  return {
    ...f,
    modelId: f?.modelId ? parseId(f.modelId, "filter.modelId") : null,
    datasetId: f?.datasetId ? parseId(f.datasetId, "filter.datasetId") : null,
  };
}

export const objectsResolvers: Resolvers = {
  Query: {
    objects: async (_parent, args, context, info) => {
      requireViewer(context);
      const nodeFields = selectedFields(info, ["edges", "node"]);
      const connectionFields = selectedFields(info, []);
      const page = await findObjects({
        sql: context.sql,
        first: args.first ?? 50,
        after: args.after,
        filter: objectFilter(args.filter),
        fields: nodeFields,
        countNow: ["totalCount", "totalCountExact"].some((field) => connectionFields.has(field)),
      });
      // The page's catalogue classes are what `Prediction.agreesWithCatalogue` looks up: no second query.
      for (const { node } of page.edges) context.loaders.catalogueClass.prime(node.id, node.catalogClass);
      if (nodeFields.has("predictions")) {
        await context.loaders.prefetchPredictions(page.edges.map((edge) => edge.node.id));
      }
      return page;
    },
    skyMap: async (_parent, args, context) => {
      requireViewer(context);
      return skyMap({ sql: context.sql, filter: objectFilter(args.filter), limit: args.limit ?? 100_000 });
    },
    objectStatistics: async (_parent, _args, context) => {
      requireViewer(context);
      // Kept by triggers on celestial_object (a few rows, whatever the survey's size).
      const rows = await context.prisma.$queryRaw<{ source: string; c: ObjectCount["catalogueClass"]; n: bigint }[]>`
        SELECT source, nullif(catalog_class, '') AS c, n FROM object_count WHERE n > 0
        ORDER BY source, catalog_class = '', catalog_class`;
      const bySourceAndClass = rows.map((r) => ({ source: r.source, catalogueClass: r.c, count: Number(r.n) }));
      return { total: bySourceAndClass.reduce((sum, r) => sum + r.count, 0), bySourceAndClass };
    },
    object: async (_parent, args, context) => {
      requireViewer(context);
      if (args.id) return context.prisma.celestialObject.findUnique({ where: { id: parseId(args.id, "id") } });
      if (args.obsid) {
        if (!/^\d{1,18}$/.test(args.obsid)) return null;
        return context.prisma.celestialObject.findUnique({ where: { obsid: BigInt(args.obsid) } });
      }
      return null;
    },
  },
  ObjectConnection: {
    totalCount: async (page) => (await page.countAll()).count,
    totalCountExact: async (page) => (await page.countAll()).exact,
  },
  CelestialObject: {
    id: (o) => String(o.id),
    obsid: (o) => (o.obsid == null ? null : String(o.obsid)),
    sdssObjId: (o) => (o.sdssObjId == null ? null : String(o.sdssObjId)),
    catalogueClass: (o) => o.catalogClass,
    split: (o, args, { loaders }) =>
      args.datasetId
        ? loaders.membership.load(`${parseId(args.datasetId, "datasetId")}:${o.id}`).then((m) => m?.split ?? null)
        : null,
    strips: (o, _args, { loaders }) => loaders.stripsByObject.load(o.id),
    spectra1d: (o, _args, { loaders }) => loaders.spectra1dByObject.load(o.id),
    cutout: async (o, _args, { loaders }) => (await loaders.cutoutsByObject.load(o.id))[0] ?? null,
    predictions: (o, args, { loaders }) => {
      const only = (all: Prediction[]) =>
        args.modelId ? all.filter((p) => p.modelId === parseId(args.modelId as string, "modelId")) : all;
      const loaded = loaders.loadedPredictions.get(o.id);
      return loaded ? only(loaded) : loaders.predictionsByObject.load(o.id).then(only);
    },
    activationMaps: async (o, args, { loaders }) => {
      const all = await loaders.activationMapsByObject.load(o.id);
      return args.modelId ? all.filter((a) => a.modelId === parseId(args.modelId as string, "modelId")) : all;
    },
  },
  Strip: {
    valuesBase64: (s) => Buffer.from(s.data).toString("base64"),
    wavelengthAngstrom: (s) => stripWavelengths(s.wavelengthCoeffs, s.lengthPx),
    sourceFile: (s, _args, { viewer }) => filePathFor(viewer, s.sourceFile),
  },
  Spectrum1D: {
    wavelengthAngstrom: (s) => floats(s.wavelengthAngstrom),
    flux: (s) => floats(s.flux),
    ivar: (s) => floats(s.ivar),
    sourceFile: (s, _args, { viewer }) => filePathFor(viewer, s.sourceFile),
  },
  Cutout: {
    dataUrl: (c) => `data:image/png;base64,${encodePngRgb(c.rgb, c.widthPx, c.heightPx).toString("base64")}`,
    sourceFile: (c, _args, { viewer }) => filePathFor(viewer, c.sourceFile),
  },
  Prediction: {
    model: (p, _args, { loaders }) => loaders.loadedModels.get(p.modelId) ?? loaders.requiredModel(p.modelId),
    agreesWithCatalogue: async (p, _args, { loaders }) => {
      const catalogueClass = await loaders.catalogueClass.load(p.objectId);
      return catalogueClass ? catalogueClass === p.predictedClass : null;
    },
  },
  ActivationMap: {
    model: (a, _args, { loaders }) => loaders.requiredModel(a.modelId),
    values: (a) => floats(a.values),
    wavelengthAngstrom: (a) => (a.wavelengthAngstrom ? floats(a.wavelengthAngstrom) : null),
  },
};
