import { OBJECT_CLASSES, type ObjectClass } from "@macnet/core";
import { badInput, MacnetError, type PrismaClient } from "@macnet/db";
import {
  ARCHITECTURES,
  type Architecture,
  type ConfigOverrides,
  checkConfigOverrides,
  LR_SCHEDULES,
  type LrSchedule,
  mergeConfigOverrides,
  OPTIMIZERS,
  type OptimizerName,
  PAPER_WINDOW_STARTS,
  PRESET_NAMES,
  type PresetName,
  type PresetRecipe,
  SPLITS,
  type Split,
  trainingPreset,
  trainingPresetFor,
} from "@macnet/model/names";
import { type Command, InvalidArgumentError } from "commander";

/** `--model <id>`: a trained model's numeric id. */
export function modelIdOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`--model must be a model id (got "${value}")`);
  return Number(value);
}

/** `--objects 1,2,3`: ids separated by commas; `flag` goes into the error. */
export const idList = (flag: string) => (value: string) => {
  const list = value.split(",").map((v) => v.trim());
  if (list.some((v) => !/^\d+$/.test(v))) {
    throw new InvalidArgumentError(`${flag} must be ids separated by commas (got "${value}")`);
  }
  return list.map(Number);
};

export type ObjectClassName = ObjectClass;

/** A class option (GALAXY, QSO or STAR, any case); `flag` goes into the error. */
export const objectClassOption =
  (flag: string) =>
  (value: string): ObjectClassName => {
    const upper = value.toUpperCase();
    if (!OBJECT_CLASSES.includes(upper as ObjectClassName)) {
      throw new InvalidArgumentError(`${flag} must be ${OBJECT_CLASSES.join(", ")} (got "${value}")`);
    }
    return upper as ObjectClassName;
  };

/** A positive integer option; `name` (e.g. "--epochs") goes into the error. */
export const positiveInteger = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return Number(value);
};

export const positiveNumber = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return parsed;
};

export const architecture = (value: string): Architecture => {
  const arch = value.trim().toUpperCase().replace(/-/g, "_");
  if (!ARCHITECTURES.includes(arch as Architecture)) {
    throw new InvalidArgumentError(`unknown architecture "${value}" (expected ${ARCHITECTURES.join(", ")})`);
  }
  return arch as Architecture;
};

export const split = (value: string): Split => {
  const upper = value.toUpperCase();
  if (!SPLITS.includes(upper as Split))
    throw new InvalidArgumentError(`--split must be train, val or test (got "${value}")`);
  return upper as Split;
};

const windowStarts = (value: string) => {
  const list = value.split(",").map((v) => v.trim());
  if (list.some((v) => !/^\d+$/.test(v))) {
    throw new InvalidArgumentError(`--windows must be window starts separated by commas (got "${value}")`);
  }
  return list.map(Number);
};

/** `--class-weights G:Q:S|balanced|paper`: three positive loss weights in GALAXY, QSO, STAR order, or a preset. */
const classWeights = (value: string): ClassWeightsOption => {
  const preset = value.trim().toLowerCase();
  if (preset === "balanced" || preset === "paper") return preset;
  const weights = value.split(":").map(Number);
  if (weights.length !== 3 || weights.some((w) => !Number.isFinite(w) || w <= 0)) {
    throw new InvalidArgumentError(
      `--class-weights must be balanced, paper or three positive numbers GALAXY:QSO:STAR (got "${value}")`,
    );
  }
  return weights;
};

export type ClassWeightsOption = number[] | "balanced" | "paper";

/** The hyper-parameters `train`, `sweep` and `jobs submit train|sweep` share (paper §3.3 defaults). */
export interface HyperParameterOptions {
  epochs: number;
  batch: number;
  lr: number;
  patience: number;
  classWeights: ClassWeightsOption;
  /** false with --no-augment. */
  augment: boolean;
  optimizer: OptimizerName;
  lrSchedule: LrSchedule;
  warmup: number;
  /** --shift: image shifts in pixels (0: none). */
  shift: number;
  labelSmoothing: number;
  /** --preset: a named recipe (its values fill every option not typed). */
  preset?: PresetName;
  /** --model-config: overrides of the model configuration (over the preset's). */
  modelConfig?: Record<string, unknown>;
  compact?: boolean;
}

