// Training as in the paper (§3.3, Table 3): AdaGrad, weighted cross-entropy (GALAXY:QSO:STAR =
// 1:3:1), early stopping on validation loss with the best weights restored, a checkpoint every epoch
// (model, optimizer state, history) from which an interrupted run resumes, a cancellation signal
// honoured between batches, and a progress callback per batch and epoch. The loop itself is fit.ts.

import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { badInput, MacnetError, type Prisma, type PrismaClient } from "@macnet/db";
import * as tf from "@tensorflow/tfjs";
import { ARCHITECTURE_INPUTS, type Architecture, buildModel, inputShapes, type ModelConfig } from "./architectures.ts";
import { type ClassWeightsChoice, resolveClassWeights } from "./class-weights.ts";
import {
  type EpochRecord,
  type FitState,
  fitEpochs,
  freshFitState,
  learningRateAt,
  makeOptimizer,
  type TrainProgress,
  weightedCrossEntropy,
} from "./fit.ts";
import type { LrSchedule, OptimizerName } from "./names.ts";
import { loadModel, loadTensors, saveModel, saveTensors } from "./persist.ts";
import { buildDatasetCache, splitIndices } from "./pipeline.ts";

export interface TrainOptions {
  prisma: PrismaClient;
  datasetId: number;
  arch: Architecture;
  config: ModelConfig;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  seed?: number;
  /**
   * Train on images turned by a random one of their 8 symmetries (flips, 90° rotations), a new one
   * each time a sample is read (default true; only networks with an image input are affected).
   */
  augment?: boolean;
  /** Loss weight per class in GALAXY, QSO, STAR order, or "balanced" (default) or "paper" (1:3:1). */
  classWeights?: ClassWeightsChoice;
  /** adagrad (default, the paper's) or adam. */
  optimizer?: OptimizerName;
  /** constant (default) or cosine: the learning rate decays over the epochs after the warm-up. */
  lrSchedule?: LrSchedule;
  /** Epochs over which the learning rate rises linearly to its value (default 0). */
  warmupEpochs?: number;
  /** With augmentation: images also moved by up to this many pixels along each axis (default 0). */
  shiftPx?: number;
  /** Label smoothing ε in [0, 0.5): the target is (1 − ε) on the label, ε/3 on every class (default 0). */
  labelSmoothing?: number;
  /** The named recipe these settings came from (`--preset`), recorded with the model. */
  preset?: string;
  /** Called when the run notices something worth a warning (a collapse to one class). */
  onWarning?: (message: string) => void;
  /** Where the dataset cache lives (MACNET_HOME). */
  home: string;
  /** Where checkpoints and model weights are written (MACNET_ARTIFACTS; default: home). */
  artifactsDir?: string;
  /** Checkpoint folder to write to and resume from (default: a new one under home). */
  checkpointDir?: string;
  /** TensorFlow.js backend description, stored with the model. */
  backend?: string;
  /** The machine/device that trained, stored with the model. */
  device?: string;
  /** The job that runs this training (the model records it). */
  jobId?: number;
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
}

/** The hyper-parameters of a training run (what `train`, `sweep`, `compare` and jobs pass on). */
export const RECIPE_KEYS = [
  "epochs",
  "batchSize",
  "learningRate",
  "patience",
  "classWeights",
  "augment",
  "optimizer",
  "lrSchedule",
  "warmupEpochs",
  "shiftPx",
  "labelSmoothing",
  "preset",
] as const satisfies readonly (keyof TrainOptions)[];
export type TrainingRecipe = Pick<TrainOptions, (typeof RECIPE_KEYS)[number]>;

/** The recipe fields of `options` (those it sets). */
export function pickRecipe(options: TrainingRecipe): TrainingRecipe {
  return Object.fromEntries(
    RECIPE_KEYS.flatMap((key) => (options[key] === undefined ? [] : [[key, options[key]]])),
  ) as TrainingRecipe;
}

export interface TrainResult {
  status: "completed" | "cancelled";
  modelId: number | null;
  arch: Architecture;
  size: ModelConfig["size"];
  datasetId: number;
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number | null;
  stoppedEarly: boolean;
  resumedFromEpoch: number;
  history: EpochRecord[];
  trainSamples: number;
  valSamples: number;
  skipped: Record<string, number>;
  checkpointDir: string;
  weightsUri: string | null;
  parameterCount: number;
  /** The loss weights used (GALAXY, QSO, STAR) and where they came from. */
  classWeights: number[];
  classWeightsMode: "balanced" | "paper" | "custom";
  /** dihedral: images turned by a random symmetry each time they are read; none: as stored. */
  augmentation: "dihedral" | "none";
  /** What the run noticed (a collapse to one class), also stored with the model. */
  warnings: string[];
  optimizer: OptimizerName;
  lrSchedule: LrSchedule;
  warmupEpochs: number;
  shiftPx: number;
  labelSmoothing: number;
  preset: string | null;
}

type CheckpointState = FitState;

