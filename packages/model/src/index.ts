export {
  ARCHITECTURE_INPUTS,
  ARCHITECTURES,
  type Architecture,
  buildModel,
  COMPACT_CONFIG,
  FULL_CONFIG,
  type InputName,
  inputShapes,
  type ModelConfig,
  modelConfigSchema,
  resolveConfig,
} from "./architectures.ts";
export {
  type AuditEntry,
  type AuditProgress,
  type AuditRecall,
  type AuditResult,
  type AuditTruth,
  auditLabels,
  rankEntries,
  recallAt,
  stratifiedFolds,
} from "./audit.ts";
export {
  applyTemperature,
  ensureTemperature,
  fitTemperature,
  type ReliabilityBin,
  reliability,
} from "./calibration.ts";
export { CLASS_INDEX, type ClassWeightsChoice, PAPER_CLASS_WEIGHTS, resolveClassWeights } from "./class-weights.ts";
export {
  type ClassifyFilesResult,
  type ClassifyResult,
  classifyDataset,
  classifyFiles,
  type FilePrediction,
  type PredictionRow,
  storePredictions,
} from "./classify.ts";
export {
  type ComparisonResult,
  type ComparisonRun,
  type ComparisonSummary,
  compareArchitectures,
  comparisonRecipe,
  type MeanStd,
  meanStd,
  scoreAgainstTruth,
  summariseRuns,
} from "./compare.ts";
export {
  CLASSES,
  createDataset,
  type DatasetSummary,
  listDatasets,
  SPLITS,
  type Split,
  stratifiedSplit,
  type TCreateDatasetInput,
  ZCreateDatasetInput,
} from "./datasets.ts";
export {
  type ClassMetrics,
  classificationMetrics,
  type EvaluationResult,
  evaluateModel,
  type Metrics,
} from "./evaluate.ts";
export {
  type EpochRecord,
  evaluateSplit,
  type FitSettings,
  type FitState,
  fitEpochs,
  freshFitState,
  learningRateAt,
  makeOptimizer,
  remainingSeconds,
  type TrainProgress,
  weightedCrossEntropy,
} from "./fit.ts";
export { type GradCamMap, gradCam, gradCamForObjects } from "./gradcam.ts";
export { imageInput, SPECTRUM_GRID_ANGSTROM, spectrumInput, stripInput, zScore } from "./inputs.ts";
export {
  Cbam,
  LocalResponseNorm,
  MacnetBatchNormalization,
  MacnetConv2D,
  MacnetDropout,
  MacnetMaxPooling2D,
} from "./layers.ts";
export { deleteModel, listModels } from "./models.ts";
export {
  applyPreset,
  LR_SCHEDULES,
  type LrSchedule,
  OPTIMIZERS,
  type OptimizerName,
  PRESET_NAMES,
  type PresetName,
  TRAINING_PRESETS,
  trainingPreset,
} from "./names.ts";
export { loadModel, saveModel } from "./persist.ts";
export {
  argmax,
  batchesOf,
  buildDatasetCache,
  type CacheManifest,
  type DatasetCache,
  predictIndices,
  readBatch,
  splitIndices,
} from "./pipeline.ts";
export {
  acceptedLabel,
  createReviewedDataset,
  importVerdicts,
  MAX_COMMENT_LENGTH,
  mayReview,
  parseVerdict,
  REVIEW_RULE,
  type ReviewedDatasetSummary,
  type Reviewer,
  reviewLabel,
  reviewQueue,
  type SimulatedReview,
  simulateReviewer,
  VERDICTS,
  type VerdictInput,
  verdictsOn,
} from "./reviews.ts";
export { PAPER_WINDOW_STARTS, type SweepRow, sweepIntervals } from "./sweep.ts";
export {
  checkpointedEpoch,
  pickRecipe,
  RECIPE_KEYS,
  type TrainingRecipe,
  type TrainOptions,
  type TrainResult,
  trainModel,
} from "./train.ts";
