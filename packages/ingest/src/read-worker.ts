// Worker thread of the read pool: hashes and reads the survey files it is asked for and claims
// first, returning their records with the large arrays transferred (not copied) to the caller.
import { parentPort } from "node:worker_threads";
import { CLAIMED_BY_WORKER, type ReadOutcome, readAndHash, UNCLAIMED } from "./read-pool.ts";
import { loadJpegDecoder } from "./readers/jpeg-decoder.ts";
import { recycleStripBuffers } from "./readers/strip-buffers.ts";

let files: readonly string[] = [];
let claims: Int32Array<ArrayBufferLike> = new Int32Array(0);
let done = new Set<string>();

type Message =
  | { files: string[]; claims: Int32Array; done: string[]; jpegWasm: string }
  | { close: true }
  | { index: number }
  | { recycle: ArrayBuffer[] };

// Messages are handled one after another, after the JPEG decoder has loaded; strip buffers handed
// back are taken at once, for the next frame.
let handled = Promise.resolve();
parentPort?.on("message", (message: Message) => {
  if ("recycle" in message) recycleStripBuffers(message.recycle);
  else handled = handled.then(() => handle(message));
});

async function handle(message: Exclude<Message, { recycle: ArrayBuffer[] }>): Promise<void> {
  if ("close" in message) {
    parentPort?.close(); // nothing else keeps this thread alive: it exits by itself
    return;
  }
  if ("files" in message) {
    ({ files, claims } = message);
    done = new Set(message.done);
    await loadJpegDecoder(message.jpegWasm);
    return;
  }
  // The caller reads a file itself when it gets there first.
  if (Atomics.compareExchange(claims, message.index, UNCLAIMED, CLAIMED_BY_WORKER) !== UNCLAIMED) return;
  const outcome = readAndHash(files[message.index] as string, done);
  parentPort?.postMessage({ index: message.index, outcome }, transferables(outcome));
}

function transferables(outcome: ReadOutcome): ArrayBuffer[] {
  const transfer = new Set<ArrayBuffer>();
  for (const item of outcome.result?.items ?? []) {
    for (const strip of item.strips ?? []) transfer.add(strip.data.buffer as ArrayBuffer);
    if (item.spectrum1d)
      for (const values of [item.spectrum1d.wavelength, item.spectrum1d.flux, item.spectrum1d.ivar])
        transfer.add(values.buffer as ArrayBuffer);
    if (item.cutout) transfer.add(item.cutout.rgb.buffer as ArrayBuffer);
  }
  return [...transfer];
}
