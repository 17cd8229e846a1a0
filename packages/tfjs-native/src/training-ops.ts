// Training-mode max pooling and dropout on the `onednn` backend that keep one byte per output
// element for their gradients. TensorFlow.js's max pooling keeps its input and output for the
// gradient, and its dropout a float32 mask beside its input (plus four mask-sized temporaries and a
// JavaScript random generator): on full-size MAC-Net at batch 32 the first spectral pool alone kept
// 440 MB per arm.

import * as tf from "@tensorflow/tfjs";
import { backend_util } from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { loadAddon, type NativeAddon } from "./addon.ts";
import { bufferPool, ONEDNN_BACKEND } from "./backend.ts";
import { allocate, poolParams } from "./kernels.ts";

/** What a native training op needs, or null where it does not apply (other backend, no addon, turned off). */
export function nativeTraining(): {
  addon: NativeAddon;
  backend: MathBackendCPU;
  data: (t: tf.Tensor) => Float32Array;
} | null {
  const loaded = loadAddon();
  if (tf.getBackend() !== ONEDNN_BACKEND || "error" in loaded || process.env.MACNET_NATIVE_TRAINING_OPS === "0")
    return null;
  const backend = tf.backend() as MathBackendCPU;
  return { addon: loaded.addon, backend, data: (t) => backend.data.get(t.dataId).values as Float32Array };
}

/**
 * `length` bytes backed by a pooled buffer, and how to hand it back once the gradient used it
 * (a fresh multi-megabyte array costs a page fault per 4 KiB on each step).
 */
function pooledBytes(backend: MathBackendCPU, length: number): { bytes: Uint8Array; release: () => void } {
  const store = allocate(backend, Math.ceil(length / 4));
  return { bytes: new Uint8Array(store.buffer, store.byteOffset, length), release: () => bufferPool.give(store) };
}

const firstOf = (dy: tf.Tensor | tf.Tensor[]) => (Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy);

/** Max pooling with its gradient from the recorded maxima; null where it does not apply. */
export function maxPoolTraining(
  x: tf.Tensor4D,
  options: { poolSize: [number, number]; strides: [number, number]; pad: "same" | "valid" },
): tf.Tensor4D | null {
  const native = nativeTraining();
  if (!native || x.dtype !== "float32") return null;
  const { addon, backend, data } = native;
  const info = backend_util.computePool2DInfo(x.shape, options.poolSize, options.strides, 1, options.pad);
  if (info.filterHeight * info.filterWidth >= 255) return null; // offsets are bytes
  const params = poolParams(info);
  const outSize = tf.util.sizeFromShape(info.outShape);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor4D;
    const y = allocate(backend, outSize);
    let where: ReturnType<typeof pooledBytes> | undefined = pooledBytes(backend, outSize);
    addon.maxPoolArgmax(data(xs), y, where.bytes, params);
    return {
      value: tf.tensor(y, info.outShape, "float32") as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        if (!where) throw new Error("maxPoolTraining: one gradient per forward pass");
        const dx = allocate(backend, xs.size);
        addon.maxPoolArgmaxGrad(data(firstOf(dy)), where.bytes, dx, params);
        where.release();
        where = undefined;
        return [tf.tensor(dx, xs.shape, "float32")];
      },
    };
  });
  return op(x) as tf.Tensor4D;
}

/**
 * Dropout (TensorFlow.js's: kept with probability 1 - rate and scaled by 1 / (1 - rate)) whose
 * random numbers come from the addon's counter-based generator, seeded afresh on every call.
 * Null where it does not apply.
 */
export function dropoutTraining(x: tf.Tensor, rate: number): tf.Tensor | null {
  const native = nativeTraining();
  if (!native || x.dtype !== "float32" || !(rate > 0 && rate < 1)) return null;
  const { addon, backend, data } = native;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor;
    const y = allocate(backend, xs.size);
    let kept: ReturnType<typeof pooledBytes> | undefined = pooledBytes(backend, xs.size);
    const seed = () => Math.floor(Math.random() * 2 ** 32);
    addon.dropout(data(xs), y, kept.bytes, rate, seed(), seed());
    return {
      value: tf.tensor(y, xs.shape, "float32"),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        if (!kept) throw new Error("dropoutTraining: one gradient per forward pass");
        const dx = allocate(backend, xs.size);
        addon.dropoutGrad(data(firstOf(dy)), kept.bytes, dx, rate);
        kept.release();
        kept = undefined;
        return [tf.tensor(dx, xs.shape, "float32")];
      },
    };
  });
  return op(x);
}
