// Classification of stored objects with a trained model (issue #6): predictions with the
// probability of every class, stored per model and object (re-running replaces them).
import { join } from "node:path";
import { MacnetError, type ObjectClass, type PrismaClient } from "@macnet/db";
import * as tf from "@tensorflow/tfjs";
import { inputShapes, resolveConfig } from "./architectures.ts";
import { CLASSES } from "./datasets.ts";
import { classificationMetrics, type Metrics } from "./evaluate.ts";
import { loadModel } from "./persist.ts";
import { buildDatasetCache, readBatch } from "./pipeline.ts";

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
  const stored = await prisma.trainedModel.findUnique({ where: { id: modelId } });
  if (!stored) throw new MacnetError(`No model with id ${modelId}`, "MODEL_NOT_FOUND");
  const datasetId = options.datasetId ?? stored.datasetId;
  if (datasetId === null || datasetId === undefined) {
    throw new MacnetError(`Model ${modelId} has no dataset: name one with --dataset`, "DATASET_NOT_FOUND");
  }
  const config = resolveConfig(
    stored.compact ? "compact" : "full",
    (stored.hyperParameters as { config?: object }).config,
  );
  const cache = await buildDatasetCache({
    prisma,
    datasetId,
    arch: stored.architecture,
    config,
    cacheRoot: join(options.home, "cache"),
  });
  const model = await loadModel(stored.weightsUri);
  const shapes = inputShapes(stored.architecture, config);
  const batchSize = options.batchSize ?? 32;
  const all = cache.manifest.objectIds.map((_, i) => i);
  const predicted: number[] = [];
  const counts: Record<string, number> = Object.fromEntries(CLASSES.map((c) => [c, 0]));
  let stored_ = 0;
  for (let i = 0; i < all.length; i += batchSize) {
    const indices = all.slice(i, i + batchSize);
    const batch = readBatch(cache, indices, shapes);
    const probabilities = model.predict(batch.xs) as tf.Tensor2D;
    const rows = await probabilities.array();
    tf.dispose([...batch.xs, batch.ys, probabilities]);
    const data = rows.map((row, r) => {
      const best = row.indexOf(Math.max(...row));
      predicted.push(best);
      const cls = CLASSES[best] as ObjectClass;
      counts[cls] = (counts[cls] ?? 0) + 1;
      return {
        modelId,
        objectId: cache.manifest.objectIds[indices[r] as number] as number,
        predictedClass: cls,
        probGalaxy: row[0] as number,
        probQso: row[1] as number,
        probStar: row[2] as number,
        confidence: row[best] as number,
        jobId: options.jobId ?? null,
      };
    });
    await prisma.$transaction([
      prisma.prediction.deleteMany({ where: { modelId, objectId: { in: data.map((d) => d.objectId) } } }),
      prisma.prediction.createMany({ data }),
    ]);
    stored_ += data.length;
    options.onProgress?.(Math.min(i + batchSize, all.length), all.length);
  }
  model.dispose();
  return {
    modelId,
    datasetId,
    objects: all.length,
    stored: stored_,
    predictedCounts: counts,
    metrics: classificationMetrics(cache.manifest.labels, predicted),
    skipped: cache.manifest.skipped,
  };
}