/** A choice among `values` (any case); `flag` goes into the error. */
const oneOf =
  <T extends string>(flag: string, values: readonly T[]) =>
  (value: string): T => {
    const lower = value.trim().toLowerCase();
    if (!values.includes(lower as T))
      throw new InvalidArgumentError(`${flag} must be ${values.join(" or ")} (got "${value}")`);
    return lower as T;
  };

/** The hyper-parameter options under the names trainModel, sweeps, comparisons and jobs use. */
export function recipeOptions(o: HyperParameterOptions) {
  return {
    epochs: o.epochs,
    batchSize: o.batch,
    learningRate: o.lr,
    patience: o.patience,
    classWeights: o.classWeights,
    augment: o.augment,
    optimizer: o.optimizer,
    lrSchedule: o.lrSchedule,
    warmupEpochs: o.warmup,
    shiftPx: o.shift,
    labelSmoothing: o.labelSmoothing,
    ...(o.preset ? { preset: o.preset } : {}),
  };
}

/** Options and the preset recipe's fields they set. */
const PRESET_OPTIONS: Array<[keyof HyperParameterOptions, keyof PresetRecipe]> = [
  ["compact", "compact"],
  ["epochs", "epochs"],
  ["batch", "batchSize"],
  ["lr", "learningRate"],
  ["patience", "patience"],
  ["optimizer", "optimizer"],
  ["lrSchedule", "lrSchedule"],
  ["warmup", "warmupEpochs"],
  ["classWeights", "classWeights"],
  ["augment", "augment"],
  ["shift", "shiftPx"],
  ["labelSmoothing", "labelSmoothing"],
];

/**
 * With `--preset`: the preset's value for every hyper-parameter option not typed on the command
 * line (what the user typed wins), after checking that the preset is for `archs`.
 */
export function withPreset<T extends HyperParameterOptions>(options: T, command: Command, archs: Architecture[]): T {
  if (!options.preset) return options;
  const preset = trainingPresetFor(options.preset, archs);
  const out = { ...options } as Record<string, unknown>;
  for (const [option, key] of PRESET_OPTIONS) {
    if (command.getOptionValueSource(option) !== "cli") out[option] = preset.recipe[key];
  }
  return out as unknown as T;
}

/**
 * The model configuration overrides: the preset's, then --model-config's over them, the image
 * branch's settings one by one (none without either).
 */
export function presetConfig(options: {
  preset?: string;
  modelConfig?: Record<string, unknown>;
}): Record<string, unknown> {
  const preset = (options.preset ? trainingPreset(options.preset).config : {}) as ConfigOverrides;
  return mergeConfigOverrides(preset, (options.modelConfig ?? {}) as ConfigOverrides);
}