export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const epochs = options.epochs ?? 300;
  const batchSize = options.batchSize ?? 4;
  const learningRate = options.learningRate ?? 0.001;
  const patience = options.patience ?? 50;
  const seed = options.seed ?? 1;
  const optimizerName = options.optimizer ?? "adagrad";
  const lrSchedule = options.lrSchedule ?? "constant";
  const warmupEpochs = options.warmupEpochs ?? 0;
  if (!Number.isInteger(warmupEpochs) || warmupEpochs < 0 || warmupEpochs >= epochs)
    throw badInput(`warm-up epochs must be an integer in [0, ${epochs - 1}]; got ${warmupEpochs}`, "warmupEpochs");
  const labelSmoothing = options.labelSmoothing ?? 0;
  if (!(labelSmoothing >= 0 && labelSmoothing < 0.5))
    throw badInput(`label smoothing must be in [0, 0.5); got ${labelSmoothing}`, "labelSmoothing");
  const shiftPx = options.shiftPx ?? 0;
  if (!Number.isInteger(shiftPx) || shiftPx < 0 || shiftPx > options.config.imageSize / 4)
    throw badInput(
      `image shifts must be whole pixels in [0, ${options.config.imageSize / 4}]; got ${shiftPx}`,
      "shiftPx",
    );
  const weightsChoice = options.classWeights ?? "balanced";
  if (
    typeof weightsChoice !== "string" &&
    (weightsChoice.length !== 3 || weightsChoice.some((w) => !Number.isFinite(w) || w <= 0))
  ) {
    throw badInput(
      `class weights must be three positive numbers (GALAXY, QSO, STAR), "balanced" or "paper"; got ${weightsChoice.join(":")}`,
      "classWeights",
    );
  }
  const artifactsDir = options.artifactsDir ?? options.home;
  const { prisma, arch, config, datasetId } = options;
  const dataset = await prisma.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) throw new MacnetError(`No dataset with id ${datasetId}`, "DATASET_NOT_FOUND");
  const cache = await buildDatasetCache({
    prisma,
    datasetId,
    arch,
    config,
    cacheRoot: join(options.home, "cache"),
    onProgress: (done, total) =>
      options.onProgress?.({ phase: "cache", epoch: 0, epochs, batch: done, batches: total }),
  });
  const train = splitIndices(cache, "TRAIN");
  const val = splitIndices(cache, "VAL");
  if (train.length === 0) {
    throw new MacnetError(
      `Dataset ${dataset.name} v${dataset.version} has no training objects with ${arch}'s inputs (skipped: ${JSON.stringify(cache.manifest.skipped)})`,
      "DATASET_EMPTY",
    );
  }
  const { weights: classWeights, mode: classWeightsMode } = resolveClassWeights(
    weightsChoice,
    train.map((i) => cache.manifest.labels[i] as number),
  );
  const augmentation: "dihedral" | "none" =
    options.augment !== false && ARCHITECTURE_INPUTS[arch].includes("image") ? "dihedral" : "none";
  if (!dataset.lockedAt) await prisma.dataset.update({ where: { id: datasetId }, data: { lockedAt: new Date() } });

  const checkpointDir =
    options.checkpointDir ??
    join(artifactsDir, "checkpoints", `${arch.toLowerCase()}-${config.size}-dataset-${datasetId}-${Date.now()}`);
  mkdirSync(checkpointDir, { recursive: true });
  const shapes = inputShapes(arch, config);
  let state: CheckpointState = freshFitState();
  let model: tf.LayersModel;
  const optimizer = makeOptimizer(optimizerName, learningRate);
  const checkpoint = openCheckpoint(checkpointDir);
  if (checkpoint) {
    state = checkpoint.state;
    model = await loadModel(join(checkpoint.dir, "model"));
    const optimizerState = loadTensors(join(checkpoint.dir, "optimizer"));
    if (optimizerState.length > 0) await optimizer.setWeights(optimizerState);
  } else {
    model = buildModel(arch, config);
  }
  model.compile({ optimizer, loss: weightedCrossEntropy(classWeights, labelSmoothing), metrics: ["accuracy"] });
  const resumedFromEpoch = state.epoch;
  const { status, stoppedEarly, warnings } = await fitEpochs(
    model,
    cache,
    train,
    val,
    shapes,
    {
      epochs,
      batchSize,
      patience,
      seed,
      augmentation,
      shiftPx: augmentation === "dihedral" ? shiftPx : 0,
      classWeights,
      learningRate:
        lrSchedule === "constant" && warmupEpochs === 0
          ? undefined
          : { optimizer, at: (epoch) => learningRateAt(learningRate, epoch, epochs, lrSchedule, warmupEpochs) },
      signal: options.signal,
      onProgress: options.onProgress,
      onWarning: options.onWarning,
    },
    state,
    (improved) => saveCheckpoint(checkpointDir, model, optimizer, state, improved),
  );

  const parameterCount = model.countParams();
  model.dispose();
  optimizer.dispose();
  const result: TrainResult = {
    status,
    modelId: null,
    arch,
    size: config.size,
    datasetId,
    epochsRun: state.epoch,
    bestEpoch: state.bestEpoch,
    bestValLoss: state.bestValLoss,
    stoppedEarly,
    resumedFromEpoch,
    history: state.history,
    trainSamples: train.length,
    valSamples: val.length,
    skipped: cache.manifest.skipped,
    checkpointDir,
    weightsUri: null,
    parameterCount,
    classWeights,
    classWeightsMode,
    augmentation,
    warnings,
    optimizer: optimizerName,
    lrSchedule,
    warmupEpochs,
    shiftPx: augmentation === "dihedral" ? shiftPx : 0,
    labelSmoothing,
    preset: options.preset ?? null,
  };
  if (status === "cancelled" || state.bestEpoch === 0) return result;

  // The best epoch's weights become the model, under a name no other model has.
  const recipe = `${arch.toLowerCase()}${config.size === "compact" ? "-compact" : ""}-${dataset.name}-v${dataset.version}`;
  const created = await createWithUniqueName(prisma, recipe, (name) => ({
    name,
    architecture: arch,
    compact: config.size === "compact",
    datasetId,
    hyperParameters: {
      epochs,
      batchSize,
      learningRate,
      patience,
      seed,
      classWeights,
      classWeightsMode,
      augmentation,
      optimizer: optimizerName,
      lrSchedule,
      warmupEpochs,
      shiftPx: result.shiftPx,
      labelSmoothing,
      ...(options.preset ? { preset: options.preset } : {}),
      config,
    },
    blueWindowStart: dataset.blueWindowStart,
    blueWindowEnd: dataset.blueWindowEnd,
    redWindowStart: dataset.redWindowStart,
    redWindowEnd: dataset.redWindowEnd,
    weightsUri: "",
    parameterCount,
    backend: options.backend ?? tf.getBackend(),
    device: options.device ?? null,
    jobId: options.jobId ?? null,
    epochsTrained: state.epoch,
    warnings,
  }));
  const weightsDir = join(artifactsDir, "models", String(created.id));
  const best = await loadModel(join(checkpointDir, CHECKPOINT, "best"));
  await saveModel(best, weightsDir);
  best.dispose();
  await prisma.trainedModel.update({ where: { id: created.id }, data: { weightsUri: weightsDir } });
  return { ...result, modelId: created.id, weightsUri: weightsDir };
}

