// A worker: graphile-worker pulls job ids off the queue (LISTEN/NOTIFY, SKIP LOCKED), and for each
// one this module claims the platform's job row (QUEUED → RUNNING, atomically: a job runs on one
// worker at a time however many there are), runs it with heartbeats, and records how it ended.
// Workers on many machines can share one database; each also recovers jobs of dead workers.
import { cpus, hostname } from "node:os";
import type { PrismaClient } from "@macnet/db";
import { openPool } from "@macnet/db/sql";
import { type Runner, run, type Task } from "graphile-worker";
import { executeJob } from "./execute.ts";
import { type JobParams, ZJobParams } from "./params.ts";
import { enqueue, migrateQueue, notifyJob, quietLogger, TASK } from "./queue.ts";
import { JobReporter } from "./reporter.ts";
import { recoverStaleJobs } from "./service.ts";

export interface WorkerOptions {
  prisma: PrismaClient;
  databaseUrl: string;
  /** MACNET_HOME (dataset caches). */
  home: string;
  /** MACNET_ARTIFACTS (checkpoints, weights); must be the same shared folder on every host. */
  artifactsDir: string;
  /** Jobs run at once by this worker (default 1). */
  concurrency?: number;
  /** A RUNNING job whose heartbeat is older than this is taken over by another worker (default 300 s). */
  leaseSeconds?: number;
  /** Heartbeat period (default 15 s; keep it well under the lease). */
  heartbeatSeconds?: number;
  /** Live progress is written at most this often (default 1000 ms). */
  progressIntervalMs?: number;
  /** How often to look for jobs scheduled in the future (default 2000 ms; new jobs arrive by NOTIFY). */
  pollIntervalMs?: number;
  /** TensorFlow.js backend description recorded on each job. */
  backend: string;
  /** Device description recorded on each job (see describeDevice). */
  device: string;
  log?: (line: string) => void;
}

export interface RunningWorker {
  /** Stops taking jobs; running ones stop at their next batch and go back to the queue (checkpoint kept). */
  stop(): Promise<void>;
  /** Settles when the worker has stopped. */
  done: Promise<void>;
}

/** "host: CPU model ×threads" or the GPU backend, as recorded with jobs and models. */
export function describeDevice(backendChoice: string): string {
  const cpu = cpus();
  if (backendChoice === "tfjs-node-gpu") return `${hostname()}: GPU (CUDA, tfjs-node-gpu)`;
  return `${hostname()}: ${cpu[0]?.model.trim() ?? "CPU"} ×${cpu.length}`;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { prisma } = options;
  const leaseSeconds = options.leaseSeconds ?? 300;
  const heartbeatMs = (options.heartbeatSeconds ?? 15) * 1000;
  const active = new Set<JobReporter>();
  let stopping = false;

  const task: Task = async (payload, helpers) => {
    const jobId = Number((payload as { jobId?: unknown }).jobId);
    const workerId = helpers.job.locked_by as string;
    if (!Number.isInteger(jobId)) {
      log(`queue entry ${helpers.job.id} has no job id (${JSON.stringify(payload)}); dropped`);
      return;
    }
    const claimed = await claimJob(prisma, jobId, workerId, options.backend, options.device);
    if (!claimed) return; // cancelled, finished, or running elsewhere
    const reporter = new JobReporter(prisma, jobId, workerId, {
      heartbeatMs,
      progressIntervalMs: options.progressIntervalMs ?? 1000,
      log,
    });
    active.add(reporter);
    if (stopping) reporter.stop("shutdown");
    log(`job ${jobId} (${claimed.params.kind}) started on ${workerId}, attempt ${claimed.attempts}`);
    try {
      const outcome = await executeJob(
        {
          prisma,
          home: options.home,
          artifactsDir: options.artifactsDir,
          backend: options.backend,
          device: options.device,
        },
        jobId,
        claimed.params,
        reporter,
      );
      await reporter.close();
      if (reporter.stopReason === "lease-lost") return;
      if (outcome.status === "stopped" && reporter.stopReason === "shutdown") {
        await requeue(prisma, jobId, workerId);
        log(`job ${jobId}: requeued (worker stopping); it resumes from its checkpoint`);
        return;
      }
      const status = outcome.status === "completed" ? "SUCCEEDED" : "CANCELLED";
      await finishJob(prisma, jobId, workerId, {
        status,
        result: outcome.result,
        checkpointUri: outcome.checkpointUri,
        ...(status === "SUCCEEDED" ? { progress: 1 } : {}),
      });
      log(`job ${jobId}: ${status}`);
    } catch (error) {
      await reporter.close();
      if (reporter.stopReason === "lease-lost") return;
      const message = (error as Error).message || String(error);
      await finishJob(prisma, jobId, workerId, { status: "FAILED", error: message });
      log(`job ${jobId}: FAILED: ${message}`);
    } finally {
      active.delete(reporter);
    }
  };

  await migrateQueue(options.databaseUrl);
  const pool = openPool(options.databaseUrl, { max: (options.concurrency ?? 1) + 3 });
  const recover = async () => {
    try {
      for (const job of await recoverStaleJobs(prisma, leaseSeconds)) {
        log(`job ${job.id}: no heartbeat from ${job.workerId ?? "its worker"} for ${leaseSeconds} s; requeued`);
      }
    } catch (error) {
      log(`recovery check failed: ${(error as Error).message}`);
    }
  };
  await recover();
  const recoveryTimer = setInterval(recover, Math.max(1000, (leaseSeconds * 1000) / 3));
  recoveryTimer.unref();
  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      concurrency: options.concurrency ?? 1,
      noHandleSignals: true,
      pollInterval: options.pollIntervalMs ?? 2000,
      taskList: { [TASK]: task },
      logger: quietLogger(log),
    });
  } catch (error) {
    clearInterval(recoveryTimer);
    await pool.end();
    throw error;
  }
  const done = runner.promise.finally(async () => {
    clearInterval(recoveryTimer);
    await pool.end();
  });
  return {
    done,
    async stop() {
      if (stopping) return done;
      stopping = true;
      for (const reporter of active) reporter.stop("shutdown");
      await runner.stop();
      await done;
    },
  };
}

