import * as tf from "@tensorflow/tfjs";
import { allocate } from "./kernels.ts";
import { nativeTraining } from "./training-ops.ts";

export interface BatchNormTrainingResult {
  y: tf.Tensor;
  /** Batch statistics over every axis but the last (biased variance, as `tf.moments`). */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Batch normalisation in training mode over every axis but the last, as one native op with its
 * exact gradient (through the batch statistics) on the `onednn` backend. TensorFlow.js builds it
 * from `moments` and `batchNorm`, whose gradients make a dozen temporaries the size of the input:
 * on MAC-Net's first spectral block at batch 32 that is several GB and seconds per step.
 * Returns null where it does not apply (other backend, dtype or missing addon): use tf ops then.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): BatchNormTrainingResult | null {
  const native = nativeTraining();
  if (!native) return null;
  const channels = x.shape[x.rank - 1] as number;
  if (x.dtype !== "float32" || gamma.size !== channels || beta.size !== channels || x.size === 0) return null;
  const { addon, backend, data } = native;
  let statistics: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const y = allocate(backend, xs.size);
    const mean = new Float32Array(channels);
    const variance = new Float32Array(channels);
    addon.batchNormTrain(data(xs), data(g), data(b), y, mean, variance, channels, epsilon);
    const meanT = tf.tensor1d(mean);
    const varianceT = tf.tensor1d(variance);
    save([xs, g, meanT, varianceT]);
    statistics = [tf.keep(tf.clone(meanT)), tf.keep(tf.clone(varianceT))];
    return {
      value: tf.tensor(y, xs.shape, "float32"),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sg, sm, sv] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const grad = Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy;
        const dx = allocate(backend, sx.size);
        const dgamma = new Float32Array(channels);
        const dbeta = new Float32Array(channels);
        addon.batchNormTrainGrad(
          data(sx),
          data(grad),
          data(sg),
          data(sm),
          data(sv),
          dx,
          dgamma,
          dbeta,
          channels,
          epsilon,
        );
        return [tf.tensor(dx, sx.shape, "float32"), tf.tensor(dgamma, sg.shape), tf.tensor(dbeta, sg.shape)];
      },
    };
  });
  const y = op(x, gamma, beta);
  const [mean, variance] = statistics as [tf.Tensor1D, tf.Tensor1D];
  return { y, mean, variance };
}
