// Worker thread of the read pool: hashes and reads survey files, returning their records with the
// large arrays transferred (not copied) to the main thread.
import { parentPort } from "node:worker_threads";
import { readAndHash } from "./read-pool.ts";

let done = new Set<string>();

parentPort?.on("message", (message: { done: string[] } | { close: true } | { id: number; path: string }) => {
  if ("close" in message) {
    parentPort?.close(); // nothing else keeps this thread alive: it exits by itself
    return;
  }
  if ("done" in message) {
    done = new Set(message.done);
    return;
  }
  const outcome = readAndHash(message.path, done);
  const transfer: ArrayBuffer[] = [];
  for (const item of outcome.result?.items ?? []) {
    for (const strip of item.strips ?? []) transfer.push(strip.data.buffer as ArrayBuffer);
    if (item.spectrum1d)
      transfer.push(
        item.spectrum1d.wavelength.buffer as ArrayBuffer,
        item.spectrum1d.flux.buffer as ArrayBuffer,
        item.spectrum1d.ivar.buffer as ArrayBuffer,
      );
    if (item.cutout) transfer.push(item.cutout.rgb.buffer as ArrayBuffer);
  }
  parentPort?.postMessage({ id: message.id, outcome }, [...new Set(transfer)]);
});
