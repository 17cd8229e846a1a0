// Architectures compared honestly (issue #19): every architecture trained on the same dataset split
// with several seeds, each evaluated on the test split, reported as mean ± sample standard deviation
// with the training curves kept. Runs are appended to a results file as they finish, so a long
// comparison that is stopped resumes with the runs still missing.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { badInput, type PrismaClient } from "@macnet/db";
import { type Architecture, type ModelConfig, resolveConfig } from "./architectures.ts";
import { CLASSES } from "./datasets.ts";
import { evaluateModel } from "./evaluate.ts";
import type { EpochRecord } from "./fit.ts";
import { type TrainingRecipe, type TrainOptions, type TrainResult, trainModel } from "./train.ts";

/** One architecture trained with one seed and evaluated on the test split. */
export interface ComparisonRun {
  arch: Architecture;
  seed: number;
  modelId: number;
  accuracy: number;
  /** F1 per class (GALAXY, QSO, STAR) on the test split. */
  f1: Record<string, number>;
  confusionMatrix: number[][];
  /** Expected calibration error on the test split with the fitted temperature, and raw (T = 1). */
  ece?: number;
  eceUncalibrated?: number;
  temperature?: number;
  testObjects: number;
  epochsRun: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  parameterCount: number;
  warnings: string[];
  history: EpochRecord[];
  /** The recipe the run used, so a resumed comparison only reuses runs of the same recipe. */
  recipe: string;
  /**
   * With `scoreAgainst`: test accuracy against the ingested truth file and against the original
   * catalogue (a reviewed version's corrections apart), over the test objects with a truth row.
   */
  accuracyTruth?: number;
  accuracyCatalogue?: number;
  truthObjects?: number;
}

/** Mean and sample standard deviation (0 for a single value). */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

export interface ComparisonSummary {
  arch: Architecture;
  seeds: number[];
  accuracy: MeanStd;
  f1: Record<string, MeanStd>;
  ece: MeanStd;
  eceUncalibrated: MeanStd;
  /** Runs whose validation predictions collapsed to one class (their warnings say when). */
  collapsed: number;
  /** Against the truth file and the original catalogue (runs scored that way only). */
  accuracyTruth: MeanStd;
  accuracyCatalogue: MeanStd;
  bestEpoch: MeanStd;
  epochsRun: MeanStd;
  testObjects: number;
  parameterCount: number;
}

export interface ComparisonResult {
  datasetId: number;
  recipe: string;
  runs: ComparisonRun[];
  summary: ComparisonSummary[];
}

export type CompareTrainOptions = TrainingRecipe;

export function meanStd(values: number[]): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

/** What identifies a comparison's training recipe (seed and architecture apart). */
export function comparisonRecipe(
  datasetId: number,
  size: ModelConfig["size"],
  train: CompareTrainOptions,
  config: Record<string, unknown> = {},
): string {
  const weights = train.classWeights ?? "balanced";
  return JSON.stringify({
    datasetId,
    size,
    epochs: train.epochs,
    batchSize: train.batchSize,
    learningRate: train.learningRate,
    patience: train.patience,
    classWeights: typeof weights === "string" ? weights : [...weights],
    augment: train.augment !== false,
    // Only when set, so that results files from before these options existed stay valid.
    ...(train.optimizer && train.optimizer !== "adagrad" ? { optimizer: train.optimizer } : {}),
    ...(train.lrSchedule && train.lrSchedule !== "constant" ? { lrSchedule: train.lrSchedule } : {}),
    ...(train.warmupEpochs ? { warmupEpochs: train.warmupEpochs } : {}),
    ...(train.shiftPx ? { shiftPx: train.shiftPx } : {}),
    ...(train.labelSmoothing ? { labelSmoothing: train.labelSmoothing } : {}),
    ...(train.preset ? { preset: train.preset } : {}),
    ...(Object.keys(config).length > 0 ? { config } : {}),
  });
}