/** The recipe's name, else "<recipe>-r2", "-r3", …: the first that no model has. */
export async function uniqueModelName(prisma: PrismaClient, recipe: string): Promise<string> {
  const rows = await prisma.trainedModel.findMany({ where: { name: { startsWith: recipe } }, select: { name: true } });
  const taken = new Set(rows.map((row) => row.name));
  if (!taken.has(recipe)) return recipe;
  let run = 2;
  while (taken.has(`${recipe}-r${run}`)) run++;
  return `${recipe}-r${run}`;
}

/** Creates the model row; a name taken meanwhile by a concurrent run (unique index) means the next one. */
async function createWithUniqueName(
  prisma: PrismaClient,
  recipe: string,
  data: (name: string) => Prisma.TrainedModelUncheckedCreateInput,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.trainedModel.create({ data: data(await uniqueModelName(prisma, recipe)) });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002" || attempt >= 5) throw error;
    }
  }
}

const CHECKPOINT = "checkpoint";

/**
 * The last finished epoch, if `checkpointDir` holds one. A checkpoint is one folder (model,
 * optimizer state, best weights so far, state.json) that replaces the previous one by rename, so a
 * crash at any moment leaves either the old checkpoint or the new one, never a mix.
 */
function openCheckpoint(checkpointDir: string): { dir: string; state: CheckpointState } | null {
  const dir = join(checkpointDir, CHECKPOINT);
  const staging = `${dir}.saving`;
  // A crash between removing the old checkpoint and renaming the new one leaves a complete staging folder.
  if (!existsSync(join(dir, "state.json")) && existsSync(join(staging, "state.json"))) renameSync(staging, dir);
  if (!existsSync(join(dir, "state.json"))) return null;
  return { dir, state: JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) };
}

/** The last epoch checkpointed in `checkpointDir` (0: none), as a resumed run would see it. */
export function checkpointedEpoch(checkpointDir: string): number {
  return openCheckpoint(checkpointDir)?.state.epoch ?? 0;
}

async function saveCheckpoint(
  checkpointDir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: CheckpointState,
  improved: boolean,
): Promise<void> {
  const dir = join(checkpointDir, CHECKPOINT);
  const staging = `${dir}.saving`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await saveModel(model, join(staging, "model"));
  await saveTensors(await optimizer.getWeights(), join(staging, "optimizer"));
  if (improved) {
    await saveModel(model, join(staging, "best"));
  } else {
    // Unchanged best weights: hard links to the previous checkpoint's files (never written in place).
    mkdirSync(join(staging, "best"));
    for (const file of readdirSync(join(dir, "best"))) linkSync(join(dir, "best", file), join(staging, "best", file));
  }
  writeFileSync(join(staging, "state.json"), JSON.stringify(state)); // written last: marks the folder complete
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}
