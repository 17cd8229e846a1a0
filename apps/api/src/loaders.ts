// DataLoaders, made per request: every relation a page of results needs is loaded with one query
// per relation, whatever the page size (no N+1).
import { type ObjectClass, Prisma, type PrismaClient } from "@macnet/db";

type CelestialObjectRow = Prisma.CelestialObjectGetPayload<object>;

import { getJobs, type JobView } from "@macnet/jobs";
import DataLoader from "dataloader";
import type {
  ActivationMap,
  Cutout,
  Dataset,
  Evaluation,
  LabelVerdict,
  Model,
  Prediction,
  Spectrum1D,
  Strip,
} from "./mappers.ts";
import type { SqlPool } from "./sql-pool.ts";

function byId<T extends { id: number }>(rows: T[], ids: readonly number[]): (T | null)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
}

function groupBy<T>(rows: T[], ids: readonly number[], key: (row: T) => number): T[][] {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return ids.map((id) => map.get(id) ?? []);
}

export function createLoaders(prisma: PrismaClient, sql: SqlPool) {
  // What the batches loaded, readable without a promise: resolvers answer from these when the
  // objects page fetched a page's predictions and their models up front (a promise per field of
  // 50 objects × their predictions was a good part of that page's cost).
  const loadedModels = new Map<number, Model>();
  const loadedPredictions = new Map<number, Prediction[]>();
  const model = new DataLoader<number, Model | null>(async (ids) => {
    const rows = await sql.query<Model>(Prisma.sql`
      SELECT id, name, architecture::text AS architecture, compact, dataset_id AS "datasetId", job_id AS "jobId",
        hyper_parameters AS "hyperParameters", blue_window_start AS "blueWindowStart",
        blue_window_end AS "blueWindowEnd", red_window_start AS "redWindowStart", red_window_end AS "redWindowEnd",
        weights_uri AS "weightsUri", parameter_count AS "parameterCount", backend, device,
        epochs_trained AS "epochsTrained", warnings, temperature, created_at AS "createdAt"
      FROM trained_model WHERE id = ANY(${[...ids]}::int[])`);
    for (const row of rows) loadedModels.set(row.id, row);
    return byId(rows, ids);
  });
  const predictionsByObject = new DataLoader<number, Prediction[]>(async (ids) => {
    // One JSON array for the batch: 50 objects × a few models is one value to parse, not 1000.
    const [result] = await sql.query<{ rows: Prediction[] }>(Prisma.sql`
      SELECT COALESCE(json_agg(p ORDER BY p."modelId", p."objectId"), '[]') AS rows FROM (
        SELECT model_id AS "modelId", object_id AS "objectId", predicted_class AS "predictedClass",
          prob_star AS "probStar", prob_galaxy AS "probGalaxy", prob_qso AS "probQso", confidence
        FROM prediction WHERE object_id = ANY(${[...ids]}::int[])) p`);
    const grouped = groupBy(result?.rows ?? [], ids, (p) => p.objectId);
    ids.forEach((id, i) => {
      loadedPredictions.set(id, grouped[i] as Prediction[]);
    });
    return grouped;
  });
  return {
    model,
    loadedModels,
    loadedPredictions,
    predictionsByObject,
    /** Loads the predictions of these objects and the models they name (two queries). */
    prefetchPredictions: async (objectIds: number[]) => {
      const lists = await predictionsByObject.loadMany(objectIds);
      const modelIds = new Set(lists.flatMap((list) => (list instanceof Error ? [] : list.map((p) => p.modelId))));
      await model.loadMany([...modelIds]);
    },
    /** A model a foreign key points at (deleting a model cascades to its rows, so it exists). */
    requiredModel: async (id: number): Promise<Model> => {
      const found = await model.load(id);
      if (!found) throw new Error(`Model ${id} disappeared while the request ran`);
      return found;
    },
    /**
     * An object's membership of a dataset version, keyed "datasetId:objectId" (one query per dataset
     * asked about): its split, and the label the version gives it (a reviewed correction, else the
     * catalogue's); null when it is not a member.
     */
    membership: new DataLoader<string, { split: "TRAIN" | "VAL" | "TEST"; label: ObjectClass | null } | null>(
      async (keys) => {
        const byDataset = new Map<number, number[]>();
        for (const key of keys) {
          const [datasetId, objectId] = key.split(":").map(Number) as [number, number];
          byDataset.set(datasetId, [...(byDataset.get(datasetId) ?? []), objectId]);
        }
        const found = new Map<string, { split: "TRAIN" | "VAL" | "TEST"; label: ObjectClass | null }>();
        for (const [datasetId, objectIds] of byDataset) {
          const rows = await sql.query<{ o: number; s: "TRAIN" | "VAL" | "TEST"; c: ObjectClass | null }>(Prisma.sql`
          SELECT m.object_id AS o, m.split::text AS s, coalesce(m.label, c.catalog_class)::text AS c
          FROM dataset_member m JOIN celestial_object c ON c.id = m.object_id
          WHERE m.dataset_id = ${datasetId} AND m.object_id = ANY(${objectIds}::int[])`);
          for (const row of rows) found.set(`${datasetId}:${row.o}`, { split: row.s, label: row.c });
        }
        return keys.map((key) => found.get(key) ?? null);
      },
    ),
    /** Objects by id (a verdict's object). */
    object: new DataLoader<number, CelestialObjectRow | null>(async (ids) =>
      byId(await prisma.celestialObject.findMany({ where: { id: { in: [...ids] } } }), ids),
    ),
    /** Every verdict on an object, newest first. */
    verdictsByObject: new DataLoader<number, LabelVerdict[]>(async (ids) =>
      groupBy(
        await prisma.labelVerdict.findMany({ where: { objectId: { in: [...ids] } }, orderBy: { id: "desc" } }),
        ids,
        (v) => v.objectId,
      ),
    ),
    /** An object's catalogue class (null: none, or no such object). */
    catalogueClass: new DataLoader<number, ObjectClass | null>(async (ids) => {
      const rows = await sql.query<{ id: number; c: ObjectClass | null }>(
        Prisma.sql`SELECT id, catalog_class AS c FROM celestial_object WHERE id = ANY(${[...ids]}::int[])`,
      );
      const classes = new Map(rows.map((row) => [row.id, row.c]));
      return ids.map((id) => classes.get(id) ?? null);
    }),
    dataset: new DataLoader<number, Dataset | null>(async (ids) =>
      byId(await prisma.dataset.findMany({ where: { id: { in: [...ids] } } }), ids),
    ),
    stripsByObject: new DataLoader<number, Strip[]>(async (ids) =>
      groupBy(
        await prisma.spectrum2D.findMany({ where: { objectId: { in: [...ids] } }, orderBy: { arm: "asc" } }),
        ids,
        (s) => s.objectId,
      ),
    ),
    spectra1dByObject: new DataLoader<number, Spectrum1D[]>(async (ids) =>
      groupBy(await prisma.spectrum1D.findMany({ where: { objectId: { in: [...ids] } } }), ids, (s) => s.objectId),
    ),
    cutoutsByObject: new DataLoader<number, Cutout[]>(async (ids) =>
      groupBy(await prisma.cutout.findMany({ where: { objectId: { in: [...ids] } } }), ids, (c) => c.objectId),
    ),
    activationMapsByObject: new DataLoader<number, ActivationMap[]>(async (ids) =>
      groupBy(await prisma.activationMap.findMany({ where: { objectId: { in: [...ids] } } }), ids, (a) => a.objectId),
    ),
    evaluationsByModel: new DataLoader<number, Evaluation[]>(async (ids) =>
      groupBy(
        await prisma.modelEvaluation.findMany({
          where: { modelId: { in: [...ids] } },
          include: { classMetrics: true },
          orderBy: { split: "asc" },
        }),
        ids,
        (e) => e.modelId,
      ),
    ),
    modelsByJob: new DataLoader<number, Model[]>(async (ids) =>
      groupBy(
        await prisma.trainedModel.findMany({ where: { jobId: { in: [...ids] } }, orderBy: { id: "asc" } }),
        ids,
        (m) => m.jobId as number,
      ),
    ),
    job: new DataLoader<number, JobView | null>(async (ids) => byId(await getJobs(prisma, [...ids]), ids)),
    user: new DataLoader<number, { id: number; name: string; role: string } | null>(async (ids) =>
      byId(
        await prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, role: true } }),
        ids,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
