// The training loop, free of the database: a compiled model, a dataset cache on disk, the samples of
// each split and a callback per epoch — seeded batch order and augmentation, the learning-rate
// schedule, weighted cross-entropy, validation, the collapse watch, early stopping, cancellation
// between batches, and the ETA from measured epochs. train.ts runs it for a stored dataset and model.
import { seededUniform } from "@macnet/core";
import { adagrad, freeingGradients } from "@macnet/tfjs-native";
import * as tf from "@tensorflow/tfjs";
import type { inputShapes } from "./architectures.ts";
import { PAPER_CLASS_WEIGHTS } from "./class-weights.ts";
import { CollapseWatch } from "./collapse.ts";
import type { LrSchedule, OptimizerName } from "./names.ts";
import { argmax, batchesOf, type DatasetCache, predictIndices, readBatch, yieldToEventLoop } from "./pipeline.ts";

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  durationMs: number;
}

export interface TrainProgress {
  phase: "cache" | "batch" | "epoch";
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss?: number;
  record?: EpochRecord;
  /**
   * Seconds until the last epoch ends, from the measured time of this run's epochs (the mean of the
   * last five; before the first one ends, this epoch's batches so far): an upper bound, since early
   * stopping may end the run sooner. Absent while nothing has been measured.
   */
  etaS?: number;
}

/** Epochs averaged for the ETA: recent enough to follow a machine that got busier or freer. */
const ETA_EPOCHS = 5;

/** Seconds left in a run at batch `batch` of `batches` of `epoch`, from the epochs measured so far. */
export function remainingSeconds(
  history: readonly Pick<EpochRecord, "durationMs">[],
  at: { epoch: number; epochs: number; batch: number; batches: number; elapsedMs: number },
): number | undefined {
  const recent = history.slice(-ETA_EPOCHS);
  const measured = recent.length > 0 ? recent.reduce((sum, e) => sum + e.durationMs, 0) / recent.length : undefined;
  const perEpoch = measured ?? (at.batch > 0 ? (at.elapsedMs / at.batch) * at.batches : undefined);
  if (perEpoch === undefined) return undefined;
  const thisEpoch =
    measured !== undefined ? Math.max(measured - at.elapsedMs, 0) : (at.elapsedMs / at.batch) * (at.batches - at.batch);
  return (thisEpoch + perEpoch * Math.max(at.epochs - at.epoch, 0)) / 1000;
}

/**
 * The learning rate of an epoch (1-based): a linear warm-up to `base` over `warmup` epochs, then
 * constant, or a cosine decay that reaches base·(1 + cos(π(n−1)/n))/2 at the last epoch.
 */
export function learningRateAt(
  base: number,
  epoch: number,
  epochs: number,
  schedule: LrSchedule,
  warmup: number,
): number {
  if (warmup > 0 && epoch <= warmup) return (base * epoch) / warmup;
  if (schedule === "constant") return base;
  const span = Math.max(epochs - warmup, 1);
  return (base * (1 + Math.cos((Math.PI * (epoch - warmup - 1)) / span))) / 2;
}

/** A fresh optimizer: the fused AdaGrad (the paper's) or TensorFlow.js's Adam, both with gradients that free memory as backpropagation goes. */
export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  return name === "adam" ? freeingGradients(tf.train.adam(learningRate)) : adagrad(learningRate);
}

/**
 * Keras-style weighted categorical cross-entropy: per sample, weight[class] × −log p[class]. With
 * `smoothing` ε > 0 the target is (1 − ε) on the label and ε / K spread over all K classes (label
 * smoothing: the network is not pushed towards certainty on labels that may be wrong).
 */
export function weightedCrossEntropy(weights: number[], smoothing = 0) {
  return (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const p = tf.clipByValue(yPred, 1e-7, 1 - 1e-7);
      if (smoothing === 0) return tf.neg(tf.sum(tf.mul(tf.mul(yTrue, tf.log(p)), tf.tensor1d(weights)), -1));
      const classes = yTrue.shape[yTrue.shape.length - 1] as number;
      const target = tf.add(tf.mul(yTrue, 1 - smoothing), smoothing / classes);
      // The labelled class's weight (one-hot yTrue picks it) scales the whole smoothed term.
      const weight = tf.sum(tf.mul(yTrue, tf.tensor1d(weights)), -1);
      return tf.neg(tf.mul(weight, tf.sum(tf.mul(target, tf.log(p)), -1)));
    });
}

/** Mean weighted loss and accuracy of `model` over a split, in batches. */
export async function evaluateSplit(
  model: tf.LayersModel,
  cache: DatasetCache,
  indices: number[],
  shapes: ReturnType<typeof inputShapes>,
  batchSize: number,
  classWeights: readonly number[] = PAPER_CLASS_WEIGHTS,
): Promise<{ loss: number; accuracy: number; probabilities: number[][] }> {
  const { rows: probabilities, labels } = await predictIndices(model, cache, indices, shapes, batchSize);
  let lossSum = 0;
  let correct = 0;
  probabilities.forEach((row, r) => {
    const label = labels[r] as number;
    lossSum += -(classWeights[label] as number) * Math.log(Math.min(Math.max(row[label] as number, 1e-7), 1 - 1e-7));
    if (argmax(row) === label) correct++;
  });
  const n = Math.max(indices.length, 1);
  return { loss: lossSum / n, accuracy: correct / n, probabilities };
}