/** Per-architecture mean ± std over the runs, in the order the architectures were asked for. */
export function summariseRuns(archs: readonly Architecture[], runs: ComparisonRun[]): ComparisonSummary[] {
  return archs.flatMap((arch) => {
    const mine = runs.filter((run) => run.arch === arch);
    if (mine.length === 0) return [];
    return [
      {
        arch,
        seeds: mine.map((run) => run.seed),
        accuracy: meanStd(mine.map((run) => run.accuracy)),
        f1: Object.fromEntries(CLASSES.map((cls) => [cls, meanStd(mine.map((run) => run.f1[cls] ?? 0))])),
        ece: meanStd(mine.flatMap((run) => (run.ece === undefined ? [] : [run.ece]))),
        eceUncalibrated: meanStd(
          mine.flatMap((run) => (run.eceUncalibrated === undefined ? [] : [run.eceUncalibrated])),
        ),
        collapsed: mine.filter((run) => run.warnings.length > 0).length,
        accuracyTruth: meanStd(mine.flatMap((run) => (run.accuracyTruth === undefined ? [] : [run.accuracyTruth]))),
        accuracyCatalogue: meanStd(
          mine.flatMap((run) => (run.accuracyCatalogue === undefined ? [] : [run.accuracyCatalogue])),
        ),
        bestEpoch: meanStd(mine.map((run) => run.bestEpoch)),
        epochsRun: meanStd(mine.map((run) => run.epochsRun)),
        testObjects: (mine[0] as ComparisonRun).testObjects,
        parameterCount: (mine[0] as ComparisonRun).parameterCount,
      },
    ];
  });
}

/**
 * Accuracy of predicted class indices against the ingested truth file and against the catalogue's own
 * classes, over the objects with a truth row (none: both NaN, truthObjects 0).
 */
export async function scoreAgainstTruth(
  prisma: PrismaClient,
  predictions: { objectIds: number[]; predicted: number[] },
): Promise<{ accuracyTruth: number; accuracyCatalogue: number; truthObjects: number }> {
  const rows = await prisma.$queryRaw<Array<{ id: number; truth: string; catalogue: string | null }>>`
    SELECT o.id, t.true_class::text AS truth, o.catalog_class::text AS catalogue
    FROM celestial_object o JOIN label_truth t ON t.obsid = o.obsid
    WHERE o.id = ANY(${predictions.objectIds}::int[])`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  let n = 0;
  let truthRight = 0;
  let catalogueRight = 0;
  predictions.objectIds.forEach((id, i) => {
    const row = byId.get(id);
    if (!row) return;
    const cls = CLASSES[predictions.predicted[i] as number];
    n++;
    if (cls === row.truth) truthRight++;
    if (cls === row.catalogue) catalogueRight++;
  });
  return {
    accuracyTruth: n > 0 ? truthRight / n : Number.NaN,
    accuracyCatalogue: n > 0 ? catalogueRight / n : Number.NaN,
    truthObjects: n,
  };
}

function readRuns(path: string | undefined): ComparisonRun[] {
  if (!path || !existsSync(path)) return [];
  const parsed = JSON.parse(readFileSync(path, "utf8")) as { runs?: ComparisonRun[] };
  if (!Array.isArray(parsed.runs)) throw badInput(`${path}: not a comparison results file (no runs)`, "out");
  return parsed.runs;
}

