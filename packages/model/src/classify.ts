// Classification of stored objects with a trained model (issue #6): predictions with the
// probability of every class, stored per model and object (re-running replaces them).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrismaClient, MacnetError, type ObjectClass, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import { inputShapes, resolveConfig } from "./architectures.ts";
import { applyTemperature, ensureTemperature } from "./calibration.ts";
import { CLASSES } from "./datasets.ts";
import { classificationMetrics, type Metrics } from "./evaluate.ts";
import { loadModel } from "./persist.ts";
import { argmax, buildDatasetCache, predictIndices } from "./pipeline.ts";
import { storedModelContext } from "./stored-model.ts";

export interface ClassifyResult {
  modelId: number;
  datasetId: number;
  objects: number;
  stored: number;
  predictedCounts: Record<string, number>;
  /** Against the catalogue labels of the classified objects. */
  metrics: Metrics;
  skipped: Record<string, number>;
}

/** One object's stored prediction. */
export interface PredictionRow {
  objectId: number;
  predictedClass: ObjectClass;
  probGalaxy: number;
  probQso: number;
  probStar: number;
  confidence: number;
}

/** Rows per upsert statement: a 10⁶-object classification is 200 statements. */
const PREDICTION_CHUNK = 5000;

/**
 * Stores a model's predictions in bulk: one upsert of PREDICTION_CHUNK rows per statement, from arrays
 * (unnest), so re-running replaces a model's predictions and two runs at once (two classification
 * jobs on different workers) cannot collide on (model, object).
 */
export async function storePredictions(
  prisma: PrismaClient,
  modelId: number,
  rows: readonly PredictionRow[],
  jobId: number | null = null,
): Promise<void> {
  for (let i = 0; i < rows.length; i += PREDICTION_CHUNK) {
    const chunk = rows.slice(i, i + PREDICTION_CHUNK);
    await prisma.$executeRaw`
      INSERT INTO prediction (model_id, object_id, predicted_class, prob_galaxy, prob_qso, prob_star, confidence, job_id)
      SELECT ${modelId}, t.object_id, t.predicted_class::"ObjectClass", t.prob_galaxy, t.prob_qso, t.prob_star, t.confidence, ${jobId}::int
      FROM unnest(${chunk.map((d) => d.objectId)}::int[], ${chunk.map((d) => d.predictedClass)}::text[],
        ${chunk.map((d) => d.probGalaxy)}::float8[], ${chunk.map((d) => d.probQso)}::float8[],
        ${chunk.map((d) => d.probStar)}::float8[], ${chunk.map((d) => d.confidence)}::float8[])
        AS t(object_id, predicted_class, prob_galaxy, prob_qso, prob_star, confidence)
      ON CONFLICT (model_id, object_id) DO UPDATE SET predicted_class = excluded.predicted_class,
        prob_galaxy = excluded.prob_galaxy, prob_qso = excluded.prob_qso, prob_star = excluded.prob_star,
        confidence = excluded.confidence, job_id = excluded.job_id, created_at = now()`;
  }
}

