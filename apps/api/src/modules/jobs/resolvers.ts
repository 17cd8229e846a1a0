import { getJob, type JobView, listJobs, planTraining } from "@macnet/jobs";
import { type PresetName, TRAINING_PRESETS } from "@macnet/model/names";
import type { Context } from "../../context.ts";
import { asUserError, badInput, parseId, requireViewer } from "../../errors.ts";
import type { Resolvers } from "../../generated/resolvers-types.ts";
import { resultFor } from "../../server-paths.ts";
import { cancelJobAsAdmin, launchJob } from "./services.ts";

const FINISHED = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
/** A subscription re-reads its job at least this often, notification or not. */
const POLL_MS = 2000;

/** GraphQL's SDSS_CUTOUTS ↔ the preset sdss-cutouts. */
const presetEnum = (name: string) => name.toUpperCase().replace(/-/g, "_") as "SDSS_CUTOUTS";
const presetName = (value: string) => value.toLowerCase().replace(/_/g, "-") as PresetName;

const optional = <T>(value: T | null | undefined) => (value === null || value === undefined ? undefined : value);

async function result(work: () => Promise<JobView>) {
  try {
    return { job: await work(), error: null };
  } catch (error) {
    return {
      job: null,
      error: asUserError(error, (code) =>
        code === "DATASET_NOT_FOUND"
          ? "datasetId"
          : code === "MODEL_NOT_FOUND"
            ? "modelId"
            : code === "JOB_NOT_FOUND" || code === "JOB_FINISHED"
              ? "id"
              : null,
      ),
    };
  }
}

/**
 * The job each time it changes, until it finishes. An async generator cannot take a `return()` while
 * it waits between polls (it is queued until the next `yield`, which comes only when the job changes),
 * so the iterator handed to graphql-ws closes it itself: a client that goes away, or a server that
 * shuts down, ends the subscription at once instead of leaving it polling a job that does not move.
 */