/** Writes the results file: this comparison's runs, and the file's other runs of the same recipe kept. */
function writeRuns(path: string, result: ComparisonResult, others: ComparisonRun[]): void {
  const mine = new Set(result.runs.map((run) => `${run.arch}/${run.seed}`));
  const runs = [...result.runs, ...others.filter((run) => !mine.has(`${run.arch}/${run.seed}`))];
  writeFileSync(`${path}.tmp`, `${JSON.stringify({ ...result, runs }, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
}

/**
 * Trains each architecture with each seed on `datasetId` (one after another, in this process),
 * evaluates each model on the test split and summarises. With `resultsFile`, runs of the same recipe
 * already recorded there are kept rather than trained again, and each new run is recorded as soon as
 * it is evaluated (other runs of the recipe there are kept). With `trainMissing: false` nothing is
 * trained: the result holds the recorded runs only (a report of a comparison still under way).
 */
export async function compareArchitectures(options: {
  prisma: PrismaClient;
  datasetId: number;
  archs: readonly Architecture[];
  seeds: readonly number[];
  size: ModelConfig["size"];
  train: CompareTrainOptions;
  /** Overrides of the size's model configuration (a preset's), for every run. */
  config?: Record<string, unknown>;
  home: string;
  artifactsDir?: string;
  backend?: string;
  device?: string;
  resultsFile?: string;
  trainMissing?: boolean;
  signal?: AbortSignal;
  onRunStart?: (arch: Architecture, seed: number, index: number, total: number) => void;
  onRun?: (run: ComparisonRun, reused: boolean) => void;
  onProgress?: TrainOptions["onProgress"];
  onWarning?: (message: string) => void;
  /** Also score each run against the ingested truth file and the original catalogue (issue #33). */
  scoreTruth?: boolean;
}): Promise<ComparisonResult & { complete: boolean }> {
  const recipe = comparisonRecipe(options.datasetId, options.size, options.train, options.config);
  const earlier = readRuns(options.resultsFile).filter((run) => run.recipe === recipe);
  const runs: ComparisonRun[] = [];
  const plan = options.archs.flatMap((arch) => options.seeds.map((seed) => ({ arch, seed })));
  const result = (): ComparisonResult => ({
    datasetId: options.datasetId,
    recipe,
    runs,
    summary: summariseRuns(options.archs, runs),
  });
  for (const [index, { arch, seed }] of plan.entries()) {
    const done = earlier.find((run) => run.arch === arch && run.seed === seed);
    if (done && options.scoreTruth && done.accuracyTruth === undefined) {
      // A run recorded before truth scoring: its stored model is scored, not trained again.
      const evaluation = await evaluateModel({
        prisma: options.prisma,
        modelId: done.modelId,
        home: options.home,
        backend: options.backend,
        keepPredictions: true,
      });
      Object.assign(
        done,
        await scoreAgainstTruth(options.prisma, evaluation.predictions as { objectIds: number[]; predicted: number[] }),
      );
    }
    if (done) {
      // Runs recorded before calibration figures were kept take them from the model's stored evaluation.
      if (done.ece === undefined) {
        const stored = await options.prisma.modelEvaluation.findUnique({
          where: { modelId_split: { modelId: done.modelId, split: "TEST" } },
          include: { model: { select: { temperature: true } } },
        });
        if (stored?.ece !== null && stored?.ece !== undefined) {
          done.ece = stored.ece;
          done.eceUncalibrated = stored.eceUncalibrated ?? undefined;
          done.temperature = stored.model.temperature ?? undefined;
        }
      }
      runs.push(done);
      options.onRun?.(done, true);
      continue;
    }
    if (options.signal?.aborted || options.trainMissing === false) {
      if (options.trainMissing === false) continue;
      return { ...result(), complete: false };
    }
    options.onRunStart?.(arch, seed, index, plan.length);
    const trained: TrainResult = await trainModel({
      prisma: options.prisma,
      datasetId: options.datasetId,
      arch,
      config: resolveConfig(options.size, options.config as Partial<ModelConfig> | undefined),
      ...options.train,
      seed,
      home: options.home,
      artifactsDir: options.artifactsDir,
      backend: options.backend,
      device: options.device,
      signal: options.signal,
      onProgress: options.onProgress,
      onWarning: options.onWarning,
    });
    if (trained.status === "cancelled" || trained.modelId === null) return { ...result(), complete: false };
    const evaluation = await evaluateModel({
      prisma: options.prisma,
      modelId: trained.modelId,
      home: options.home,
      backend: options.backend,
      keepPredictions: options.scoreTruth,
    });
    const truthScores = evaluation.predictions ? await scoreAgainstTruth(options.prisma, evaluation.predictions) : {};
    const run: ComparisonRun = {
      arch,
      seed,
      modelId: trained.modelId,
      accuracy: evaluation.accuracy,
      f1: Object.fromEntries(CLASSES.map((cls) => [cls, evaluation.perClass[cls]?.f1 ?? 0])),
      confusionMatrix: evaluation.confusionMatrix,
      ece: evaluation.ece,
      eceUncalibrated: evaluation.eceUncalibrated,
      temperature: evaluation.temperature,
      testObjects: evaluation.objects,
      epochsRun: trained.epochsRun,
      bestEpoch: trained.bestEpoch,
      stoppedEarly: trained.stoppedEarly,
      parameterCount: trained.parameterCount,
      warnings: trained.warnings,
      history: trained.history,
      recipe,
      ...truthScores,
    };
    runs.push(run);
    if (options.resultsFile) writeRuns(options.resultsFile, result(), earlier);
    options.onRun?.(run, false);
  }
  const final = result();
  if (options.resultsFile) writeRuns(options.resultsFile, final, earlier);
  return { ...final, complete: runs.length === plan.length };
}
