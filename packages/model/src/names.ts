// The model package's names and constants without its networks: what the CLI's option parsing and
// the job parameters need, importable without loading TensorFlow.js (`@macnet/model/names`).

/** Same names as the Prisma `Architecture` enum. */
export const ARCHITECTURES = ["SSCNN_1D", "M_NET", "C_NET", "MC_NET", "MAC_NET", "IMAGE_NET"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** Optimizers training can use (AdaGrad: the paper's; anything else is recorded with the model). */
export const OPTIMIZERS = ["adagrad", "adam"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Learning-rate schedules over the epochs: constant (the paper's) or a cosine decay to near 0. */
export const LR_SCHEDULES = ["constant", "cosine"] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** A dataset's splits. */
export const SPLITS = ["TRAIN", "VAL", "TEST"] as const;
export type Split = (typeof SPLITS)[number];

/** Start pixels of the paper's interval sweep (§4.5). */
export const PAPER_WINDOW_STARTS = [500, 1000, 1500, 2000];

export {
  COMPACT_CONFIG,
  type ConfigOverrides,
  checkConfigOverrides,
  FULL_CONFIG,
  type ModelConfig,
  mergeConfigOverrides,
  resolveConfig,
  unknownConfigFields,
} from "./config.ts";
export {
  applyPreset,
  PRESET_NAMES,
  type PresetName,
  type PresetRecipe,
  TRAINING_PRESETS,
  type TrainingPreset,
  trainingPreset,
  trainingPresetFor,
} from "./presets.ts";
