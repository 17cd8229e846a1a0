// Submitting, listing, showing and cancelling jobs, and recovering jobs of dead workers. Every
// front end (CLI, GraphQL) goes through these; role checks belong to the caller's service layer.
import { badInput, type JobKind, type JobStatus, MacnetError, type Prisma, type PrismaClient } from "@macnet/db";
import type { EpochRecord } from "@macnet/model";
import { z } from "zod";
import { fillPreset, type JobParams, type JobParamsInput, ZJobParams } from "./params.ts";
import { dequeue, enqueue, migrateQueue, notifyJob, unlockWorkers } from "./queue.ts";

export interface JobsContext {
  prisma: PrismaClient;
  /** The same database as `prisma`'s (graphile-worker's migrations need a connection of their own). */
  databaseUrl: string;
}

/** One epoch's metrics as stored in `job_epoch` (the training loop's own record). */
export type EpochView = EpochRecord;

/** A job as the CLI's `--json` and the API show it. */
export interface JobView {
  id: number;
  kind: JobKind;
  status: JobStatus;
  params: JobParams;
  progress: number;
  progressDetail: Record<string, unknown> | null;
  backend: string | null;
  device: string | null;
  error: string | null;
  cancelRequested: boolean;
  attempts: number;
  workerId: string | null;
  heartbeatAt: string | null;
  checkpointUri: string | null;
  launchedBy: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: Record<string, unknown> | null;
  /** Models this job produced. */
  modelIds: number[];
  epochs: EpochView[];
}