async function claimJob(
  prisma: PrismaClient,
  jobId: number,
  workerId: string,
  backend: string,
  device: string,
): Promise<{ params: JobParams; attempts: number } | null> {
  const rows = await prisma.$queryRaw<{ kind: string; params: object; attempts: number }[]>`
    UPDATE job SET status = 'RUNNING', worker_id = ${workerId}, heartbeat_at = now(),
      started_at = coalesce(started_at, now()), attempts = attempts + 1,
      backend = ${backend}, device = ${device}, error = NULL
    WHERE id = ${jobId} AND status = 'QUEUED' AND NOT cancel_requested
    RETURNING kind, params, attempts`;
  const row = rows[0];
  if (!row) return null;
  await notifyJob(prisma, jobId, "RUNNING");
  const parsed = ZJobParams.safeParse({ ...row.params, kind: row.kind });
  if (!parsed.success) {
    await finishJob(prisma, jobId, workerId, {
      status: "FAILED",
      error: `Stored parameters are not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    });
    return null;
  }
  return { params: parsed.data, attempts: row.attempts };
}

async function finishJob(
  prisma: PrismaClient,
  jobId: number,
  workerId: string,
  data: {
    status: "SUCCEEDED" | "FAILED" | "CANCELLED";
    result?: Record<string, unknown>;
    error?: string;
    checkpointUri?: string | null;
    progress?: number;
  },
): Promise<void> {
  const { result, ...rest } = data;
  await prisma.job.updateMany({
    where: { id: jobId, workerId, status: "RUNNING" },
    data: { ...rest, ...(result ? { result: JSON.parse(JSON.stringify(result)) } : {}), finishedAt: new Date() },
  });
  await notifyJob(prisma, jobId, data.status);
}

/** Back to the queue (another worker, or this one after a restart, resumes from the checkpoint). */
async function requeue(prisma: PrismaClient, jobId: number, workerId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const updated = await tx.job.updateMany({
      where: { id: jobId, workerId, status: "RUNNING" },
      data: { status: "QUEUED", workerId: null, heartbeatAt: null },
    });
    if (updated.count === 1) {
      await enqueue(tx, jobId);
      await notifyJob(tx, jobId, "QUEUED");
    }
  });
}
