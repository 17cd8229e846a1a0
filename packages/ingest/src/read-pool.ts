import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { MAX_FILE_BYTES, readSurveyFile } from "./read-file.ts";
import { jpegWasmPath } from "./readers/jpeg-decoder.ts";
import { recycleStripBuffers, releaseStripBuffers } from "./readers/strip-buffers.ts";
import type { FileReadResult } from "./records.ts";
import { digestStrip } from "./strip-digest.ts";

/** A file's content hash and size, and what reading it gave (undefined when already ingested). */
export interface ReadOutcome {
  hash: string;
  bytes: number;
  result: FileReadResult | undefined;
}

/** Hashes a file and reads it unless its content was ingested before; strips get their digests here too. */
export function readAndHash(path: string, done: ReadonlySet<string>): ReadOutcome {
  const refuse = (field: string, reason: string): ReadOutcome => ({
    hash: "",
    bytes: 0,
    result: { kind: "unrecognised", items: [], rejections: [{ file: path, field, reason }] },
  });
  let bytes: Buffer;
  try {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_FILE_BYTES)
        return refuse("size", `file of ${size} bytes, over the ${MAX_FILE_BYTES} the ingest reads`);
      bytes = readWhole(fd, size);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    // Gone, unreadable or replaced since the walk listed it: this file alone is skipped.
    const code = (error as NodeJS.ErrnoException).code;
    return refuse("path", `cannot be read (${code ?? (error as Error).message})`);
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const result = done.has(hash) ? undefined : readSurveyFile(path, bytes);
  if (result) ownArrays(result, bytes.buffer);
  // A strip's content is determined by its file's content and its place in it.
  let index = 0;
  for (const item of result?.items ?? [])
    for (const strip of item.strips ?? []) strip.digest = digestStrip(strip.data, `${hash}:${index++}`, strip.stats);
  return { hash, bytes: bytes.length, result };
}

/** Files up to this size are read into one buffer reused from file to file (per thread). */
const REUSED_BYTES = 64 * 1024 * 1024;
let reusable: Buffer | undefined;

/**
 * A file's `size` bytes. Small enough files go into a buffer this thread reuses: a fresh buffer per
 * file costs a page fault per 4 KiB on first write (~12 µs each on the development VM: ~0.5 s of
 * the 417 MB a 1000-object survey reads), a reused one none.
 */
function readWhole(fd: number, size: number): Buffer {
  let target: Buffer;
  if (size > REUSED_BYTES) target = Buffer.allocUnsafeSlow(size);
  else {
    if (!reusable || reusable.length < size) reusable = Buffer.allocUnsafeSlow(Math.max(size, 1024 * 1024));
    target = reusable;
  }
  let filled = 0;
  while (filled < size) {
    const read = readSync(fd, target, filled, size - filled, filled);
    if (read === 0) break; // shrank since fstat: what is there
    filled += read;
  }
  return target.subarray(0, filled);
}

/** Drops this thread's reusable read buffer (a pool's caller calls it when the ingest ends). */
export function releaseReadBuffer(): void {
  reusable = undefined;
}

/**
 * Replaces every typed array in `value` (records, a few levels deep) that views `buffer` with a
 * copy: the records outlive the read buffer, which the next file overwrites.
 */
function ownArrays(value: unknown, buffer: ArrayBufferLike, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== "object") return;
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, child] of entries) {
    if (ArrayBuffer.isView(child)) {
      if (child.buffer === buffer) (value as Record<string | number, unknown>)[key] = (child as Uint8Array).slice();
    } else ownArrays(child, buffer, depth + 1);
  }
}

/** Who reads a file: the claim word of each file in the pool's shared array. */
export const UNCLAIMED = 0;
export const CLAIMED_BY_WORKER = 1;
const CLAIMED_BY_CALLER = 2;

/**
 * Reads a list of files in a worker thread ahead of the caller, so parsing overlaps with the
 * database work of the previous batch, and shares the reading with the caller: each file is claimed
 * once (an atomic compare-and-swap on a shared array), and when the caller needs a file the worker
 * has not begun, the caller reads it itself instead of waiting — while the thread starts (~0.1 s),
 * whenever the caller would otherwise sit idle, and for good when no thread can start. The caller
 * takes outcomes in any order it likes, usually the list's.
 */
export class ReadPool {
  private worker: Worker | undefined;
  private readonly exited: Promise<void>;
  private closing = false;
  private readonly claims: Int32Array;
  private readonly pending = new Map<number, Deferred<ReadOutcome>>();