export function addHyperParameterOptions(command: Command): Command {
  return command
    .option("--epochs <n>", "maximum epochs", positiveInteger("--epochs"), 300)
    .option("--batch <n>", "batch size", positiveInteger("--batch"), 4)
    .option("--lr <rate>", "learning rate", positiveNumber("--lr"), 0.001)
    .option(
      "--optimizer <name>",
      "adagrad (the paper's) or adam; recorded with the model",
      oneOf("--optimizer", OPTIMIZERS),
      "adagrad" as OptimizerName,
    )
    .option(
      "--lr-schedule <schedule>",
      "constant, or cosine: decays the learning rate over the epochs after the warm-up",
      oneOf("--lr-schedule", LR_SCHEDULES),
      "constant" as LrSchedule,
    )
    .option(
      "--warmup <epochs>",
      "epochs over which the learning rate rises linearly to --lr",
      (value: string) => {
        if (!/^\d+$/.test(value)) throw new InvalidArgumentError("--warmup must be a whole number of epochs");
        return Number(value);
      },
      0,
    )
    .option(
      "--patience <n>",
      "epochs without a lower validation loss before stopping",
      positiveInteger("--patience"),
      50,
    )
    .option(
      "--class-weights <g:q:s|balanced|paper>",
      "loss weights GALAXY:QSO:STAR; balanced: from the training split's class counts; paper: 1:3:1",
      classWeights,
      "balanced" as ClassWeightsOption,
    )
    .option("--no-augment", "train on images as stored, not turned by random flips and 90° rotations")
    .option(
      "--shift <px>",
      "with augmentation, also move each image by up to this many pixels along each axis",
      (value: string) => {
        if (!/^\d+$/.test(value)) throw new InvalidArgumentError("--shift must be a whole number of pixels");
        return Number(value);
      },
      0,
    )
    .option(
      "--label-smoothing <e>",
      "train towards 1 − e on the label and e/3 on every class (0 ≤ e < 0.5)",
      (value: string) => {
        const e = Number(value);
        if (!(e >= 0 && e < 0.5)) throw new InvalidArgumentError("--label-smoothing must be a number in [0, 0.5)");
        return e;
      },
      0,
    )
    .option(
      "--model-config <json>",
      'overrides of the model configuration, e.g. {"image":{"stem":32,…}} (docs/model.md; recorded with the model)',
      (value: string) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          throw new InvalidArgumentError("--model-config must be a JSON object");
        }
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
          throw new InvalidArgumentError("--model-config must be a JSON object");
        try {
          checkConfigOverrides(parsed as Record<string, unknown>, "--model-config");
        } catch (error) {
          throw new InvalidArgumentError((error as Error).message);
        }
        return parsed as Record<string, unknown>;
      },
    )
    .option(
      "--preset <name>",
      `a named recipe (${PRESET_NAMES.join(", ")}; docs/real-image/experiments.md): sets every option above you do not type, recorded with the model`,
      oneOf("--preset", PRESET_NAMES),
    )
    .option("--compact", "the compact CPU configuration (docs/model.md) instead of the paper's full size");
}

export interface TrainTargetOptions extends HyperParameterOptions {
  arch: Architecture;
  dataset: string;
  datasetVersion?: number;
  seed: number;
}

/** `train` / `jobs submit train`: what to train on. */
export function addTrainOptions(command: Command): Command {
  command
    .requiredOption("--arch <arch>", `architecture (${ARCHITECTURES.join(", ")})`, architecture)
    .requiredOption("--dataset <name>", "dataset name (its latest version unless --dataset-version)")
    .option("--dataset-version <v>", "dataset version", positiveInteger("--dataset-version"))
    .option("--seed <s>", "batch order seed", positiveInteger("--seed"), 1);
  return addHyperParameterOptions(command);
}

export interface SweepTargetOptions extends HyperParameterOptions {
  dataset: string;
  arch: string;
  windows: number[];
}

/** `sweep` / `jobs submit sweep`. */
export function addSweepOptions(command: Command): Command {
  command
    .requiredOption("--dataset <name>", "base dataset (its latest version): split, seed and the fixed arm's window")
    .option("--arch <arch>", "architecture with both 2D arms (C_NET, MC_NET, MAC_NET)", "C_NET")
    .option(
      "--windows <starts>",
      "window starts (each as wide as the base dataset's window)",
      windowStarts,
      PAPER_WINDOW_STARTS,
    );
  return addHyperParameterOptions(command);
}

/** The sweep's architecture, which needs both 2D arms. */
export function sweepArchitecture(value: string): "C_NET" | "MC_NET" | "MAC_NET" {
  const arch = value.toUpperCase().replace(/-/g, "_");
  if (arch !== "C_NET" && arch !== "MC_NET" && arch !== "MAC_NET") {
    throw badInput(`--arch must be one with both 2D arms: C_NET, MC_NET or MAC_NET (got "${value}")`, "--arch");
  }
  return arch;
}

/** A dataset by name (latest version unless `version`), with the error users see when it is missing. */
export async function findDataset(prisma: PrismaClient, name: string, version?: number) {
  const dataset = await prisma.dataset.findFirst({
    where: { name, ...(version ? { version } : {}) },
    orderBy: { version: "desc" },
  });
  if (!dataset) {
    throw new MacnetError(
      `No dataset '${name}'${version ? ` version ${version}` : ""} (create it with npx macnet dataset create --name ${name})`,
      "DATASET_NOT_FOUND",
    );
  }
  return dataset;
}
