// A running job's line to the database: heartbeats (the lease that keeps other workers away),
// live progress (throttled), per-epoch metrics, and the two ways a job learns it must stop: a
// cancel request, or a lost lease (another worker recovered it after missed heartbeats).
import type { PrismaClient } from "@macnet/db";
import type { EpochRecord } from "@macnet/model";
import { notifyJob } from "./queue.ts";

export type StopReason = "cancel" | "lease-lost" | "shutdown";

export class JobReporter {
  readonly controller = new AbortController();
  stopReason: StopReason | null = null;
  private timer: NodeJS.Timeout;
  private lastWrite = 0;
  private pending: { progress: number; detail: Record<string, unknown> } | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    readonly jobId: number,
    private readonly workerId: string,
    private readonly options: { heartbeatMs: number; progressIntervalMs: number; log: (line: string) => void },
  ) {
    this.timer = setInterval(() => this.flush(true), options.heartbeatMs);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.controller.abort(reason);
  }

  /** Live progress (0..1 and a detail object merged into the stored one), written at most every progressIntervalMs. */
  progress(progress: number, detail: Record<string, unknown>): void {
    this.pending = { progress: Math.min(Math.max(progress, 0), 1), detail };
    if (Date.now() - this.lastWrite >= this.options.progressIntervalMs) this.flush(false);
  }

  /** One finished epoch: stored at once (an upsert, so a resumed run can write it again). */
  epoch(record: EpochRecord): void {
    this.writing = this.writing
      .then(() => (this.stopReason === "lease-lost" ? undefined : upsertEpochs(this.prisma, this.jobId, [record])))
      .catch((error: Error) =>
        this.options.log(`job ${this.jobId}: could not store epoch ${record.epoch} (${error.message})`),
      );
  }

  /** Writes what is pending (or only the heartbeat) and reads back whether to stop. */
  private flush(heartbeat: boolean): void {
    if (!heartbeat && !this.pending) return;
    const pending = this.pending;
    this.pending = null;
    this.lastWrite = Date.now();
    this.writing = this.writing
      .then(() => this.write(pending))
      .catch((error: Error) => {
        this.options.log(`job ${this.jobId}: could not record progress (${error.message}); retrying`);
      });
  }

  private async write(pending: { progress: number; detail: Record<string, unknown> } | null): Promise<void> {
    const rows = pending
      ? await this.prisma.$queryRaw<{ cancel_requested: boolean }[]>`
          UPDATE job SET heartbeat_at = now(), progress = ${pending.progress},
            progress_detail = coalesce(progress_detail, '{}'::jsonb) || ${JSON.stringify(pending.detail)}::jsonb
          WHERE id = ${this.jobId} AND status = 'RUNNING' AND worker_id = ${this.workerId}
          RETURNING cancel_requested`
      : await this.prisma.$queryRaw<{ cancel_requested: boolean }[]>`
          UPDATE job SET heartbeat_at = now()
          WHERE id = ${this.jobId} AND status = 'RUNNING' AND worker_id = ${this.workerId}
          RETURNING cancel_requested`;
    if (rows.length === 0) {
      this.options.log(`job ${this.jobId}: lease lost (recovered by another worker); stopping without writing`);
      this.stop("lease-lost");
      return;
    }
    if (rows[0]?.cancel_requested) this.stop("cancel");
    if (pending) await notifyJob(this.prisma, this.jobId, "RUNNING");
  }

  /** Stops the heartbeat, writes any progress still held back by the throttle, and waits for the last write. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.pending && this.stopReason !== "lease-lost") this.flush(false);
    await this.writing;
  }
}

/** Stores epoch metrics (replacing any earlier row for the same epoch). */
export async function upsertEpochs(prisma: PrismaClient, jobId: number, records: EpochRecord[]): Promise<void> {
  for (const r of records) {
    const data = {
      loss: r.loss,
      accuracy: r.accuracy,
      valLoss: r.valLoss,
      valAccuracy: r.valAccuracy,
      durationMs: r.durationMs,
    };
    await prisma.jobEpoch.upsert({
      where: { jobId_epoch: { jobId, epoch: r.epoch } },
      create: { jobId, epoch: r.epoch, ...data },
      update: data,
    });
  }
}
