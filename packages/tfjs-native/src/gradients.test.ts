import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { variableGradsFreeing } from "./gradients.ts";

/** Deterministic values in [-1, 1). */
function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    out[i] = state / 2 ** 30 - 1;
  }
  return out;
}

/** Records the live tensor bytes when backpropagation reaches it (its gradient is the identity). */
function probe(seen: number[]) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    return {
      value: tf.clone(x),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        seen.push(tf.memory().numBytes);
        return [Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy]; // dy itself, not a copy
      },
    };
  });
}

describe("variableGradsFreeing", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  const layers = 8;
  const setup = () => {
    const x = tf.tensor2d(values(64 * 32, 1), [64, 32]);
    const weights = Array.from({ length: layers }, (_, i) =>
      tf.variable(tf.tensor2d(values(32 * 32, i + 2), [32, 32])),
    );
    const bias = tf.variable(tf.tensor1d(values(32, 99)));
    const frozen = tf.variable(tf.tensor1d(values(32, 100)), false);
    const unused = tf.variable(tf.tensor1d(values(32, 101)));
    return { x, weights, bias, frozen, unused };
  };
  type Setup = ReturnType<typeof setup>;
  // A chain with fan-out (h used twice), concat/slice/reshape, a non-trainable variable, a custom
  // gradient that hands dy back unchanged, and a variable the loss does not depend on.
  const loss =
    ({ x, weights, bias, frozen }: Setup, seen: number[]) =>
    () =>
      tf.tidy(() => {
        let h = probe(seen)(tf.add(tf.matMul(x, weights[0] as tf.Variable), bias)) as tf.Tensor2D;
        for (const w of weights.slice(1)) {
          const z = tf.tanh(tf.matMul(h, w));
          const both = tf.concat([z, tf.mul(z, frozen)], 1);
          h = tf.reshape(tf.add(tf.slice(both, [0, 0], [64, 32]), tf.slice(both, [0, 32], [64, 32])), [64, 32]);
        }
        return tf.add(tf.sum(tf.square(h)), tf.sum(tf.mul(h, 0.5))) as tf.Scalar;
      });

  it("gives tf.variableGrads's value and gradients, leaks nothing, and holds less during backpropagation", () => {
    const run = (grads: typeof tf.variableGrads) => {
      const s = setup();
      const seen: number[] = [];
      const before = tf.memory().numTensors;
      const varList = [...s.weights, s.bias, s.frozen, s.unused];
      const { value, grads: named } = grads(loss(s, seen), varList);
      // Keyed by place in varList (variable names differ between the runs).
      const place = (name: string) => String(varList.findIndex((v) => v.name === name));
      const result = {
        value: value.dataSync()[0] as number,
        names: Object.keys(named).map(place).sort(),
        grads: Object.fromEntries(
          Object.entries(named).map(([k, g]) => [place(k), g === null ? null : Array.from(g.dataSync())]),
        ),
        live: tf.memory().numTensors - before,
        peak: seen[0] as number,
      };
      tf.dispose([value, ...Object.values(named).filter((g): g is tf.Tensor => g !== null)]);
      const leaked = tf.memory().numTensors - before;
      tf.dispose([s.x, ...varList]);
      return { ...result, leaked, s };
    };
    const want = run(tf.variableGrads);
    const got = run(variableGradsFreeing);
    expect(got.value).toBe(want.value);
    expect(got.names).toEqual(want.names);
    expect(got.names).toHaveLength(layers + 2); // weights, bias, the frozen one (null); not the unused one
    for (const name of want.names) {
      const [w, g] = [want.grads[name], got.grads[name]];
      if (w === null) expect(g).toBeNull();
      else expect(g).toEqual(w);
    }
    expect(got.leaked).toBe(0);
    expect(want.leaked).toBe(0);
    // At the first layer's gradient TensorFlow.js still holds every layer's saved tensors and
    // gradients; the freeing version holds the last few.
    expect(got.peak).toBeLessThan(want.peak / 2);
  });

  it("falls back to tf.variableGrads inside another gradient computation", () => {
    const w = tf.variable(tf.scalar(3));
    // d/dv of (d/dw w³·v) = 3w² = 27: the inner call must keep the tape whole for the outer one.
    const outer = tf.grad((v: tf.Tensor) =>
      tf.tidy(() => {
        const { grads } = variableGradsFreeing(() => tf.mul(tf.pow(w, 3), v) as tf.Scalar, [w]);
        return grads[w.name] as tf.Tensor;
      }),
    );
    const dv = outer(tf.scalar(1));
    expect(dv.dataSync()[0]).toBeCloseTo(27, 4);
    tf.dispose([w, dv]);
  });

  it("rejects a non-scalar loss and a loss without trainable variables as tf.variableGrads does", () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    expect(() => variableGradsFreeing(() => tf.mul(w, 2) as unknown as tf.Scalar, [w])).toThrow(/must return a scalar/);
    const frozen = tf.variable(tf.scalar(1), false);
    expect(() => variableGradsFreeing(() => tf.sum(w) as tf.Scalar, [frozen])).toThrow(
      /none of the 1 variables is trainable/,
    );
    const other = tf.variable(tf.scalar(1));
    expect(() => variableGradsFreeing(() => tf.sum(w) as tf.Scalar, [other])).toThrow(/Cannot find a connection/);
    tf.dispose([w, frozen, other]);
  });
});