/** Validates `input`, stores the job and queues it, atomically. */
export async function submitJob(
  context: JobsContext,
  input: JobParamsInput,
  options: { launchedById?: number } = {},
): Promise<JobView> {
  const parsed = ZJobParams.safeParse(fillPreset(input));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "job"}: ${issue.message}`);
    // The field of the first problem, as the job's parameter is named (warmupEpochs, epochs …).
    throw badInput(`Invalid job: ${problems.join("; ")}`, parsed.error.issues[0]?.path.join(".") || undefined);
  }
  const params = parsed.data;
  const { prisma } = context;
  const datasetId = "datasetId" in params ? params.datasetId : undefined;
  const modelId = "modelId" in params ? params.modelId : undefined;
  if (datasetId !== undefined && !(await prisma.dataset.findUnique({ where: { id: datasetId } }))) {
    throw new MacnetError(`No dataset with id ${datasetId}`, "DATASET_NOT_FOUND");
  }
  if (modelId !== undefined && !(await prisma.trainedModel.findUnique({ where: { id: modelId } }))) {
    throw new MacnetError(`No model with id ${modelId}`, "MODEL_NOT_FOUND");
  }
  await migrateQueue(context.databaseUrl);
  const { kind, ...rest } = params;
  const hyperParameters =
    kind === "TRAIN" || kind === "SWEEP"
      ? {
          epochs: params.epochs,
          batchSize: params.batchSize,
          learningRate: params.learningRate,
          patience: params.patience,
          compact: params.compact,
        }
      : {};
  const job = await prisma.$transaction(async (tx) => {
    const created = await tx.job.create({
      data: {
        kind,
        architecture: "arch" in params ? params.arch : null,
        datasetId: datasetId ?? null,
        modelId: modelId ?? null,
        params: rest,
        hyperParameters,
        launchedById: options.launchedById ?? null,
      },
    });
    await enqueue(tx, created.id);
    await notifyJob(tx, created.id, "QUEUED");
    return created;
  });
  return getJob(prisma, job.id);
}

const jobInclude = {
  epochs: { orderBy: { epoch: "asc" } },
  launchedBy: { select: { name: true } },
  producedModels: { select: { id: true }, orderBy: { id: "asc" } },
} satisfies Prisma.JobInclude;

type JobRow = Prisma.JobGetPayload<{ include: typeof jobInclude }>;

function view(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    params: { kind: row.kind, ...(row.params as object) } as JobParams,
    progress: row.progress,
    progressDetail: row.progressDetail as Record<string, unknown> | null,
    backend: row.backend,
    device: row.device,
    error: row.error,
    cancelRequested: row.cancelRequested,
    attempts: row.attempts,
    workerId: row.workerId,
    heartbeatAt: row.heartbeatAt?.toISOString() ?? null,
    checkpointUri: row.checkpointUri,
    launchedBy: row.launchedBy?.name ?? null,
    queuedAt: row.queuedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    result: row.result as Record<string, unknown> | null,
    modelIds: row.producedModels.map((m) => m.id),
    epochs: row.epochs.map(({ jobId: _, ...epoch }) => epoch),
  };
}

export async function getJob(prisma: PrismaClient, id: number): Promise<JobView> {
  const row = await prisma.job.findUnique({ where: { id }, include: jobInclude });
  if (!row) throw new MacnetError(`No job with id ${id}`, "JOB_NOT_FOUND");
  return view(row);
}

/** Several jobs by id in one query (missing ids are left out). */
export async function getJobs(prisma: PrismaClient, ids: number[]): Promise<JobView[]> {
  const rows = await prisma.job.findMany({ where: { id: { in: ids } }, include: jobInclude });
  return rows.map(view);
}

export const ZListJobsInput = z.object({
  status: z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]).optional(),
  kind: z.enum(["TRAIN", "EVALUATE", "CLASSIFY", "SWEEP", "GRADCAM"]).optional(),
  limit: z.number().int().positive().max(500).default(50),
});

/** The newest jobs first (without their per-epoch rows: `getJob` has those). */
export async function listJobs(
  prisma: PrismaClient,
  input: z.input<typeof ZListJobsInput> = {},
): Promise<Omit<JobView, "epochs">[]> {
  const { status, kind, limit } = ZListJobsInput.parse(input);
  const rows = await prisma.job.findMany({
    where: { ...(status ? { status } : {}), ...(kind ? { kind } : {}) },
    orderBy: { id: "desc" },
    take: limit,
    include: { ...jobInclude, epochs: { where: { epoch: -1 } } },
  });
  return rows.map((row) => {
    const { epochs: _, ...rest } = view(row);
    return rest;
  });
}

export interface CancelResult {
  id: number;
  /** CANCELLED for a job that had not started; RUNNING (stopping at its next batch) otherwise. */
  status: JobStatus;
  cancelRequested: boolean;
}

/** A queued job is cancelled at once and never starts; a running one is asked to stop at its next batch. */
export async function cancelJob(prisma: PrismaClient, id: number): Promise<CancelResult> {
  return prisma.$transaction(async (tx) => {
    const queued = await tx.job.updateMany({
      where: { id, status: "QUEUED" },
      data: { status: "CANCELLED", cancelRequested: true, finishedAt: new Date() },
    });
    if (queued.count === 1) {
      await dequeue(tx, id);
      await notifyJob(tx, id, "CANCELLED");
      return { id, status: "CANCELLED", cancelRequested: true };
    }
    const running = await tx.job.updateMany({ where: { id, status: "RUNNING" }, data: { cancelRequested: true } });
    if (running.count === 1) {
      await notifyJob(tx, id, "RUNNING");
      return { id, status: "RUNNING", cancelRequested: true };
    }
    const job = await tx.job.findUnique({ where: { id } });
    if (!job) throw new MacnetError(`No job with id ${id}`, "JOB_NOT_FOUND");
    throw new MacnetError(`Job ${id} has already finished (${job.status})`, "JOB_FINISHED");
  });
}

/**
 * Jobs whose worker stopped sending heartbeats for `leaseSeconds` (killed, machine lost, network
 * cut) go back to QUEUED, and that worker's queue locks are released, so the next free worker takes
 * them up and resumes from their checkpoints. Runs in every worker; safe to run concurrently.
 */
export async function recoverStaleJobs(
  prisma: PrismaClient,
  leaseSeconds: number,
): Promise<{ id: number; workerId: string | null; status: JobStatus }[]> {
  return prisma.$transaction(async (tx) => {
    const stale = await tx.$queryRaw<{ id: number; worker_id: string | null; status: JobStatus }[]>`
      WITH stale AS (
        SELECT id, worker_id FROM job
        WHERE status = 'RUNNING' AND heartbeat_at < now() - ${leaseSeconds} * interval '1 second'
        FOR UPDATE SKIP LOCKED)
      UPDATE job SET
        status = CASE WHEN job.cancel_requested THEN 'CANCELLED'::"JobStatus" ELSE 'QUEUED'::"JobStatus" END,
        finished_at = CASE WHEN job.cancel_requested THEN now() END,
        worker_id = NULL, heartbeat_at = NULL,
        progress_detail = coalesce(job.progress_detail, '{}'::jsonb)
          || jsonb_build_object('recoveredFrom', stale.worker_id, 'recoveredAt', now())
      FROM stale WHERE job.id = stale.id
      RETURNING job.id, stale.worker_id, job.status`;
    await unlockWorkers(
      tx,
      stale.flatMap((row) => (row.worker_id ? [row.worker_id] : [])),
    );
    for (const row of stale) {
      // The unlocked queue entry is reused (or a new one made if it was lost with the worker).
      if (row.status === "QUEUED") await enqueue(tx, row.id);
      else await dequeue(tx, row.id);
      await notifyJob(tx, row.id, row.status);
    }
    return stale.map((row) => ({ id: row.id, workerId: row.worker_id, status: row.status }));
  });
}
