import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { loadAddon } from "./addon.ts";
import { ONEDNN_BACKEND } from "./backend.ts";
import { allocate } from "./kernels.ts";

type Accumulator = { originalName: string; variable: tf.Variable };

/**
 * TensorFlow.js's Adagrad with each variable's update fused into one native pass on the `onednn`
 * backend (the JS version makes seven full-size temporaries per variable per step: on MAC-Net's
 * 89 M weights that is about a second per step). Same arithmetic, state, serialisation name and
 * weights as `tf.train.adagrad`; on any other backend it is `tf.train.adagrad`.
 */
export class FusedAdagradOptimizer extends tf.AdagradOptimizer {
  static override get className(): string {
    return "Adagrad";
  }

  override applyGradients(variableGradients: Parameters<tf.AdagradOptimizer["applyGradients"]>[0]): void {
    const loaded = loadAddon();
    if (tf.getBackend() !== ONEDNN_BACKEND || "error" in loaded) {
      super.applyGradients(variableGradients);
      return;
    }
    const { addon } = loaded;
    const self = this as unknown as { accumulatedGrads: Accumulator[]; initialAccumulatorValue: number };
    const backend = tf.backend() as MathBackendCPU;
    const data = (t: tf.Tensor) => backend.data.get(t.dataId).values as Float32Array;
    const epsilon = backend.epsilon();
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((item) => item.name)
      : Object.keys(variableGradients);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name] as tf.Variable;
      if (self.accumulatedGrads[i] == null) {
        self.accumulatedGrads[i] = {
          originalName: `${name}/accumulator`,
          variable: tf.tidy(() => tf.fill(value.shape, self.initialAccumulatorValue).variable(false)),
        };
      }
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
      if (gradient == null) return;
      const accumulator = (self.accumulatedGrads[i] as Accumulator).variable;
      if (value.dtype !== "float32" || gradient.dtype !== "float32") {
        throw new Error(`Adagrad: ${name} is ${value.dtype}, expected float32`);
      }
      const size = value.size;
      const newValue = allocate(backend, size);
      const newAccumulator = allocate(backend, size);
      addon.adagrad(
        data(value),
        data(accumulator),
        data(gradient),
        newValue,
        newAccumulator,
        this.learningRate,
        epsilon,
      );
      tf.tidy(() => {
        accumulator.assign(tf.tensor(newAccumulator, accumulator.shape, "float32"));
        value.assign(tf.tensor(newValue, value.shape, "float32"));
      });
    });
    this.incrementIterations();
  }
}

/** Adagrad for training: fused on the `onednn` backend, TensorFlow.js's own elsewhere. */
export function adagrad(learningRate: number, initialAccumulatorValue = 0.1): tf.AdagradOptimizer {
  return new FusedAdagradOptimizer(learningRate, initialAccumulatorValue);
}
