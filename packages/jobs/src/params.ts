// What each kind of job takes, validated once for every entry point (CLI, GraphQL, tests). Datasets
// and models are referenced by id here; front ends resolve names before submitting.
import { OBJECT_CLASSES } from "@macnet/core";
import {
  ARCHITECTURES,
  LR_SCHEDULES,
  OPTIMIZERS,
  PAPER_WINDOW_STARTS,
  PRESET_NAMES,
  SPLITS,
  TRAINING_PRESETS,
} from "@macnet/model/names";
import { z } from "zod";

const id = z.number().int().positive();
const architecture = z.enum(ARCHITECTURES);

/** Hyper-parameters shared by training and the sweep's runs (paper §3.3 defaults). */
const training = {
  compact: z.boolean().default(false),
  epochs: z.number().int().positive().max(10_000).default(300),
  batchSize: z.number().int().positive().max(4096).default(4),
  learningRate: z.number().positive().max(10).default(0.001),
  patience: z.number().int().positive().default(50),
  /**
   * Loss weight per class, GALAXY, QSO, STAR, or "balanced" (from the training split's class
   * counts: the default) or "paper" (the paper's 1:3:1).
   */
  /** Images turned by a random one of their 8 symmetries while training (networks with an image input). */
  augment: z.boolean().default(true),
  classWeights: z
    .union([z.array(z.number().positive().max(1000)).length(3), z.enum(["balanced", "paper"])])
    .default("balanced"),
  /** adagrad: the paper's; adam; recorded with the model. */
  optimizer: z.enum(OPTIMIZERS).default("adagrad"),
  /** constant, or cosine decay over the epochs after the warm-up. */
  lrSchedule: z.enum(LR_SCHEDULES).default("constant"),
  /** Epochs of linear learning-rate warm-up (fewer than `epochs`). */
  warmupEpochs: z.number().int().min(0).max(1000).default(0),
  /** With augmentation: images also moved by up to this many pixels per axis. */
  shiftPx: z.number().int().min(0).max(16).default(0), // a quarter of the 64 px cutout
  /** Label smoothing ε: the target is 1 − ε on the label and ε/3 on every class. */
  labelSmoothing: z.number().min(0).lt(0.5).default(0),
};

/** Warm-up must end before training does: checked at submission, not first in the worker. */
const warmupBeforeEnd = (params: { epochs: number; warmupEpochs: number }) => params.warmupEpochs < params.epochs;
const warmupProblem = {
  message: "warmupEpochs must be fewer than epochs",
  path: ["warmupEpochs"],
};

export const ZTrainJob = z
  .object({
    kind: z.literal("TRAIN"),
    arch: architecture,
    datasetId: id,
    seed: z.number().int().positive().default(1),
    /** When training ends: evaluate the model on the test split and classify its dataset (what the demo does). */
    evaluate: z.boolean().default(false),
    /** The named recipe the settings came from (fillPreset put its values in), recorded with the model. */
    preset: z.enum(PRESET_NAMES).optional(),
    ...training,
  })
  .refine(warmupBeforeEnd, warmupProblem)
  .refine(
    (params) =>
      !params.preset || (TRAINING_PRESETS[params.preset].architectures as readonly string[]).includes(params.arch),
    { message: "the preset is for another architecture (see its description)", path: ["preset"] },
  );

export const ZEvaluateJob = z.object({
  kind: z.literal("EVALUATE"),
  modelId: id,
  split: z.enum(SPLITS).default("TEST"),
});

export const ZClassifyJob = z.object({
  kind: z.literal("CLASSIFY"),
  modelId: id,
  /** Default: the model's own dataset. */
  datasetId: id.optional(),
});

export const ZSweepJob = z
  .object({
    kind: z.literal("SWEEP"),
    datasetId: id,
    arch: z.enum(["C_NET", "MC_NET", "MAC_NET"]).default("C_NET"),
    starts: z.array(z.number().int().min(0)).min(1).max(16).default(PAPER_WINDOW_STARTS),
    ...training,
  })
  .refine(warmupBeforeEnd, warmupProblem);

/** Grad-CAM maps of objects (members of the model's dataset), stored with the model. */
export const ZGradCamJob = z.object({
  kind: z.literal("GRADCAM"),
  modelId: id,
  objectIds: z.array(id).min(1).max(100),
  /** Default: each object's predicted class. */
  targetClass: z.enum(OBJECT_CLASSES).optional(),
});

/**
 * A training job's parameters with its preset's values in every field the caller left out (what the
 * caller set wins); other input unchanged. Called before validation, so defaults come after presets.
 */
export function fillPreset<T>(input: T): T {
  const raw = input as Record<string, unknown> | null;
  if (!raw || typeof raw !== "object" || raw.kind !== "TRAIN" || typeof raw.preset !== "string") return input;
  const preset = (TRAINING_PRESETS as Record<string, { recipe: Record<string, unknown> }>)[raw.preset];
  if (!preset) return input; // validation names the unknown preset
  const filled: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(preset.recipe)) if (filled[key] === undefined) filled[key] = value;
  return filled as T;
}

export const ZJobParams = z.discriminatedUnion("kind", [ZTrainJob, ZEvaluateJob, ZClassifyJob, ZSweepJob, ZGradCamJob]);
export type JobParams = z.output<typeof ZJobParams>;
export type JobParamsInput = z.input<typeof ZJobParams>;
export type JobKindName = JobParams["kind"];
