// Evaluation of a trained model on a dataset split (issue #6): per-class precision, recall, F1 and
// support, accuracy, the 3×3 confusion matrix, inference time per object and the parameter count,
// stored with the model (model_evaluation + model_class_metric, one row per model and split).
import { MacnetError, type Prisma, type PrismaClient } from "@macnet/db";
import * as tf from "@tensorflow/tfjs";
import { applyTemperature, ensureTemperature, type ReliabilityBin, reliability } from "./calibration.ts";
import { CLASSES, type Split } from "./datasets.ts";
import { loadModel } from "./persist.ts";
import { argmax, predictIndices, readBatch, splitIndices } from "./pipeline.ts";
import { storedModelContext } from "./stored-model.ts";

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  accuracy: number;
  classOrder: string[];
  /** Rows: true class, columns: predicted class, in classOrder. */
  confusionMatrix: number[][];
  perClass: Record<string, ClassMetrics>;
}

/** Metrics from true and predicted class indices (0 GALAXY, 1 QSO, 2 STAR). */
export function classificationMetrics(truth: number[], predicted: number[]): Metrics {
  const k = CLASSES.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  truth.forEach((t, i) => {
    if (t < 0) return; // unlabelled
    const row = matrix[t] as number[];
    const p = predicted[i] as number;
    row[p] = (row[p] as number) + 1;
  });
  const perClass: Record<string, ClassMetrics> = {};
  CLASSES.forEach((cls, c) => {
    const tp = (matrix[c] as number[])[c] as number;
    const support = (matrix[c] as number[]).reduce((a, b) => a + b, 0);
    const predictedCount = matrix.reduce((sum, row) => sum + (row[c] as number), 0);
    const precision = predictedCount > 0 ? tp / predictedCount : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[cls] = { precision, recall, f1, support };
  });
  const correct = matrix.reduce((sum, row, c) => sum + (row[c] as number), 0);
  return {
    accuracy: truth.length > 0 ? correct / truth.length : 0,
    classOrder: [...CLASSES],
    confusionMatrix: matrix,
    perClass,
  };
}

export interface EvaluationResult extends Metrics {
  evaluationId: number;
  modelId: number;
  split: Split;
  objects: number;
  inferenceMsPerObject: number;
  parameterCount: number;
  backend: string;
  /** Temperature scaling (fitted on the validation split) and the calibration it gives on this split. */
  temperature: number;
  ece: number;
  eceUncalibrated: number;
  reliability: { calibrated: ReliabilityBin[]; uncalibrated: ReliabilityBin[] };
  /** With `keepPredictions`: each evaluated object and the class index the model gave it. */
  predictions?: { objectIds: number[]; predicted: number[] };
}

/** Evaluates a stored model on a split of its dataset and stores the result (replacing an older one). */
export async function evaluateModel(options: {
  prisma: PrismaClient;
  modelId: number;
  split?: Split;
  home: string;
  backend?: string;
  batchSize?: number;
  keepPredictions?: boolean;
}): Promise<EvaluationResult> {
  const { prisma, modelId } = options;
  const split = options.split ?? "TEST";
  const context = await storedModelContext({ prisma, modelId, home: options.home });
  const { stored, cache, shapes } = context;
  const indices = splitIndices(cache, split);
  if (indices.length === 0)
    throw new MacnetError(`Model ${modelId}'s dataset has no ${split} objects`, "DATASET_EMPTY");
  const model = await loadModel(stored.weightsUri);
  const temperature = await ensureTemperature({ prisma, modelId, home: options.home, loaded: { model, context } });
  const batchSize = options.batchSize ?? 32;
  // One untimed pass warms the kernels' caches, as a served model would be.
  tf.tidy(() => model.predict(readBatch(cache, indices.slice(0, 1), shapes).xs));
  const {
    rows,
    labels: truth,
    predictMs: inferenceMs,
  } = await predictIndices(model, cache, indices, shapes, batchSize);
  const predicted = rows.map(argmax);
  const parameterCount = model.countParams();
  model.dispose();
  const metrics = classificationMetrics(truth, predicted);
  const before = reliability(rows, truth);
  const after = reliability(
    rows.map((row) => applyTemperature(row, temperature)),
    truth,
  );
  const calibration = {
    temperature,
    ece: after.ece,
    eceUncalibrated: before.ece,
    reliability: { calibrated: after.bins, uncalibrated: before.bins },
  };
  const backend = options.backend ?? tf.getBackend();
  const inferenceMsPerObject = inferenceMs / indices.length;
  const evaluation = await prisma.$transaction(async (tx) => {
    await tx.modelEvaluation.deleteMany({ where: { modelId, split } });
    return tx.modelEvaluation.create({
      data: {
        modelId,
        split,
        accuracy: metrics.accuracy,
        classOrder: [...CLASSES],
        confusionMatrix: metrics.confusionMatrix.flat(),
        inferenceMsPerObject,
        objectCount: indices.length,
        backend,
        ece: calibration.ece,
        eceUncalibrated: calibration.eceUncalibrated,
        reliability: calibration.reliability as unknown as Prisma.InputJsonValue,
        classMetrics: {
          create: CLASSES.map((cls) => ({ class: cls, ...(metrics.perClass[cls] as ClassMetrics) })),
        },
      },
    });
  });
  return {
    evaluationId: evaluation.id,
    modelId,
    split,
    objects: indices.length,
    inferenceMsPerObject: Number(inferenceMsPerObject.toFixed(3)),
    parameterCount,
    backend,
    ...metrics,
    ...calibration,
    ...(options.keepPredictions
      ? { predictions: { objectIds: indices.map((i) => cache.manifest.objectIds[i] as number), predicted } }
      : {}),
  };
}
