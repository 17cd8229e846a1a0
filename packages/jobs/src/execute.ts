// What a worker does for each kind of job, on top of the model package's services. Training and the
// sweep checkpoint every epoch under the job's artifact folder, so a job taken over by another worker
// resumes where the last one's checkpoint ends.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { PrismaClient } from "@macnet/db";
import type { ModelConfig, TrainProgress } from "@macnet/model";
import { TRAINING_PRESETS } from "@macnet/model/names";
import type { JobParams } from "./params.ts";
import { type JobReporter, upsertEpochs } from "./reporter.ts";

export interface ExecutionContext {
  prisma: PrismaClient;
  /** MACNET_HOME: dataset caches. */
  home: string;
  /** MACNET_ARTIFACTS: checkpoints and weights. */
  artifactsDir: string;
  backend: string;
  device: string;
}

export interface ExecutionOutcome {
  /** "stopped": it ended early because the reporter's signal fired (cancel, shutdown, lost lease). */
  status: "completed" | "stopped";
  result: Record<string, unknown>;
  /** Checkpoint folder to keep referenced (null: nothing left to resume from). */
  checkpointUri: string | null;
}

/** The checkpoint folder of a job (stable across attempts: that is what makes resuming work). */
export const jobCheckpointDir = (artifactsDir: string, jobId: number) =>
  join(artifactsDir, "jobs", String(jobId), "checkpoint");

export async function executeJob(
  context: ExecutionContext,
  jobId: number,
  params: JobParams,
  reporter: JobReporter,
): Promise<ExecutionOutcome> {
  const { prisma, home, artifactsDir, backend, device } = context;
  const checkpointDir = jobCheckpointDir(artifactsDir, jobId);
  // Loaded with the first job, not with the package: listing or submitting jobs never loads TensorFlow.js.
  const { classifyDataset, evaluateModel, gradCamForObjects, pickRecipe, resolveConfig, sweepIntervals, trainModel } =
    await import("@macnet/model");
  switch (params.kind) {
    case "TRAIN": {
      await prisma.job.update({ where: { id: jobId }, data: { checkpointUri: checkpointDir } });
      const trained = await trainModel({
        prisma,
        datasetId: params.datasetId,
        arch: params.arch,
        config: resolveConfig(
          params.compact ? "compact" : "full",
          params.preset ? (TRAINING_PRESETS[params.preset].config as Partial<ModelConfig>) : {},
        ),
        ...pickRecipe(params),
        seed: params.seed,
        home,
        artifactsDir,
        checkpointDir,
        backend,
        device,
        jobId,
        signal: reporter.signal,
        onProgress: (p) => reportTraining(reporter, p, { run: 1, runs: 1 }),
      });
      // The checkpoint's history is the truth: it also covers an epoch whose row a crash kept from being written.
      if (reporter.stopReason !== "lease-lost") await upsertEpochs(prisma, jobId, trained.history);
      const { history: _, ...summary } = trained;
      if (trained.status === "cancelled") return { status: "stopped", result: summary, checkpointUri: checkpointDir };
      rmSync(checkpointDir, { recursive: true, force: true }); // the model holds the best weights now
      if (!params.evaluate || trained.modelId === null || reporter.signal.aborted)
        return { status: "completed", result: summary, checkpointUri: null };
      // Evaluated and run over its dataset in the same job, as the demo's models are: the model's page
      // then shows its test metrics and the objects pages its predictions.
      const modelId = trained.modelId;
      reporter.progress(1, { phase: "evaluate" });
      const evaluation = await evaluateModel({ prisma, modelId, split: "TEST", home, backend });
      const classified = await classifyDataset({
        prisma,
        modelId,
        home,
        jobId,
        onProgress: (done, total) => reporter.progress(1, { phase: "classify", done, total }),
      });
      return {
        status: "completed",
        result: {
          ...summary,
          evaluation: { split: evaluation.split, accuracy: evaluation.accuracy, objects: evaluation.objects },
          classified: { stored: classified.stored, predictedCounts: classified.predictedCounts },
        },
        checkpointUri: null,
      };
    }
    case "EVALUATE": {
      reporter.progress(0, { phase: "evaluate" });
      const evaluation = await evaluateModel({ prisma, modelId: params.modelId, split: params.split, home, backend });
      return { status: "completed", result: { ...evaluation }, checkpointUri: null };
    }
    case "CLASSIFY": {
      const classified = await classifyDataset({
        prisma,
        modelId: params.modelId,
        datasetId: params.datasetId,
        home,
        jobId,
        onProgress: (done, total) => reporter.progress(done / Math.max(total, 1), { phase: "classify", done, total }),
      });
      return { status: "completed", result: { ...classified }, checkpointUri: null };
    }
    case "GRADCAM": {
      reporter.progress(0, { phase: "gradcam", done: 0, total: params.objectIds.length });
      const computed = await gradCamForObjects({
        prisma,
        modelId: params.modelId,
        objectIds: params.objectIds,
        targetClass: params.targetClass,
        home,
      });
      // The maps are stored with the model (the object page draws them); the result says which.
      const maps = computed.maps.map(({ objectId, target, targetClass, shape }) => ({
        objectId,
        target,
        targetClass,
        shape,
      }));
      return {
        status: "completed",
        result: { modelId: params.modelId, objectIds: params.objectIds, maps },
        checkpointUri: null,
      };
    }
    case "SWEEP": {
      const sweepDir = join(artifactsDir, "jobs", String(jobId), "sweep");
      await prisma.job.update({ where: { id: jobId }, data: { checkpointUri: sweepDir } });
      const swept = await sweepIntervals({
        prisma,
        datasetId: params.datasetId,
        arch: params.arch,
        config: resolveConfig(params.compact ? "compact" : "full"),
        home,
        artifactsDir,
        starts: params.starts,
        recipe: pickRecipe(params),
        backend,
        device,
        jobId,
        checkpointRoot: sweepDir,
        signal: reporter.signal,
        onProgress: (p, run, runs) => reportTraining(reporter, p, { run, runs }),
      });
      if (swept.status === "cancelled") return { status: "stopped", result: { ...swept }, checkpointUri: sweepDir };
      rmSync(sweepDir, { recursive: true, force: true });
      return { status: "completed", result: { ...swept }, checkpointUri: null };
    }
  }
}

/** Training progress as a fraction of all epochs of all runs (a sweep has several), plus its detail. */
function reportTraining(reporter: JobReporter, p: TrainProgress, { run, runs }: { run: number; runs: number }): void {
  const within =
    p.phase === "cache" ? 0 : (p.epoch - 1 + (p.phase === "epoch" ? 1 : p.batch / Math.max(p.batches, 1))) / p.epochs;
  const detail: Record<string, unknown> = {
    phase: p.phase,
    epoch: p.epoch,
    epochs: p.epochs,
    batch: p.batch,
    batches: p.batches,
    ...(p.loss === undefined ? {} : { loss: p.loss }),
    ...(runs > 1 ? { run, runs } : {}),
    // A sweep's ETA would be its current run's alone: shown for single runs only.
    ...(p.etaS === undefined || runs > 1 ? {} : { etaS: Math.round(p.etaS) }),
  };
  reporter.progress((run - 1 + within) / runs, detail);
  if (p.phase === "epoch" && p.record && runs === 1) reporter.epoch(p.record);
}
