// The queue underneath the job table: graphile-worker (PostgreSQL, SKIP LOCKED + LISTEN/NOTIFY). A
// `job` row is the platform's record (status, progress, epochs, result); a graphile-worker job only
// carries its id to a worker. Both are written in one transaction, through graphile-worker's public
// SQL functions (add_job, remove_job, force_unlock_workers), so neither exists without the other.
import { MacnetError, type PrismaClient } from "@macnet/db";
import { openPool } from "@macnet/db/sql";
import { Logger, runMigrations } from "graphile-worker";

/** graphile-worker's task identifier for every platform job. */
export const TASK = "macnet_job";
/** Interruptions (worker shutdown) a job may go through before graphile-worker gives up on it. */
export const MAX_ATTEMPTS = 100;
/** NOTIFY channel carrying `{"id":…,"status":…}` on every status or progress change. */
export const NOTIFY_CHANNEL = "macnet_job";

export type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export const jobKey = (jobId: number) => `macnet-job-${jobId}`;

const migrated = new Set<string>();

/** Advisory lock key that serialises installing the queue's schema across processes. */
const MIGRATION_LOCK = "hashtext('macnet:graphile_worker:migrate')";

/**
 * Installs or upgrades graphile-worker's schema (`graphile_worker`); idempotent and cheap after the
 * first call. Processes that start together on a fresh database (two workers, say) take turns:
 * graphile-worker's own migration raced on its CREATE SCHEMA ("duplicate key value violates unique
 * constraint pg_namespace_nspname_index"), seen once in CI with two workers started at once.
 */
export async function migrateQueue(databaseUrl: string): Promise<void> {
  if (migrated.has(databaseUrl)) return;
  const pool = openPool(databaseUrl, { max: 2 });
  try {
    const lock = await pool.connect();
    try {
      await lock.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
      await runMigrations({ pgPool: pool, logger: quietLogger() });
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => {});
      lock.release();
    }
  } catch (error) {
    throw new MacnetError(
      `Could not install the job queue's schema: ${(error as Error).message}`,
      "QUEUE_MIGRATION_FAILED",
    );
  } finally {
    await pool.end();
  }
  migrated.add(databaseUrl);
}

/** Puts job `jobId` on the queue (inside the caller's transaction). */
export async function enqueue(tx: Transaction, jobId: number): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    identifier => ${TASK}::text,
    payload => ${JSON.stringify({ jobId })}::json,
    max_attempts => ${MAX_ATTEMPTS}::int,
    job_key => ${jobKey(jobId)}::text)`;
}

/** Takes job `jobId` off the queue if no worker holds it. */
export async function dequeue(tx: Transaction, jobId: number): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.remove_job(${jobKey(jobId)}::text)`;
}

/** Releases what dead workers held, so that other workers can take those jobs at once. */
export async function unlockWorkers(tx: Transaction, workerIds: string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await tx.$executeRaw`SELECT graphile_worker.force_unlock_workers(${workerIds}::text[])`;
}

/** Tells listeners (the API's subscriptions) that a job changed. */
export async function notifyJob(tx: Transaction | PrismaClient, jobId: number, status: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify({ id: jobId, status })})`;
}

/** graphile-worker's logger with only warnings and errors, through `log`. */
export function quietLogger(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {
  return new Logger((scope) => (level, message) => {
    if (level === "error" || level === "warning")
      log(`queue ${level}${scope.workerId ? ` [${scope.workerId}]` : ""}: ${message}`);
  });
}
