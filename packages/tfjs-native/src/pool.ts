/**
 * Reuses the large Float32Arrays that native kernels allocate. A fresh multi-megabyte V8 buffer
 * costs thousands of page faults on first write (more than the arithmetic of an element-wise op)
 * and is only returned to the system when the garbage collector gets to it, long after TensorFlow.js
 * disposed the tensor. The `onednn` backend hands a buffer back here when the last tensor using it
 * is disposed, and kernels take buffers of the same length from here before allocating.
 *
 * Only buffers a native kernel allocated are ever pooled, and never one whose contents were read
 * out (`dataSync`, `data`, `array`…): those may still be held by the caller.
 */
export class BufferPool {
  /** Smallest buffer worth pooling, in elements (256 KiB). */
  static readonly MIN_LENGTH = 1 << 16;
  /** Smallest fresh buffer worth huge pages, in elements (4 MiB: two huge pages). */
  static readonly HUGE_LENGTH = 1 << 20;
  /**
   * Called on every fresh buffer of at least HUGE_LENGTH elements before anything writes it (the
   * backend sets it to the addon's madvise(MADV_HUGEPAGE)): first writes then fault once per 2 MiB
   * instead of once per 4 KiB.
   */
  advise?: (buffer: Float32Array) => void;
  /**
   * Bytes from an ArrayBuffer's start to its first 64-byte boundary (the backend sets it to the
   * addon's): fresh pooled buffers are views starting there, so that AVX-512 stores do not straddle
   * cache lines (V8's buffers start 16 bytes past one; a convolution into them ran 1.4× slower).
   */
  align?: (buffer: ArrayBuffer) => number;
  private readonly free = new Map<number, Float32Array[]>();
  private readonly owned = new WeakSet<Float32Array>();
  private pooledBytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  /** A buffer of `length` elements with undefined contents (callers overwrite all of it). */
  take(length: number): Float32Array {
    if (length < BufferPool.MIN_LENGTH) return new Float32Array(length);
    const reused = this.free.get(length)?.pop();
    if (reused) {
      this.pooledBytes -= reused.byteLength;
      this.hits++;
    } else {
      this.misses++;
    }
    const buffer = reused ?? this.fresh(length);
    this.owned.add(buffer);
    return buffer;
  }

  private fresh(length: number): Float32Array {
    let buffer: Float32Array;
    if (this.align) {
      const memory = new ArrayBuffer((length + 16) * 4); // room to start 64 bytes later
      buffer = new Float32Array(memory, this.align(memory), length);
    } else {
      buffer = new Float32Array(length);
    }
    if (length >= BufferPool.HUGE_LENGTH) this.advise?.(buffer);
    return buffer;
  }

  /**
   * Whether `buffer` came from this pool and its contents never left the backend: nothing outside
   * the tensors using it can see it, so a kernel may overwrite it when only one tensor does.
   */
  owns(buffer: unknown): boolean {
    return buffer instanceof Float32Array && this.owned.has(buffer);
  }

  /** The buffer's contents left the backend: never reuse it. */
  escape(buffer: unknown): void {
    if (buffer instanceof Float32Array) this.owned.delete(buffer);
  }

  /** The last tensor using `buffer` was disposed. */
  give(buffer: unknown): void {
    if (!(buffer instanceof Float32Array) || !this.owned.has(buffer)) return;
    this.owned.delete(buffer);
    if (this.pooledBytes + buffer.byteLength > this.maxBytes) return; // left to the garbage collector
    const list = this.free.get(buffer.length) ?? [];
    list.push(buffer);
    this.free.set(buffer.length, list);
    this.pooledBytes += buffer.byteLength;
  }

  /** Drops every pooled buffer (they become garbage). */
  clear(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }

  get bytes(): number {
    return this.pooledBytes;
  }
}