/** How `fitEpochs` trains: the hyper-parameters of one run and its callbacks. */
export interface FitSettings {
  epochs: number;
  batchSize: number;
  patience: number;
  seed: number;
  augmentation: "dihedral" | "none";
  /** With dihedral augmentation: images also moved by up to this many pixels per axis (default 0). */
  shiftPx?: number;
  classWeights: number[];
  /** Sets the optimizer's learning rate at the start of each epoch (a schedule); absent: left as it is. */
  learningRate?: { optimizer: tf.Optimizer; at: (epoch: number) => number };
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
  onWarning?: (message: string) => void;
}

/** Where a run stands: what a checkpoint keeps. */
export interface FitState {
  epoch: number;
  history: EpochRecord[];
  bestEpoch: number;
  bestValLoss: number | null;
  sinceBest: number;
}

export const freshFitState = (): FitState => ({ epoch: 0, history: [], bestEpoch: 0, bestValLoss: null, sinceBest: 0 });

/**
 * The training loop of a compiled model on samples `train` of a cache, from `state.epoch + 1`:
 * seeded batch order and augmentation per epoch, validation on `val` after each epoch, the collapse
 * watch, early stopping on validation loss (training loss without a validation split), cancellation
 * between batches. `afterEpoch(improved)` runs after each epoch (a checkpoint, a copy of the best
 * weights); `state` is updated in place.
 */
export async function fitEpochs(
  model: tf.LayersModel,
  cache: DatasetCache,
  train: number[],
  val: number[],
  shapes: ReturnType<typeof inputShapes>,
  settings: FitSettings,
  state: FitState,
  afterEpoch: (improved: boolean) => Promise<void> | void,
): Promise<{ status: "completed" | "cancelled"; stoppedEarly: boolean; warnings: string[] }> {
  const { epochs, batchSize, patience, seed, augmentation, classWeights } = settings;
  const collapse = new CollapseWatch();
  const warnings: string[] = [];
  let status: "completed" | "cancelled" = "completed";
  let stoppedEarly = false;
  for (let epoch = state.epoch + 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    if (settings.learningRate) {
      // TensorFlow.js's Adam and AdaGrad read their (protected) learningRate at every step.
      const { optimizer, at } = settings.learningRate;
      (optimizer as unknown as { learningRate: number }).learningRate = at(epoch);
    }
    const batches = batchesOf(train, batchSize, seed * 1000 + epoch);
    const turn = augmentation === "dihedral" ? seededUniform(seed * 7919 + epoch) : undefined;
    let lossSum = 0;
    let accuracySum = 0;
    let seen = 0;
    for (const [b, indices] of batches.entries()) {
      if (settings.signal?.aborted) {
        status = "cancelled";
        break;
      }
      const batch = readBatch(cache, indices, shapes, turn, settings.shiftPx ?? 0);
      const [loss, accuracy] = (await model.trainOnBatch(batch.xs, batch.ys)) as number[];
      tf.dispose([...batch.xs, batch.ys]);
      lossSum += (loss as number) * indices.length;
      accuracySum += (accuracy as number) * indices.length;
      seen += indices.length;
      const at = { epoch, epochs, batch: b + 1, batches: batches.length, elapsedMs: performance.now() - started };
      settings.onProgress?.({ phase: "batch", ...at, loss: loss as number, etaS: remainingSeconds(state.history, at) });
      await yieldToEventLoop();
    }
    if (status === "cancelled") break; // the last checkpoint is the previous epoch's
    const valMetrics = val.length > 0 ? await evaluateSplit(model, cache, val, shapes, 32, classWeights) : null;
    const record: EpochRecord = {
      epoch,
      loss: lossSum / seen,
      accuracy: accuracySum / seen,
      valLoss: valMetrics?.loss ?? null,
      valAccuracy: valMetrics?.accuracy ?? null,
      durationMs: Math.round(performance.now() - started),
    };
    state.history.push(record);
    const collapsed = valMetrics ? collapse.observe(epoch, valMetrics.probabilities) : null;
    if (collapsed) {
      warnings.push(collapsed);
      settings.onWarning?.(collapsed);
    }
    state.epoch = epoch;
    const monitored = record.valLoss ?? record.loss;
    const improved = state.bestValLoss === null || monitored < state.bestValLoss;
    if (improved) {
      state.bestValLoss = monitored;
      state.bestEpoch = epoch;
      state.sinceBest = 0;
    } else {
      state.sinceBest++;
    }
    await afterEpoch(improved);
    const at = { epoch, epochs, batch: batches.length, batches: batches.length, elapsedMs: record.durationMs };
    settings.onProgress?.({ phase: "epoch", ...at, record, etaS: remainingSeconds(state.history, at) });
    if (state.sinceBest >= patience) {
      stoppedEarly = true;
      break;
    }
  }
  return { status, stoppedEarly, warnings };
}
