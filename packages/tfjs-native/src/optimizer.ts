import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { loadAddon } from "./addon.ts";
import { bufferPool, ONEDNN_BACKEND } from "./backend.ts";
import { variableGradsFreeing } from "./gradients.ts";
import { allocate } from "./kernels.ts";

type Accumulator = { originalName: string; variable: tf.Variable };

/**
 * TensorFlow.js's Adagrad with each variable's update fused into one native pass on the `onednn`
 * backend (the JS version makes seven full-size temporaries per variable per step: on MAC-Net's
 * 89 M weights that is about a second per step). Same arithmetic, state, serialisation name and
 * weights as `tf.train.adagrad`; on any other backend it is `tf.train.adagrad`. A variable and its
 * accumulator are updated in place when no other tensor shares their buffers and their contents
 * never left the backend (after the first step, normally): no new 2 × 356 MB per step on MAC-Net.
 * Gradients free memory as backpropagation goes (`variableGradsFreeing`).
 */
export class FusedAdagradOptimizer extends tf.AdagradOptimizer {
  static override get className(): string {
    return "Adagrad";
  }

  override computeGradients(f: () => tf.Scalar, varList?: tf.Variable[]) {
    return variableGradsFreeing(f, varList);
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
      const exclusive = (t: tf.Tensor) => {
        const entry = backend.data.get(t.dataId) as { values?: unknown; refCount?: number } | undefined;
        return entry?.refCount === 1 && bufferPool.owns(entry.values);
      };
      if (exclusive(value) && exclusive(accumulator)) {
        addon.adagrad(
          data(value),
          data(accumulator),
          data(gradient),
          data(value),
          data(accumulator),
          this.learningRate,
          epsilon,
        );
        return;
      }
      const newValue = allocate(backend, value.size);
      const newAccumulator = allocate(backend, value.size);
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

/** An optimizer whose gradients free memory as backpropagation goes (`variableGradsFreeing`). */
export function freeingGradients<T extends tf.Optimizer>(optimizer: T): T {
  optimizer.computeGradients = (f, varList) => variableGradsFreeing(f, varList);
  return optimizer;
}

/** Adagrad for training: fused on the `onednn` backend, TensorFlow.js's own elsewhere. */
export function adagrad(learningRate: number, initialAccumulatorValue = 0.1): tf.AdagradOptimizer {
  return new FusedAdagradOptimizer(learningRate, initialAccumulatorValue);
}
