// An ingest run's life in `ingest_run`: it is opened with this process's host and pid and keeps a
// heartbeat on its own connection while it works. A run still marked RUNNING whose process is gone
// (same host, pid not alive) or whose heartbeat stopped is marked INTERRUPTED by the next run, which
// resumes it: files that run committed are recognised by content and not read again.
import { hostname } from "node:os";
import { openConnection, type SqlConnection } from "@macnet/db/sql";

/** A RUNNING run whose heartbeat is older than this is taken for dead (its host may be another machine). */
export const RUN_LEASE_S = 300;
/** How often a working run says it is alive. */
const HEARTBEAT_MS = 15_000;

/** An interrupted run a new run took over. */
export interface ResumedRun {
  runId: number;
  startedAt: string;
  /** Files it had committed (skipped now, unless changed). */
  filesCommitted: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Marks runs whose process died as INTERRUPTED and returns them (oldest first). */
export async function interruptDeadRuns(client: SqlConnection): Promise<ResumedRun[]> {
  const running = (
    await client.query<{ id: number; host: string | null; pid: number | null; stale: boolean; started_at: Date }>(
      `SELECT id, host, pid, started_at,
              coalesce(heartbeat_at, started_at) < now() - make_interval(secs => $1) AS stale
         FROM ingest_run WHERE status = 'RUNNING' ORDER BY id`,
      [RUN_LEASE_S],
    )
  ).rows;
  const here = hostname();
  const dead = running.filter(
    (run) => run.stale || (run.host === here && run.pid !== null && run.pid !== process.pid && !isAlive(run.pid)),
  );
  if (dead.length === 0) return [];
  const rows = (
    await client.query<{ id: number; started_at: Date; files: string }>(
      `UPDATE ingest_run r SET status = 'INTERRUPTED', finished_at = coalesce(r.heartbeat_at, now())
        WHERE r.id = ANY($1::int[]) AND r.status = 'RUNNING'
        RETURNING r.id, r.started_at, (SELECT count(*) FROM ingested_file f WHERE f.run_id = r.id) AS files`,
      [dead.map((run) => run.id)],
    )
  ).rows;
  return rows
    .map((row) => ({ runId: row.id, startedAt: row.started_at.toISOString(), filesCommitted: Number(row.files) }))
    .sort((a, b) => a.runId - b.runId);
}

/** Opens a run row for this process; the returned heartbeat keeps it alive until stopped. */
export async function openRun(
  client: SqlConnection,
  options: { databaseUrl: string; source: string; paths: string[]; resumed: number[] },
): Promise<{ runId: number; stopHeartbeat(): Promise<void> }> {
  const runId = (
    await client.query<{ id: number }>(
      `INSERT INTO ingest_run (source, paths, status, host, pid, heartbeat_at, resumed_run_ids)
       VALUES ($1, $2, 'RUNNING', $3, $4, now(), $5) RETURNING id`,
      [options.source, options.paths, hostname(), process.pid, options.resumed],
    )
  ).rows[0]?.id as number;
  // Its own connection: the run's connection is inside a batch transaction much of the time.
  let heartbeat: SqlConnection | null = null;
  try {
    heartbeat = await openConnection(options.databaseUrl);
    heartbeat.on("error", () => {});
  } catch {
    // Without it the run still works; only a run longer than the lease could be taken for dead.
  }
  const timer = setInterval(() => {
    heartbeat?.query("UPDATE ingest_run SET heartbeat_at = now() WHERE id = $1", [runId]).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    runId,
    async stopHeartbeat() {
      clearInterval(timer);
      await heartbeat?.end().catch(() => {});
    },
  };
}