  constructor(
    private readonly files: readonly string[],
    private readonly done: ReadonlySet<string>,
  ) {
    this.claims = new Int32Array(new SharedArrayBuffer(Math.max(1, files.length) * 4));
    this.exited = workerSource().then((source) => {
      let worker: Worker;
      try {
        worker = source ? new Worker(source, { eval: true }) : tsxWorker();
      } catch {
        return;
      }
      const exited = new Promise<void>((resolve) =>
        worker.once("exit", () => {
          this.failPending(new Error("the read worker exited"));
          resolve();
        }),
      );
      worker.postMessage({ files, claims: this.claims, done: [...done], jpegWasm: jpegWasmPath() });
      // A file leaves `pending` once it is both read and taken, whichever comes last.
      worker.on("message", (message: { index: number; outcome: ReadOutcome }) => {
        const waiter = this.pending.get(message.index);
        waiter?.resolve(message.outcome);
        if (waiter?.taken) this.pending.delete(message.index);
      });
      worker.on("error", (error) => this.failPending(error));
      this.worker = worker;
      if (this.closing) worker.postMessage({ close: true });
      for (const index of this.pending.keys()) worker.postMessage({ index });
      return exited;
    });
  }

  /** Asks the worker to read file `index` (requests are served in the order made). */
  request(index: number): void {
    this.pending.set(index, deferred());
    this.worker?.postMessage({ index });
  }

  /** Whether the worker has read file `index` and it waits to be taken. */
  isRead(index: number): boolean {
    return this.pending.get(index)?.settled === true;
  }

  /** Whether taking file `index` now would wait: the worker is reading it. */
  wouldWait(index: number): boolean {
    return Atomics.load(this.claims, index) === CLAIMED_BY_WORKER && this.pending.get(index)?.settled === false;
  }

  /** How many of the files taken so far each side read. */
  readonly readBy = { worker: 0, caller: 0 };

  /** File `index`'s outcome: the worker's if it claimed the file, else read here and now. */
  take(index: number): ReadOutcome | Promise<ReadOutcome> {
    if (Atomics.compareExchange(this.claims, index, UNCLAIMED, CLAIMED_BY_CALLER) === UNCLAIMED) {
      this.pending.delete(index);
      this.readBy.caller++;
      return readAndHash(this.files[index] as string, this.done);
    }
    this.readBy.worker++;
    const waiter = this.pending.get(index);
    if (!waiter) throw new Error(`file ${index} was never requested from the read worker`);
    waiter.taken = true;
    if (waiter.settled) this.pending.delete(index);
    return waiter.promise;
  }

  /**
   * Hands strip buffers nobody uses any more (a committed batch's) to the thread that cuts strips,
   * transferred, not copied: they are detached here. Without a worker this thread keeps them.
   */
  recycle(buffers: ArrayBuffer[]): void {
    if (buffers.length === 0) return;
    if (this.worker && !this.closing) this.worker.postMessage({ recycle: buffers }, buffers);
    else recycleStripBuffers(buffers);
  }

  private failPending(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
  }

  /**
   * Stops the worker by asking it to close its port and waiting for it to exit. Not
   * `worker.terminate()`: terminating a thread while V8 still compiles in the background for it can
   * abort the whole process (Node's "NodePlatform::ForIsolate: Assertion (data.first) != nullptr").
   */
  async close(): Promise<void> {
    this.closing = true;
    this.worker?.postMessage({ close: true });
    await this.exited;
    releaseReadBuffer();
    releaseStripBuffers();
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  settled: boolean;
  taken: boolean;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T>(): Deferred<T> {
  const settle: Partial<Deferred<T>> = {};
  const promise = new Promise<T>((resolve, reject) => Object.assign(settle, { resolve, reject }));
  // A requested file the caller ends up reading itself has a promise nobody awaits.
  promise.catch(() => {});
  const result = { promise, settled: false, taken: false } as Deferred<T>;
  result.resolve = (value) => {
    result.settled = true;
    (settle.resolve as (value: T) => void)(value);
  };
  result.reject = (error) => {
    result.settled = true;
    (settle.reject as (error: Error) => void)(error);
  };
  return result;
}

let bundled: Promise<string | undefined> | undefined;

/**
 * The worker's code as one CommonJS bundle, built once per process with esbuild (~0.1 s): a thread
 * starts from it in ~40 ms, where loading the TypeScript sources through tsx took ~230 ms of two
 * threads' CPU. Undefined when esbuild cannot run; the worker then loads the sources through tsx.
 */
function workerSource(): Promise<string | undefined> {
  bundled ??= import("esbuild")
    .then(({ build }) =>
      build({
        entryPoints: [fileURLToPath(new URL("./read-worker.ts", import.meta.url))],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        write: false,
        logLevel: "silent",
      }),
    )
    .then((result) => result.outputFiles[0]?.text)
    .catch(() => undefined);
  return bundled;
}

/** The worker started from the TypeScript sources through tsx, as the CLI runs (Node 20 ignores --import in worker execArgv). */
function tsxWorker(): Worker {
  const entry = JSON.stringify(new URL("./read-worker.ts", import.meta.url).href);
  return new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${entry}); });`, {
    eval: true,
  });
}
