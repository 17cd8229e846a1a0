import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { readSurveyFile } from "./read-file.ts";
import type { FileReadResult, StripDigest } from "./records.ts";

/** A file's content hash and size, and what reading it gave (undefined when already ingested). */
export interface ReadOutcome {
  hash: string;
  bytes: number;
  result: FileReadResult | undefined;
}

/** Hashes a file and reads it unless its content was ingested before; strips get their digests here too. */
export function readAndHash(path: string, done: ReadonlySet<string>): ReadOutcome {
  const bytes = readFileSync(path);
  const hash = createHash("sha256").update(bytes).digest("hex");
  const result = done.has(hash) ? undefined : readSurveyFile(path, bytes);
  // A strip's content is determined by its file's content and its place in it.
  let index = 0;
  for (const item of result?.items ?? [])
    for (const strip of item.strips ?? []) strip.digest = digestStrip(strip.data, `${hash}:${index++}`);
  return { hash, bytes: bytes.length, result };
}

/** Mean, σ, extremes and content hash of a strip: SHA-256 of its pixels, or of `source` when that identifies them. */
export function digestStrip(values: Float32Array, source?: string): StripDigest {
  let sum = 0;
  let squares = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    sum += value;
    squares += value * value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mean = sum / values.length;
  const hash = createHash("sha256")
    .update(source ?? new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest("hex");
  return { mean, std: Math.sqrt(Math.max(0, squares / values.length - mean * mean)), min, max, hash };
}

/**
 * Reads files ahead of the caller in worker threads (round-robin), so parsing overlaps with the
 * database work of the previous batch; the caller awaits results in request order. Falls back to
 * reading in this thread when no worker can start.
 */
export class ReadPool {
  private readonly workers: Worker[] = [];
  private readonly exited: Promise<void>[] = [];
  private next = 0;
  private readonly pending = new Map<
    number,
    { resolve: (outcome: ReadOutcome) => void; reject: (error: Error) => void }
  >();

  constructor(
    private readonly done: ReadonlySet<string>,
    threads = 1,
  ) {
    // Workers run the TypeScript sources through tsx, as the CLI does (Node 20 ignores --import in worker execArgv).
    const entry = JSON.stringify(new URL("./read-worker.ts", import.meta.url).href);
    for (let k = 0; k < threads; k++) {
      try {
        const worker = new Worker(
          `import("tsx/esm/api").then(({ register }) => { register(); return import(${entry}); });`,
          { eval: true },
        );
        this.exited.push(new Promise((resolve) => worker.once("exit", () => resolve())));
        worker.postMessage({ done: [...done] });
        worker.on("message", (message: { id: number; outcome: ReadOutcome }) => {
          this.pending.get(message.id)?.resolve(message.outcome);
          this.pending.delete(message.id);
        });
        worker.on("error", (error) => {
          for (const waiter of this.pending.values()) waiter.reject(error);
          this.pending.clear();
        });
        this.workers.push(worker);
      } catch {
        break;
      }
    }
  }

  /** Starts reading `path`; the promise settles with its outcome. */
  read(path: string): Promise<ReadOutcome> {
    const worker = this.workers[this.next % Math.max(1, this.workers.length)];
    if (!worker) return Promise.resolve(readAndHash(path, this.done));
    const id = this.next++;
    const promise = new Promise<ReadOutcome>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, path });
    });
    // Read-ahead promises may settle before anyone awaits them; their failure is reported when awaited.
    promise.catch(() => {});
    return promise;
  }

  /**
   * Stops the workers by asking each to close its port and waiting for it to exit. Not
   * `worker.terminate()`: terminating a thread while V8 still compiles in the background for it can
   * abort the whole process (Node's "NodePlatform::ForIsolate: Assertion (data.first) != nullptr").
   */
  async close(): Promise<void> {
    for (const worker of this.workers) worker.postMessage({ close: true });
    await Promise.all(this.exited);
  }
}
