// Calibration: whether a probability of 0.9 is right 90 % of the time. Temperature scaling (Guo et
// al. 2017) divides the logits by one number T fitted on the validation split (T > 1 softens an
// over-confident model, T < 1 sharpens an under-confident one); the predicted class never changes.
// The expected calibration error (ECE) and the reliability diagram's bins measure the result.
import { MacnetError, type PrismaClient } from "@macnet/db";
import type * as tf from "@tensorflow/tfjs";
import { loadModel } from "./persist.ts";
import { predictIndices, splitIndices } from "./pipeline.ts";
import { type StoredModelContext, storedModelContext } from "./stored-model.ts";

// Bounds of the fit: a validation split the model separates perfectly drives the likelihood's
// optimum towards T → 0 (certainty), which the test split then pays for.
const MIN_T = 0.25;
const MAX_T = 10;
/** Fewer labelled validation objects than this give T = 1: too few to fit one number honestly. */
export const MIN_CALIBRATION_OBJECTS = 20;

/** Probabilities with their logits divided by `temperature` (log p stands in for the logits: same softmax). */
export function applyTemperature(probabilities: readonly number[], temperature: number): number[] {
  const scaled = probabilities.map((p) => Math.log(Math.max(p, 1e-12)) / temperature);
  const top = Math.max(...scaled);
  const exps = scaled.map((v) => Math.exp(v - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function negativeLogLikelihood(rows: readonly number[][], labels: readonly number[], temperature: number): number {
  let sum = 0;
  let n = 0;
  rows.forEach((row, i) => {
    const label = labels[i] as number;
    if (label < 0) return;
    sum -= Math.log(Math.max(applyTemperature(row, temperature)[label] as number, 1e-12));
    n++;
  });
  return n > 0 ? sum / n : 0;
}

/**
 * The temperature minimising the negative log-likelihood of the labelled rows (golden-section
 * search over log T in [0.25, 10]: the likelihood is unimodal in T); 1 with fewer than
 * MIN_CALIBRATION_OBJECTS labels.
 */
export function fitTemperature(rows: readonly number[][], labels: readonly number[]): number {
  if (labels.filter((label) => label >= 0).length < MIN_CALIBRATION_OBJECTS) return 1;
  let [a, b] = [Math.log(MIN_T), Math.log(MAX_T)];
  const ratio = (Math.sqrt(5) - 1) / 2;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = negativeLogLikelihood(rows, labels, Math.exp(c));
  let fd = negativeLogLikelihood(rows, labels, Math.exp(d));
  for (let i = 0; i < 60; i++) {
    if (fc < fd) {
      [b, d, fd] = [d, c, fc];
      c = b - ratio * (b - a);
      fc = negativeLogLikelihood(rows, labels, Math.exp(c));
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + ratio * (b - a);
      fd = negativeLogLikelihood(rows, labels, Math.exp(d));
    }
  }
  return Number(Math.exp((a + b) / 2).toFixed(4));
}

export interface ReliabilityBin {
  /** Confidence range [lower, upper) of the bin (the last includes 1). */
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence (probability of the predicted class) of the bin's objects; null when empty. */
  confidence: number | null;
  /** Fraction of the bin's objects whose predicted class is the label; null when empty. */
  accuracy: number | null;
}

/**
 * The reliability diagram's bins (equal widths of confidence) and the expected calibration error:
 * the mean over objects of |accuracy − confidence| of their bin (weighted by the bins' counts).
 */
export function reliability(
  rows: readonly number[][],
  labels: readonly number[],
  bins = 10,
): { ece: number; bins: ReliabilityBin[] } {
  const counts = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  let n = 0;
  rows.forEach((row, i) => {
    const label = labels[i] as number;
    if (label < 0) return;
    const top = Math.max(...row);
    const predicted = row.indexOf(top);
    const bin = Math.min(bins - 1, Math.floor(top * bins));
    counts[bin] = (counts[bin] as number) + 1;
    confidence[bin] = (confidence[bin] as number) + top;
    if (predicted === label) correct[bin] = (correct[bin] as number) + 1;
    n++;
  });
  let ece = 0;
  const out = counts.map((count, b) => {
    const meanConfidence = count > 0 ? (confidence[b] as number) / count : null;
    const accuracy = count > 0 ? (correct[b] as number) / count : null;
    if (count > 0) ece += (count / n) * Math.abs((accuracy as number) - (meanConfidence as number));
    return { lower: b / bins, upper: (b + 1) / bins, count, confidence: meanConfidence, accuracy };
  });
  return { ece: Number(ece.toFixed(5)), bins: out };
}

/**
 * The model's temperature: stored, or fitted now on its dataset's validation split and stored
 * (models trained before calibration existed get one the first time they are evaluated or
 * classify). A dataset without a validation split gives 1. A caller that has the model loaded with
 * its context passes them (`loaded`); they are used when the context is of the model's own dataset.
 */
export async function ensureTemperature(options: {
  prisma: PrismaClient;
  modelId: number;
  home: string;
  loaded?: { model: tf.LayersModel; context: StoredModelContext };
}): Promise<number> {
  const { prisma, modelId, loaded } = options;
  const row = await prisma.trainedModel.findUnique({ where: { id: modelId }, select: { temperature: true } });
  if (!row) throw new MacnetError(`No model with id ${modelId}`, "MODEL_NOT_FOUND");
  if (row.temperature !== null) return row.temperature;
  const own = loaded && loaded.context.cache.manifest.datasetId === loaded.context.stored.datasetId;
  const { stored, cache, shapes } = own
    ? loaded.context
    : await storedModelContext({ prisma, modelId, home: options.home });
  const val = splitIndices(cache, "VAL");
  let temperature = 1;
  if (val.length > 0) {
    const model = own ? loaded.model : await loadModel(stored.weightsUri);
    try {
      const { rows, labels } = await predictIndices(model, cache, val, shapes, 32);
      temperature = fitTemperature(rows, labels);
    } finally {
      if (!own) model.dispose();
    }
  }
  await prisma.trainedModel.update({ where: { id: modelId }, data: { temperature } });
  return temperature;
}
