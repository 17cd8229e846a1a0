// What the training form proposes and what a run is expected to take. The recipe follows the hardware
// the workers last reported (the paper's full-size recipe is a GPU job; a CPU gets the compact one),
// and the duration comes from the epochs this platform's workers have measured, never from a constant.
import { median } from "@macnet/core";
import type { PrismaClient } from "@macnet/db";
import type { Architecture } from "@macnet/model/names";

export interface TrainingRecipeDefaults {
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  compact: boolean;
}

/**
 * The CPU recipe: the compact networks with the demo's settings, long enough to converge on a few
 * thousand objects (docs/jobs.md, "Training defaults").
 */
export const CPU_RECIPE: TrainingRecipeDefaults = {
  epochs: 30,
  batchSize: 8,
  learningRate: 0.01,
  patience: 5,
  compact: true,
};

/** The paper's recipe (§3.3): full size, 300 epochs, batch 4, AdaGrad at 0.001, patience 50. */
export const GPU_RECIPE: TrainingRecipeDefaults = {
  epochs: 300,
  batchSize: 4,
  learningRate: 0.001,
  patience: 50,
  compact: false,
};

/** Latest epochs of the same architecture and size the estimate takes its median from. */
const MEASURED_EPOCHS = 30;

export interface TrainingPlan extends TrainingRecipeDefaults {
  /** The device of the latest job a worker ran (null: none has run). */
  device: string | null;
  gpu: boolean;
  /** Median milliseconds per training and validation sample per epoch (null: none measured). */
  msPerSample: number | null;
  basedOnEpochs: number;
  /** Training and validation samples of the dataset (null: no dataset given, or unknown). */
  samples: number | null;
  /** Seconds for all epochs: an upper bound, early stopping may end sooner (null: unmeasured). */
  expectedSeconds: number | null;
}

export interface TrainingPlanInput {
  architecture: Architecture;
  datasetId?: number;
  /** Default: the recipe's. */
  epochs?: number;
  /** Default: the recipe's. */
  compact?: boolean;
}

/** Training and validation members of a dataset, from its stored per-split class counts. */
function trainingSamples(classCounts: unknown): number {
  const counts = (classCounts ?? {}) as Record<string, Record<string, number> | undefined>;
  let total = 0;
  for (const split of ["TRAIN", "VAL"]) {
    for (const n of Object.values(counts[split] ?? {})) if (typeof n === "number" && Number.isFinite(n)) total += n;
  }
  return total;
}

export async function planTraining(prisma: PrismaClient, input: TrainingPlanInput): Promise<TrainingPlan> {
  const latest = await prisma.job.findFirst({
    where: { device: { not: null } },
    orderBy: { id: "desc" },
    select: { device: true },
  });
  const device = latest?.device ?? null;
  const gpu = device !== null && /\bGPU\b/.test(device);
  const recipe = gpu ? GPU_RECIPE : CPU_RECIPE;
  const compact = input.compact ?? recipe.compact;
  const epochs = input.epochs ?? recipe.epochs;
  const measured = await prisma.$queryRaw<{ ms: number; counts: unknown }[]>`
    SELECT e.duration_ms::float8 AS ms, d.class_counts AS counts
    FROM job j
    JOIN job_epoch e ON e.job_id = j.id
    JOIN dataset d ON d.id = j.dataset_id
    WHERE j.kind = 'TRAIN' AND j.params->>'arch' = ${input.architecture}
      AND coalesce((j.params->>'compact')::boolean, false) = ${compact}
    ORDER BY j.id DESC, e.epoch DESC
    LIMIT ${MEASURED_EPOCHS}`;
  const perSample = measured.flatMap((row) => {
    const samples = trainingSamples(row.counts);
    return samples > 0 && Number.isFinite(row.ms) ? [row.ms / samples] : [];
  });
  const msPerSample = perSample.length > 0 ? median(perSample) : null;
  let samples: number | null = null;
  if (input.datasetId !== undefined) {
    const dataset = await prisma.dataset.findUnique({ where: { id: input.datasetId }, select: { classCounts: true } });
    samples = dataset ? trainingSamples(dataset.classCounts) : null;
  }
  return {
    ...recipe,
    compact,
    epochs,
    device,
    gpu,
    msPerSample,
    basedOnEpochs: perSample.length,
    samples,
    expectedSeconds: msPerSample !== null && samples !== null ? (msPerSample * samples * epochs) / 1000 : null,
  };
}
