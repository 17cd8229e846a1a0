// Strip arrays recycled within a thread. A 1000-object survey cuts ~400 MB of strips; as fresh
// Float32Arrays each is zero-filled and faulted in page by page (~12 µs per 4 KiB page on the
// development VM: most of the read thread's time in `readFrame`). Once a batch's COPY has committed,
// the ingest hands the batch's strip buffers back to the thread that reads frames, which cuts the
// next strips into them (every value is overwritten).

/** At most this many bytes of strip buffers wait for reuse per thread. */
const MAX_FREE_BYTES = 256 * 1024 * 1024;

const free = new Map<number, ArrayBuffer[]>();
let freeBytes = 0;

/** A Float32Array of `length` values for a strip: a recycled buffer of that size if one waits, else a new one. Its contents are undefined: the caller writes every value. */
export function stripArray(length: number): Float32Array {
  const buffer = free.get(length * 4)?.pop();
  if (!buffer) return new Float32Array(length);
  freeBytes -= buffer.byteLength;
  return new Float32Array(buffer);
}

/** Keeps `buffers` (strips' whole buffers, no longer used by anyone) for `stripArray`, up to the cap. */
export function recycleStripBuffers(buffers: readonly ArrayBuffer[]): void {
  for (const buffer of buffers) {
    if (buffer.byteLength === 0 || freeBytes + buffer.byteLength > MAX_FREE_BYTES) continue;
    const list = free.get(buffer.byteLength) ?? [];
    list.push(buffer);
    free.set(buffer.byteLength, list);
    freeBytes += buffer.byteLength;
  }
}

/** Drops the buffers waiting for reuse (the ingest has ended). */
export function releaseStripBuffers(): void {
  free.clear();
  freeBytes = 0;
}

/** How many bytes of strip buffers wait for reuse in this thread (tests). */
export function freeStripBytes(): number {
  return freeBytes;
}