/** Predicts every member of a dataset (default: the model's) that has the model's inputs. */
export async function classifyDataset(options: {
  prisma: PrismaClient;
  modelId: number;
  datasetId?: number;
  home: string;
  jobId?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<ClassifyResult> {
  const { prisma, modelId } = options;
  const context = await storedModelContext({
    prisma,
    modelId,
    home: options.home,
    datasetId: options.datasetId,
  });
  const { stored, cache, shapes } = context;
  const datasetId = cache.manifest.datasetId;
  const model = await loadModel(stored.weightsUri);
  // Stored probabilities are calibrated (the model's temperature; the predicted class is unchanged).
  const temperature = await ensureTemperature({ prisma, modelId, home: options.home, loaded: { model, context } });
  const batchSize = options.batchSize ?? 32;
  const all = cache.manifest.objectIds.map((_, i) => i);
  const predictedRows = await predictIndices(model, cache, all, shapes, batchSize, options.onProgress);
  model.dispose();
  const { labels } = predictedRows;
  const rows = predictedRows.rows.map((row) => applyTemperature(row, temperature));
  const predicted = rows.map(argmax);
  const counts: Record<string, number> = Object.fromEntries(CLASSES.map((c) => [c, 0]));
  const data = rows.map((row, i) => {
    const best = predicted[i] as number;
    const cls = CLASSES[best] as ObjectClass;
    counts[cls] = (counts[cls] ?? 0) + 1;
    return {
      objectId: cache.manifest.objectIds[i] as number,
      predictedClass: cls,
      probGalaxy: row[0] as number,
      probQso: row[1] as number,
      probStar: row[2] as number,
      confidence: row[best] as number,
    } satisfies PredictionRow;
  });
  await storePredictions(prisma, modelId, data, options.jobId ?? null);
  return {
    modelId,
    datasetId,
    objects: all.length,
    stored: data.length,
    predictedCounts: counts,
    metrics: classificationMetrics(labels, predicted),
    skipped: cache.manifest.skipped,
  };
}

export interface FilePrediction {
  obsid: string | null;
  sourceFiles: string[];
  /** The class the files or their folders give, when they give one. */
  label: ObjectClass | null;
  predictedClass: ObjectClass;
  probabilities: Record<ObjectClass, number>;
}

export interface ClassifyFilesResult {
  modelId: number;
  objects: FilePrediction[];
  /** Over the objects with a label; null when none has one. */
  metrics: Metrics | null;
  skipped: Record<string, number>;
  rejected: { file: string; field?: string; reason: string }[];
}

/**
 * Classifies files given directly: they are ingested into `scratchUrl` (an empty, migrated database
 * the caller disposes of: nothing is written to the platform's own), every object there is
 * preprocessed as for the model's dataset, and the predictions are returned, not stored.
 */
export async function classifyFiles(options: {
  prisma: PrismaClient;
  modelId: number;
  paths: string[];
  scratchUrl: string;
}): Promise<ClassifyFilesResult> {
  const stored = await options.prisma.trainedModel.findUnique({ where: { id: options.modelId } });
  if (!stored) throw new MacnetError(`No model with id ${options.modelId}`, "MODEL_NOT_FOUND");
  const config = resolveConfig(
    stored.compact ? "compact" : "full",
    (stored.hyperParameters as { config?: object }).config,
  );
  const report = await ingestPaths({ databaseUrl: options.scratchUrl, paths: options.paths, source: "classify" });
  const scratch = createPrismaClient(options.scratchUrl);
  const cacheRoot = mkdtempSync(join(tmpdir(), "macnet-classify-"));
  try {
    const objects = await scratch.celestialObject.findMany({
      select: {
        id: true,
        obsid: true,
        catalogClass: true,
        spectra2d: { select: { sourceFile: true } },
        spectra1d: { select: { sourceFile: true } },
        cutouts: { select: { sourceFile: true } },
      },
      orderBy: { id: "asc" },
    });
    const dataset = await scratch.dataset.create({
      data: {
        name: "classify",
        seed: 0,
        ratioTrain: 0,
        ratioVal: 0,
        ratioTest: 1,
        blueWindowStart: stored.blueWindowStart ?? 1000,
        blueWindowEnd: stored.blueWindowEnd ?? 3000,
        redWindowStart: stored.redWindowStart ?? 1500,
        redWindowEnd: stored.redWindowEnd ?? 3500,
        members: { create: objects.map((o) => ({ objectId: o.id, split: "TEST" as const })) },
      },
    });
    const cache = await buildDatasetCache({
      prisma: scratch,
      datasetId: dataset.id,
      arch: stored.architecture,
      config,
      cacheRoot,
    });
    const model = await loadModel(stored.weightsUri);
    const shapes = inputShapes(stored.architecture, config);
    const byId = new Map(objects.map((o) => [o.id, o]));
    const predictions: FilePrediction[] = [];
    const predicted = await predictIndices(
      model,
      cache,
      cache.manifest.objectIds.map((_, i) => i),
      shapes,
    );
    // Calibrated with the model's temperature once it has one (its first evaluation or classification).
    const rows = predicted.rows.map((row) => applyTemperature(row, stored.temperature ?? 1));
    rows.forEach((row, i) => {
      const object = byId.get(cache.manifest.objectIds[i] as number);
      const files = [...(object?.spectra2d ?? []), ...(object?.spectra1d ?? []), ...(object?.cutouts ?? [])]
        .map((f) => f.sourceFile)
        .filter((f): f is string => Boolean(f));
      predictions.push({
        obsid: object?.obsid === null || object?.obsid === undefined ? null : String(object.obsid),
        sourceFiles: [...new Set(files)],
        label: object?.catalogClass ?? null,
        predictedClass: CLASSES[argmax(row)] as ObjectClass,
        probabilities: { GALAXY: row[0] as number, QSO: row[1] as number, STAR: row[2] as number } as Record<
          ObjectClass,
          number
        >,
      });
    });
    model.dispose();
    const labelled = predictions.filter((p) => p.label !== null);
    const metrics =
      labelled.length > 0
        ? classificationMetrics(
            labelled.map((p) => CLASSES.indexOf(p.label as never)),
            labelled.map((p) => CLASSES.indexOf(p.predictedClass as never)),
          )
        : null;
    return {
      modelId: options.modelId,
      objects: predictions,
      metrics,
      skipped: cache.manifest.skipped,
      rejected: report.rejected,
    };
  } finally {
    await scratch.$disconnect();
    rmSync(cacheRoot, { recursive: true, force: true });
  }
}