function jobUpdates(context: Context, id: number): AsyncGenerator<{ jobProgress: JobView }> {
  let closed = false;
  let wake: (() => void) | undefined;
  async function* updates(): AsyncGenerator<{ jobProgress: JobView }> {
    let last = "";
    while (!closed) {
      const job = await getJob(context.prisma, id);
      if (closed) return;
      const key = JSON.stringify([job.status, job.progress, job.progressDetail, job.epochs.length]);
      if (key !== last) {
        last = key;
        yield { jobProgress: job };
      }
      if (FINISHED.has(job.status)) return;
      await Promise.race([
        context.jobEvents?.next(id, POLL_MS) ?? new Promise((resolve) => setTimeout(resolve, POLL_MS)),
        new Promise<void>((resolve) => {
          wake = resolve;
        }),
      ]);
    }
  }
  const inner = updates();
  const close = () => {
    closed = true;
    wake?.();
  };
  const iterator: AsyncGenerator<{ jobProgress: JobView }> = {
    next: () => inner.next(),
    return: (value) => {
      close();
      return inner.return(value);
    },
    throw: (error) => {
      close();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** Most jobs one `jobs` query returns. */
export const MAX_JOBS = 200;

/** `first` of the jobs list: 1 to MAX_JOBS (50 when absent), or BAD_USER_INPUT naming it. */
function pageSize(first: number | null | undefined): number {
  if (first == null) return 50;
  if (first < 1 || first > MAX_JOBS) throw badInput(`first must be between 1 and ${MAX_JOBS} (got ${first})`, "first");
  return first;
}

export const jobsResolvers: Resolvers = {
  Query: {
    jobs: (_parent, args, context) => {
      requireViewer(context);
      return listJobs(context.prisma, {
        status: optional(args.status),
        kind: optional(args.kind),
        limit: pageSize(args.first),
      }) as Promise<JobView[]>;
    },
    job: async (_parent, args, context) => {
      requireViewer(context);
      return context.loaders.job.load(parseId(args.id, "id"));
    },
    trainingPresets: (_parent, _args, context) => {
      requireViewer(context);
      return Object.entries(TRAINING_PRESETS).map(([name, preset]) => ({
        name: presetEnum(name),
        description: preset.description,
        architectures: [...preset.architectures],
        ...preset.recipe,
        optimizer: preset.recipe.optimizer.toUpperCase() as "ADAM",
        lrSchedule: preset.recipe.lrSchedule.toUpperCase() as "COSINE",
        config: preset.config,
      }));
    },
    trainingPlan: (_parent, args, context) => {
      requireViewer(context);
      if (args.epochs != null && (args.epochs < 1 || args.epochs > 10_000))
        throw badInput(`epochs must be between 1 and 10000 (got ${args.epochs})`, "epochs");
      return planTraining(context.prisma, {
        architecture: args.architecture,
        datasetId: args.datasetId ? parseId(args.datasetId, "datasetId") : undefined,
        epochs: optional(args.epochs),
        compact: optional(args.compact),
      });
    },
  },
  Mutation: {
    launchTraining: (_parent, { input }, context) =>
      result(() =>
        launchJob(context, "launch training", {
          kind: "TRAIN",
          arch: input.architecture,
          datasetId: parseId(input.datasetId, "datasetId"),
          epochs: optional(input.epochs),
          batchSize: optional(input.batchSize),
          learningRate: optional(input.learningRate),
          patience: optional(input.patience),
          seed: optional(input.seed),
          compact: optional(input.compact),
          augment: optional(input.augment),
          optimizer: input.optimizer ? (input.optimizer.toLowerCase() as "adagrad" | "adam") : undefined,
          lrSchedule: input.lrSchedule ? (input.lrSchedule.toLowerCase() as "constant" | "cosine") : undefined,
          warmupEpochs: optional(input.warmupEpochs),
          shiftPx: optional(input.shiftPx),
          labelSmoothing: optional(input.labelSmoothing),
          preset: input.preset ? presetName(input.preset) : undefined,
          evaluate: input.evaluate ?? true,
          classWeights:
            optional(input.classWeights) ??
            (input.classWeightPreset ? (input.classWeightPreset.toLowerCase() as "balanced" | "paper") : undefined),
        }),
      ),
    launchClassification: (_parent, { input }, context) =>
      result(() =>
        launchJob(context, "launch classification", {
          kind: "CLASSIFY",
          modelId: parseId(input.modelId, "modelId"),
          datasetId: input.datasetId ? parseId(input.datasetId, "datasetId") : undefined,
        }),
      ),
    launchEvaluation: (_parent, { input }, context) =>
      result(() =>
        launchJob(context, "launch evaluation", {
          kind: "EVALUATE",
          modelId: parseId(input.modelId, "modelId"),
          split: optional(input.split),
        }),
      ),
    launchGradCam: (_parent, { input }, context) =>
      result(() =>
        launchJob(context, "launch Grad-CAM", {
          kind: "GRADCAM",
          modelId: parseId(input.modelId, "modelId"),
          objectIds: input.objectIds.map((objectId, i) => parseId(objectId, `objectIds.${i}`)),
          targetClass: optional(input.targetClass),
        }),
      ),
    launchIntervalSweep: (_parent, { input }, context) =>
      result(() =>
        launchJob(context, "launch the interval sweep", {
          kind: "SWEEP",
          datasetId: parseId(input.datasetId, "datasetId"),
          arch: optional(input.architecture) as "C_NET" | undefined,
          starts: optional(input.windowStarts),
          epochs: optional(input.epochs),
          batchSize: optional(input.batchSize),
          learningRate: optional(input.learningRate),
          patience: optional(input.patience),
          compact: optional(input.compact),
        }),
      ),
    cancelJob: (_parent, args, context) => result(() => cancelJobAsAdmin(context, args.id)),
  },
  Subscription: {
    jobProgress: {
      subscribe: (_parent, args, context) => {
        requireViewer(context);
        return jobUpdates(context, parseId(args.id, "id"));
      },
    },
  },
  Job: {
    id: (j) => String(j.id),
    params: (j) => j.params,
    result: (j, _args, { viewer }) => resultFor(viewer, j.result),
    epochs: async (j, _args, { prisma }) =>
      j.epochs ?? (await prisma.jobEpoch.findMany({ where: { jobId: j.id }, orderBy: { epoch: "asc" } })),
    models: (j, _args, { loaders }) => loaders.modelsByJob.load(j.id),
  },
};
