import * as tf from "@tensorflow/tfjs";
import { bufferPool } from "./backend.ts";
import { allocate, BINARY, convParams, nhwcConvInfo, REDUCE } from "./kernels.ts";
import { nativeTraining } from "./training-ops.ts";

export interface Conv2dTrainingOptions {
  strides: number | [number, number];
  pad: "same" | "valid";
  activation: "relu" | "linear";
  /** False when `x` is a model input: its gradient is never used, so it is not computed. */
  inputGradient?: boolean;
}

/**
 * Convolution + bias + ReLU (or linear) for training, with its gradient done natively in one
 * pass on the `onednn` backend: the ReLU mask is applied to dy inside the backward step and never
 * becomes a tensor. TensorFlow.js's fused convolution computes `dy · step(y)` as two tensors the
 * size of the output that stay alive until the whole backward pass ends (720 MB per spectral arm
 * at batch 32). Returns null where it does not apply (other backend, dtype, missing addon).
 */
export function conv2dTraining(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  options: Conv2dTrainingOptions,
): tf.Tensor4D | null {
  const native = nativeTraining();
  if (!native) return null;
  if (x.dtype !== "float32" || filter.dtype !== "float32" || bias.size !== filter.shape[3]) return null;
  const { addon, backend, data } = native;
  const info = nhwcConvInfo(x.shape, filter.shape, { strides: options.strides, pad: options.pad });
  const params = convParams(info);
  const relu = options.activation === "relu";
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, fs, bs, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    const y = allocate(backend, tf.util.sizeFromShape(info.outShape));
    addon.conv2dForward(data(xs), data(fs), data(bs), y, params, relu ? 1 : 0, 0);
    const value = tf.tensor(y, info.outShape, "float32") as tf.Tensor4D;
    save([xs, fs, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sf, sy] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const grad = data(Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy);
        let dyActivation = grad;
        if (relu) {
          dyActivation = allocate(backend, grad.length);
          const shape = Int32Array.from(info.outShape);
          addon.binary(BINARY.reluGrad, grad, shape, data(sy), shape, dyActivation, shape);
        }
        const dx = allocate(backend, sx.size);
        if (options.inputGradient === false) dx.fill(0);
        else addon.conv2dBackwardData(dyActivation, data(sf), dx, params);
        const dw = allocate(backend, sf.size);
        addon.conv2dBackwardFilter(data(sx), dyActivation, dw, params);
        const db = new Float32Array(info.outChannels);
        const rows = grad.length / info.outChannels;
        addon.reduce(REDUCE.sum, dyActivation, db, Int32Array.from([1, rows, info.outChannels]));
        if (relu) bufferPool.give(dyActivation); // never a tensor: straight back to the pool
        return [tf.tensor(dx, sx.shape, "float32"), tf.tensor(dw, sf.shape, "float32"), tf.tensor1d(db)];
      },
    };
  });
  return op(x, filter, bias) as tf.Tensor4D;
}
