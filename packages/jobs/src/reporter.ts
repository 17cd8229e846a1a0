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
  /** When the last progress write finished (the interval counts from there, not from its start). */
  private lastWrite = 0;
  /** The latest progress not yet written: a newer one replaces it, so a write always carries the latest. */
  private pending: { progress: number; detail: Record<string, unknown> } | null = null;
  private heartbeatDue = false;
  /** The one progress or heartbeat write in flight; never more than one, so nothing queues behind a slow database. */
  private inFlight: Promise<void> | null = null;
  /** Epoch rows, stored in order. */
  private epochs: Promise<void> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    readonly jobId: number,
    private readonly workerId: string,
    private readonly options: {
      heartbeatMs: number;
      progressIntervalMs: number;
      log: (line: string) => void;
      /** The clock (tests hand in their own). */
      now?: () => number;
    },
  ) {
    this.timer = setInterval(() => {
      this.heartbeatDue = true;
      this.pump();
    }, options.heartbeatMs);
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

  /**
   * Live progress (0..1 and a detail object merged into the stored one). Written when no write is in
   * flight and progressIntervalMs have passed since the last one finished; otherwise it replaces what
   * is waiting, so the stored progress is never more than one write behind the training.
   */
  progress(progress: number, detail: Record<string, unknown>): void {
    // `at`: when this state was reached (epoch ms), so a reader sees how old the stored state is.
    this.pending = {
      progress: Math.min(Math.max(progress, 0), 1),
      detail: { ...this.pending?.detail, ...detail, at: this.now() },
    };
    this.pump();
  }

  /** One finished epoch: stored at once (an upsert, so a resumed run can write it again). */
  epoch(record: EpochRecord): void {
    this.epochs = this.epochs
      .then(() => (this.stopReason === "lease-lost" ? undefined : upsertEpochs(this.prisma, this.jobId, [record])))
      .catch((error: Error) =>
        this.options.log(`job ${this.jobId}: could not store epoch ${record.epoch} (${error.message})`),
      );
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Starts the next write if none is in flight and one is due: the heartbeat, or progress past the interval. */
  private pump(force = false): void {
    if (this.inFlight) return; // the write in flight looks again when it ends
    const progressDue =
      this.pending !== null && (force || this.now() - this.lastWrite >= this.options.progressIntervalMs);
    if (!progressDue && !this.heartbeatDue) return;
    const pending = progressDue ? this.pending : null;
    if (progressDue) this.pending = null;
    this.heartbeatDue = false;
    this.inFlight = this.write(pending)
      .catch((error: Error) => {
        this.options.log(`job ${this.jobId}: could not record progress (${error.message}); retrying`);
        // What failed is written with the next one, unless something newer replaced it meanwhile.
        if (pending && !this.pending) this.pending = pending;
      })
      .finally(() => {
        if (pending) this.lastWrite = this.now();
        this.inFlight = null;
        this.pump();
      });
  }

  /** Writes the progress (or only the heartbeat) and reads back whether to stop. */
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

  /** Stops the heartbeat, writes the latest progress still waiting, and waits for every write. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    while (this.inFlight) await this.inFlight;
    if (this.pending && this.stopReason !== "lease-lost") {
      this.pump(true);
      while (this.inFlight) await this.inFlight;
    }
    await this.epochs;
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
