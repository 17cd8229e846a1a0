// Named training recipes (issue #32): `macnet train --preset NAME`, GraphQL's `preset`, the training
// form's preset menu. A preset sets every hyper-parameter it names and, optionally, overrides of the
// model configuration (a documented variant of a branch); what the user sets explicitly wins. The
// model records the preset's name with the settings actually used. No TensorFlow.js here: the CLI's
// option parsing and the job parameters read it (`@macnet/model/names`).
import { badInput } from "@macnet/core";
import type { Architecture, LrSchedule, OptimizerName } from "./names.ts";

/** The hyper-parameters a preset sets (the names trainModel and the job parameters use). */
export interface PresetRecipe {
  compact: boolean;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  optimizer: OptimizerName;
  lrSchedule: LrSchedule;
  warmupEpochs: number;
  classWeights: "balanced" | "paper";
  augment: boolean;
  shiftPx: number;
  labelSmoothing: number;
}

export interface TrainingPreset {
  /** One line for `--help`, the form and the docs. */
  description: string;
  /** The architectures it was tuned for (others are refused: a recipe for images says nothing about strips). */
  architectures: readonly Architecture[];
  recipe: PresetRecipe;
  /**
   * Overrides of the model configuration (`resolveConfig(size, config)`), stored with the model so
   * that loading it rebuilds the same network; empty: the size's own configuration.
   */
  config: Record<string, unknown>;
  /** Where its figures and the runs that chose it are written up. */
  docs: string;
}

export const TRAINING_PRESETS = {
  "sdss-cutouts": {
    description:
      "image-only network on real SDSS cutouts: Adam with warm-up and cosine decay, the image stem at full resolution, lighter dropout (about 12 min on 2 cores)",
    architectures: ["IMAGE_NET"],
    recipe: {
      compact: true,
      epochs: 40,
      batchSize: 32,
      learningRate: 0.001,
      patience: 40,
      optimizer: "adam",
      lrSchedule: "cosine",
      warmupEpochs: 2,
      classWeights: "balanced",
      augment: true,
      shiftPx: 0,
      labelSmoothing: 0,
    },
    config: { image: { stemStride: 1 }, dropout: 0.2 },
    docs: "docs/real-image/experiments.md",
  },
} as const satisfies Record<string, TrainingPreset>;

export type PresetName = keyof typeof TRAINING_PRESETS;
export const PRESET_NAMES = Object.keys(TRAINING_PRESETS) as PresetName[];

/** The preset called `name`, or an error naming the presets there are. */
export function trainingPreset(name: string): TrainingPreset {
  const preset = (TRAINING_PRESETS as Record<string, TrainingPreset>)[name];
  if (!preset) throw badInput(`No training preset '${name}' (presets: ${PRESET_NAMES.join(", ")})`, "preset");
  return preset;
}

/** The preset called `name`, refused (by field `preset`) when one of `archs` is not what it is for. */
export function trainingPresetFor(name: string, archs: readonly Architecture[]): TrainingPreset {
  const preset = trainingPreset(name);
  const other = archs.find((arch) => !preset.architectures.includes(arch));
  if (other) throw badInput(`Preset '${name}' is for ${preset.architectures.join(", ")}, not ${other}`, "preset");
  return preset;
}

/**
 * `explicit` (what the user set; undefined: not set) over preset `name`'s recipe, with the preset's
 * name added; refuses an architecture the preset is not for.
 */
export function applyPreset<T extends Partial<PresetRecipe>>(
  name: string,
  arch: Architecture,
  explicit: T,
): PresetRecipe & T & { preset: string } {
  const preset = trainingPresetFor(name, [arch]);
  const set = Object.fromEntries(Object.entries(explicit).filter(([, value]) => value !== undefined));
  return { ...preset.recipe, ...set, preset: name } as PresetRecipe & T & { preset: string };
}
