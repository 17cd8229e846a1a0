// The oneDNN kernels against TensorFlow.js's pure-JS kernels, on random inputs over the shapes the
// MAC-Net family uses (3×20 spectral convolutions, 7×7/2 stem, 1×1, 3×3, 5×5 Inception branches,
// 2×2 and 3×3/2 pools, dense layers), with odd sizes, both paddings, strides, batch 1 and > 1,
// and gradients. Needs the addon (libdnnl-dev at install); .ci/run sets MACNET_REQUIRE_NATIVE=1 so
// that a missing addon fails there instead of skipping.
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAddon } from "./addon.ts";
import { bufferPool, ONEDNN_BACKEND, registerOneDnnBackend } from "./backend.ts";
import { batchNormTraining } from "./batchnorm.ts";
import { conv2dTraining } from "./conv.ts";
import { kernelStats } from "./kernels.ts";
import { FusedAdagradOptimizer } from "./optimizer.ts";
import { dropoutTraining, maxPoolTraining } from "./training-ops.ts";

const loaded = loadAddon();
const available = "addon" in loaded;

describe("oneDNN addon", () => {
  it("is built and loads where native kernels are required", () => {
    if (process.env.MACNET_REQUIRE_NATIVE === "1") expect("error" in loaded ? loaded.error : "loaded").toBe("loaded");
    else if (!available) console.warn(`oneDNN kernel tests skipped: ${(loaded as { error: string }).error}`);
  });
});

/** Runs `compute` on both backends with the same inputs and returns [pure JS, oneDNN] values. */
async function onBoth(compute: () => tf.Tensor | tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const results: Float32Array[][] = [];
  for (const backend of ["cpu", ONEDNN_BACKEND]) {
    await tf.setBackend(backend);
    const out = tf.tidy(compute);
    const list = Array.isArray(out) ? out : [out];
    results.push(list.map((t) => t.dataSync() as Float32Array));
    tf.dispose(list);
  }
  return [results[0] as Float32Array[], results[1] as Float32Array[]];
}

function expectClose(expected: Float32Array[], actual: Float32Array[], tolerance = 2e-4) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i] as Float32Array;
    expect(got.length).toBe(want.length);
    let scale = 1e-6;
    let worst = 0;
    for (let j = 0; j < want.length; j++) {
      scale = Math.max(scale, Math.abs(want[j] as number));
      worst = Math.max(worst, Math.abs((want[j] as number) - (got[j] as number)));
    }
    expect(worst / scale).toBeLessThan(tolerance);
  });
}

/** Random tensors kept across both backends (created once, read by both). */
let seed = 1;
function random(shape: number[]): Float32Array {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    data[i] = seed / 2 ** 30 - 1;
  }
  return data;
}

type Conv = {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: "same" | "valid";
  dilations?: number;
};

const CONVOLUTIONS: Conv[] = [
  { x: [2, 11, 61, 1], filter: [3, 20, 1, 8], strides: 1, pad: "same" }, // first spectral conv
  { x: [1, 5, 40, 16], filter: [3, 20, 16, 8], strides: 1, pad: "same" }, // deeper spectral conv
  { x: [3, 2, 25, 8], filter: [3, 20, 8, 4], strides: 1, pad: "same" }, // kernel taller than input
  { x: [2, 17, 17, 3], filter: [7, 7, 3, 8], strides: 2, pad: "same" }, // image stem, odd size
  { x: [1, 9, 11, 5], filter: [3, 3, 5, 6], strides: 2, pad: "valid" },
  { x: [2, 8, 8, 12], filter: [1, 1, 12, 7], strides: 1, pad: "valid" }, // Inception 1×1
  { x: [1, 8, 8, 6], filter: [5, 5, 6, 4], strides: 1, pad: "same" }, // Inception 5×5
  { x: [1, 8, 8, 2], filter: [7, 7, 2, 1], strides: 1, pad: "same" }, // CBAM spatial attention
  { x: [1, 12, 13, 3], filter: [3, 3, 3, 4], strides: 1, pad: "same", dilations: 2 },
  // Rows of 64 or more: the filter gradient as GEMMs per tap and row ('same' pads 9 left, 10 right).
  { x: [2, 5, 70, 16], filter: [3, 20, 16, 16], strides: 1, pad: "same" },
  { x: [1, 11, 66, 1], filter: [3, 20, 1, 8], strides: 1, pad: "same" },
  { x: [1, 4, 80, 16], filter: [3, 5, 16, 20], strides: 1, pad: "valid" },
  // Short images with a 3-row kernel and 'same' padding: with fewer than 16 filters (on 5 rows above,
  // 1 row here) the forward pass as one 1×20 convolution per kernel row over the rows it meets (at 1
  // row only the middle one); with 16 (2 rows here, 5 above) in a transform domain (below).
  { x: [2, 2, 70, 16], filter: [3, 20, 16, 16], strides: 1, pad: "same" },
  { x: [2, 1, 64, 16], filter: [3, 20, 16, 8], strides: 1, pad: "same" },
  // Few input channels, rows of 64 or more, 16 filters or more: the forward pass as GEMMs per row
  // tile of 256 pixels (a second, partial tile here).
  { x: [2, 11, 300, 1], filter: [3, 20, 1, 16], strides: 1, pad: "same" },
  { x: [1, 6, 70, 3], filter: [3, 5, 3, 24], strides: 1, pad: "valid" },
  // Wide kernels, 16 channels or more in and out, in a transform domain along the rows: Winograd
  // F(4, 4) for small images (above: 5 and 2 rows, 'same', a partial last tile; here one row, where
  // only the middle kernel row meets it, a 'valid' 2×9 kernel, not a multiple of 4 taps, a one-row
  // kernel, 40 taps: too wide for the FFT's tiles), an FFT for larger ones (last two; and below,
  // Winograd for each shape as well).
  { x: [1, 1, 50, 16], filter: [3, 20, 16, 16], strides: 1, pad: "same" },
  { x: [3, 4, 45, 20], filter: [2, 9, 20, 16], strides: 1, pad: "valid" },
  { x: [2, 1, 64, 16], filter: [1, 12, 16, 24], strides: 1, pad: "same" },
  { x: [1, 2, 90, 16], filter: [2, 40, 16, 16], strides: 1, pad: "same" },
  { x: [1, 1, 80, 16], filter: [1, 65, 16, 16], strides: 1, pad: "same" }, // 65 taps: one more than a tile
  // 64 FFT tiles or more (5 × 7 and 2 × 9 per image): the FFT itself, forward and input gradient.
  { x: [2, 5, 300, 16], filter: [3, 20, 16, 16], strides: 1, pad: "same" },
  { x: [4, 2, 400, 16], filter: [3, 20, 16, 24], strides: 1, pad: "same" },
];

describe.skipIf(!available)("oneDNN kernels equal the pure-JS kernels", () => {
  beforeAll(() => {
    const registered = registerOneDnnBackend();
    expect(registered.ok).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it.each(CONVOLUTIONS)("conv2d %j: output and both gradients", async (c) => {
    const x = random(c.x);
    const filter = random(c.filter);
    const forward = await onBoth(() =>
      tf.conv2d(tf.tensor4d(x, c.x), tf.tensor4d(filter, c.filter), c.strides, c.pad, "NHWC", c.dilations ?? 1),
    );
    expectClose(...forward);
    if (c.dilations) return; // TensorFlow.js has no gradient for dilated convolutions
    const grads = await onBoth(() =>
      tf.grads((xs: tf.Tensor, fs: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(xs as tf.Tensor4D, fs as tf.Tensor4D, c.strides, c.pad))),
      )([tf.tensor4d(x, c.x), tf.tensor4d(filter, c.filter)]),
    );
    expectClose(...grads);
  });

  it.each(["linear", "relu", "relu6", "leakyrelu", "sigmoid", "elu"] as const)(
    "fused conv2d with bias and %s, and its gradients",
    async (activation) => {
      // oneDNN's primitive with post-ops, the row-GEMM path with its own epilogue (one channel), the
      // per-kernel-row path (a short image, 8 filters: bias on the first row's pass, activation at the
      // end) and the FFT (a longer one, 16 filters: bias and activation on the output tiles).
      for (const [shape, filterShape] of [
        [
          [2, 6, 30, 4],
          [3, 20, 4, 5],
        ],
        [
          [1, 3, 70, 1],
          [3, 5, 1, 16],
        ],
        [
          [2, 5, 40, 16],
          [3, 20, 16, 8],
        ],
        [
          [2, 5, 300, 16],
          [3, 20, 16, 16],
        ],
      ] as [number[], number[]][]) {
        const x = random(shape);
        const filter = random(filterShape);
        const bias = random([filterShape[3] as number]);
        const run = (xs: tf.Tensor, fs: tf.Tensor, bs: tf.Tensor) =>
          tf.fused.conv2d({
            x: xs as tf.Tensor4D,
            filter: fs as tf.Tensor4D,
            strides: 1,
            pad: "same",
            bias: bs,
            activation,
            leakyreluAlpha: 0.1,
          });
        const inputs = () => [tf.tensor(x, shape), tf.tensor(filter, filterShape), tf.tensor1d(bias)];
        expectClose(...(await onBoth(() => run(...(inputs() as [tf.Tensor, tf.Tensor, tf.Tensor])))));
        expectClose(
          ...(await onBoth(() =>
            tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(run(a, b, c)))(inputs()),
          )),
        );
      }
    },
  );

  it.each([
    { a: [3, 5], b: [5, 7], transposeA: false, transposeB: false },
    { a: [5, 3], b: [5, 7], transposeA: true, transposeB: false },
    { a: [3, 5], b: [7, 5], transposeA: false, transposeB: true },
    { a: [5, 3], b: [7, 5], transposeA: true, transposeB: true },
    { a: [2, 3, 5], b: [2, 5, 4], transposeA: false, transposeB: false },
    { a: [4, 130], b: [130, 67], transposeA: false, transposeB: false },
    // One row times a matrix of 4 Mi values or more: streamed by row blocks (K not a multiple of 4).
    { a: [1, 2051], b: [2051, 2048], transposeA: false, transposeB: false },
    { a: [2051, 1], b: [2051, 2048], transposeA: true, transposeB: false },
  ])("matMul $a × $b (transposes $transposeA/$transposeB) and its gradients", async (m) => {
    const a = random(m.a);
    const b = random(m.b);
    const inputs = () => [tf.tensor(a, m.a), tf.tensor(b, m.b)];
    const run = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, m.transposeA, m.transposeB);
    expectClose(...(await onBoth(() => run(...(inputs() as [tf.Tensor, tf.Tensor])))));
    expectClose(
      ...(await onBoth(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(run(x, y))))(inputs()))),
    );
  });

  // TensorFlow.js has no gradient for broadcast batch matmuls: forward only.
  it.each([
    { a: [1, 3, 5], b: [4, 5, 2] },
    { a: [4, 3, 5], b: [5, 2] },
  ])("broadcast matMul $a × $b", async (m) => {
    const a = random(m.a);
    const b = random(m.b);
    expectClose(...(await onBoth(() => tf.matMul(tf.tensor(a, m.a), tf.tensor(b, m.b)))));
  });

  it.each([
    [4, 33, 17],
    [1, 2051, 2048], // a dense layer at batch 1: streamed by row blocks
  ])("fused matMul with bias and relu (a dense layer, %i × %i × %i) and its gradients", async (m, k, n) => {
    const a = random([m, k]);
    const b = random([k, n]);
    const bias = random([n]);
    const inputs = () => [tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n]), tf.tensor1d(bias)];
    const run = (x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) =>
      tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: c, activation: "relu" });
    expectClose(...(await onBoth(() => run(...(inputs() as [tf.Tensor, tf.Tensor, tf.Tensor])))));
    expectClose(
      ...(await onBoth(() => tf.grads((x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) => tf.sum(run(x, w, c)))(inputs()))),
    );
  });

  it.each([
    { x: [2, 11, 13, 3], size: 2, strides: 2, pad: "valid" }, // spectral 2×2 pools, odd sizes
    { x: [1, 16, 16, 20], size: 3, strides: 2, pad: "same" }, // GoogLeNet stem
    { x: [2, 8, 8, 5], size: 3, strides: 1, pad: "same" }, // Inception pool branch
    { x: [1, 1, 250, 4], size: [1, 2], strides: [1, 2], pad: "valid" },
  ] as const)("maxPool %j and its gradient", async (p) => {
    const x = random([...p.x]);
    const shape = [...p.x] as [number, number, number, number];
    const run = (t: tf.Tensor) =>
      tf.maxPool(t as tf.Tensor4D, p.size as [number, number], p.strides as [number, number], p.pad);
    expectClose(...(await onBoth(() => run(tf.tensor4d(x, shape)))), 1e-7);
    expectClose(...(await onBoth(() => tf.grad((t: tf.Tensor) => tf.sum(tf.square(run(t))))(tf.tensor4d(x, shape)))));
  });

  it.each([
    { x: [2, 11, 13, 3], size: [2, 2], strides: [2, 2], pad: "valid" },
    { x: [1, 16, 16, 70], size: [3, 3], strides: [2, 2], pad: "same" }, // overlapping, two channel blocks
    { x: [2, 8, 8, 5], size: [3, 3], strides: [1, 1], pad: "same" },
    { x: [1, 1, 250, 4], size: [1, 2], strides: [1, 2], pad: "valid" },
  ] as const)("training max pool %j: value and gradient equal tf.maxPool's (ties, -Infinity)", async (p) => {
    const shape = [...p.x] as [number, number, number, number];
    // Few distinct values, so windows hold ties (the first maximum in row-major order takes the
    // gradient), and one window of -Infinity only (no maximum: no gradient).
    const x = random(shape).map((v, i) => (i < p.x[3] * 2 ? Number.NEGATIVE_INFINITY : Math.round(v * 3)));
    const weights = (y: tf.Tensor) => tf.linspace(-1, 1, y.size).reshape(y.shape);
    const loss = (run: (t: tf.Tensor4D) => tf.Tensor) => (t: tf.Tensor) => {
      const y = run(t as tf.Tensor4D);
      return tf.sum(tf.mul(tf.where(tf.isFinite(y), y, tf.zerosLike(y)), weights(y)));
    };
    const reference = (t: tf.Tensor4D) => tf.maxPool(t, [...p.size], [...p.strides], p.pad);
    const ours = (t: tf.Tensor4D) =>
      maxPoolTraining(t, { poolSize: [...p.size], strides: [...p.strides], pad: p.pad }) as tf.Tensor;
    await tf.setBackend("cpu");
    const want = tf.tidy(() =>
      [reference(tf.tensor4d(x, shape)), tf.grad(loss(reference))(tf.tensor4d(x, shape))].map(
        (t) => t.dataSync() as Float32Array,
      ),
    );
    await tf.setBackend(ONEDNN_BACKEND);
    const got = tf.tidy(() =>
      [ours(tf.tensor4d(x, shape)), tf.grad(loss(ours))(tf.tensor4d(x, shape))].map(
        (t) => t.dataSync() as Float32Array,
      ),
    );
    expect(Array.from(got[0] as Float32Array)).toEqual(Array.from(want[0] as Float32Array));
    // Overlapping windows add several outputs' gradients into one input: in another order.
    expectClose([want[1] as Float32Array], [got[1] as Float32Array], 1e-6);
  });

  it("training dropout: keeps 1 - rate of the elements, scaled, with the gradient through the same mask", async () => {
    await tf.setBackend(ONEDNN_BACKEND);
    const size = 1 << 20;
    const x = tf.tidy(() => tf.add(tf.tensor1d(random([size])), 2)); // no zeros in x
    const weights = tf.linspace(1, 2, size);
    const w = weights.dataSync();
    const xs = x.dataSync();
    for (const rate of [0.5, 0.2]) {
      let forward: tf.Tensor | undefined;
      const dx = tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => {
            forward = tf.keep(dropoutTraining(t, rate) as tf.Tensor);
            return tf.sum(tf.mul(forward, weights));
          })(x)
          .dataSync(),
      );
      const y = (forward as tf.Tensor).dataSync();
      const scale = Math.fround(1 / (1 - rate));
      let kept = 0;
      let wrong = 0;
      for (let i = 0; i < size; i++) {
        const keep = y[i] !== 0;
        if (keep) kept++;
        // kept: x·scale forward and dy·scale backward; dropped: 0 both ways (the same mask)
        if (y[i] !== (keep ? Math.fround((xs[i] as number) * scale) : 0)) wrong++;
        if (dx[i] !== (keep ? Math.fround((w[i] as number) * scale) : 0)) wrong++;
      }
      expect(wrong).toBe(0);
      // 1 - rate of 2^20 elements: σ of the fraction is under 0.0005, so 0.01 is 20σ.
      expect(Math.abs(kept / size - (1 - rate))).toBeLessThan(0.01);
      tf.dispose(forward);
    }
    // NaN stays NaN where dropped, as TensorFlow.js's multiplication by the mask leaves it.
    const nan = tf.tidy(() => (dropoutTraining(tf.fill([70_000], Number.NaN), 0.5) as tf.Tensor).dataSync());
    expect(Array.from(nan).every(Number.isNaN)).toBe(true);
    expect(dropoutTraining(x, 0)).toBeNull(); // rate 0: the layer's own code (identity)
    tf.dispose([x, weights]);
  });

  it.each([
    { a: [4, 11, 30, 8], b: [4, 11, 30, 8] }, // same shape
    { a: [4, 11, 30, 8], b: [8] }, // per-channel (bias, batch-norm scale)
    { a: [4, 11, 30, 8], b: [4, 1, 1, 8] }, // CBAM channel attention
    { a: [4, 11, 30, 8], b: [4, 11, 30, 1] }, // CBAM spatial attention
    { a: [1], b: [3, 5, 7] }, // scalar on the left
    { a: [3, 1, 7], b: [1, 5, 1] }, // both sides broadcast
    { a: [70_000], b: [] }, // large, parallel, with a scalar
  ])("element-wise ops %j with broadcasting", async ({ a, b }) => {
    const av = random(a);
    const bv = random(b).map((v) => v + 3); // keep divisors away from 0
    const ops = [tf.add, tf.sub, tf.mul, tf.div, tf.maximum, tf.minimum, tf.squaredDifference];
    for (const op of ops) {
      expectClose(...(await onBoth(() => op(tf.tensor(av, a), tf.tensor(bv, b)))));
    }
  });

  it("equal with broadcasting, as max pooling's gradient compares x with its maximum (ties and NaN included)", async () => {
    const shape = [4, 11, 30, 8];
    const x = random(shape).map((v, i) => (i % 97 === 0 ? Number.NaN : Math.round(v * 4) / 4)); // ties
    const nativeBefore = kernelStats.Equal?.native ?? 0;
    for (const axes of [[1, 2], [3], [0, 1, 2]]) {
      const [cpu, native] = await onBoth(() => {
        const t = tf.tensor(x, shape);
        return tf.cast(tf.equal(t, tf.max(t, axes, true)), "float32");
      });
      expect(Array.from(native[0] as Float32Array)).toEqual(Array.from(cpu[0] as Float32Array));
    }
    const [cpu, native] = await onBoth(() => tf.cast(tf.equal(tf.tensor([1, 2, 3]), tf.scalar(2)), "float32"));
    expect(Array.from(native[0] as Float32Array)).toEqual([0, 1, 0]);
    expect(Array.from(cpu[0] as Float32Array)).toEqual([0, 1, 0]);
    expect(kernelStats.Equal?.native).toBe(nativeBefore + 4);
    // The whole CBAM max gradient, through tf.grad.
    expectClose(
      ...(await onBoth(() =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.max(t, [1, 2])))(
          tf.tensor(
            x.map((v) => (Number.isNaN(v) ? 0 : v)),
            shape,
          ),
        ),
      )),
    );
  });

  it("unary ops on a large tensor", async () => {
    const x = random([50_001]);
    const positive = x.map((v) => Math.abs(v) + 0.1);
    for (const op of [
      tf.square,
      tf.relu,
      tf.neg,
      tf.exp,
      tf.sigmoid,
      tf.abs,
      tf.floor,
      (t: tf.Tensor) => tf.step(t, 0.3),
    ]) {
      expectClose(...(await onBoth(() => op(tf.tensor1d(x)))), 1e-6);
    }
    for (const op of [tf.sqrt, tf.rsqrt, tf.log]) expectClose(...(await onBoth(() => op(tf.tensor1d(positive)))), 1e-6);
  });

  it.each([
    { shape: [4, 11, 30, 8], axis: [0, 1, 2] }, // bias gradient
    { shape: [4, 11, 30, 8], axis: [1, 2] }, // CBAM channel pooling
    { shape: [4, 11, 30, 8], axis: 3 }, // CBAM spatial pooling
    { shape: [2, 70_000], axis: 1 }, // long reduction, few outputs
    { shape: [70_000, 3], axis: 0 }, // long reduction over rows
    { shape: [5, 6], axis: [0, 1] },
    { shape: [5, 6], axis: null }, // every axis: the loss's mean over the batch
  ])("reductions %j", async ({ shape, axis }) => {
    const x = random(shape);
    const fallbacks = () => ["Sum", "Mean", "Max", "Min"].map((name) => kernelStats[name]?.fallback ?? 0);
    const before = fallbacks();
    for (const keepDims of [false, true]) {
      for (const op of [tf.sum, tf.mean, tf.max, tf.min]) {
        expectClose(...(await onBoth(() => op(tf.tensor(x, shape), axis ?? undefined, keepDims))), 1e-5);
      }
    }
    expect(fallbacks()).toEqual(before); // all native
  });

  it("batch normalisation (inference) and through a layer's training step", async () => {
    const shape = [3, 5, 9, 6];
    const x = random(shape);
    const [mean, variance, offset, scale] = [random([6]), random([6]).map((v) => v + 1.5), random([6]), random([6])];
    expectClose(
      ...(await onBoth(() =>
        tf.batchNorm(
          tf.tensor(x, shape),
          tf.tensor1d(mean),
          tf.tensor1d(variance),
          tf.tensor1d(offset),
          tf.tensor1d(scale),
          1e-3,
        ),
      )),
    );
    expectClose(
      ...(await onBoth(() => {
        const input = tf.tensor(x, shape);
        const { mean: m, variance: v } = tf.moments(input, [0, 1, 2]);
        const normalised = (t: tf.Tensor, o: tf.Tensor, sc: tf.Tensor) =>
          tf.sum(tf.square(tf.batchNorm(t, m, v, o, sc, 1e-3)));
        return tf.grads(normalised)([input, tf.tensor1d(offset), tf.tensor1d(scale)]);
      })),
    );
  });

  it.each([
    { shape: [3, 1, 4, 5], reps: [1, 6, 2, 1] },
    { shape: [1, 1, 1, 8], reps: [4, 11, 30, 1] }, // batch-norm gradient
    { shape: [7], reps: [3] },
  ])("tile %j", async ({ shape, reps }) => {
    const x = random(shape);
    expectClose(...(await onBoth(() => tf.tile(tf.tensor(x, shape), reps))), 1e-7);
  });

  it("local response normalisation", async () => {
    const shape: [number, number, number, number] = [2, 5, 6, 13];
    const x = random(shape);
    expectClose(...(await onBoth(() => tf.localResponseNormalization(tf.tensor4d(x, shape), 2, 1, 2e-5, 0.75))), 1e-6);
    expectClose(...(await onBoth(() => tf.localResponseNormalization(tf.tensor4d(x, shape), 3, 2, 0.5, 0.5))), 1e-6);
    const nativeBefore = kernelStats.LRNGrad?.native ?? 0;
    for (const [radius, bias, alpha, beta] of [
      [2, 1, 2e-5, 0.75],
      [3, 2, 0.5, 0.5],
      [20, 1, 0.1, 0.75], // a window wider than the channels
    ] as const) {
      const weights = tf.tensor4d(random(shape), shape);
      const loss = (t: tf.Tensor) =>
        tf.sum(tf.mul(tf.localResponseNormalization(t as tf.Tensor4D, radius, bias, alpha, beta), weights));
      expectClose(...(await onBoth(() => tf.grad(loss)(tf.tensor4d(x, shape)))), 1e-5);
      weights.dispose();
    }
    expect(kernelStats.LRNGrad?.native).toBe(nativeBefore + 3);
  });

  it("fused Adagrad takes the same steps as TensorFlow.js's Adagrad", async () => {
    const start = random([40, 30]);
    const target = random([40, 30]);
    const results: Float32Array[][] = [];
    for (const [backend, optimizer] of [
      ["cpu", tf.train.adagrad(0.05)],
      [ONEDNN_BACKEND, new FusedAdagradOptimizer(0.05)],
    ] as const) {
      await tf.setBackend(backend);
      const w = tf.variable(tf.tensor2d(start, [40, 30]));
      const t = tf.tensor2d(target, [40, 30]);
      for (let step = 0; step < 5; step++) optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, t))) as tf.Scalar);
      const accumulator = (await optimizer.getWeights())[1]?.tensor as tf.Tensor;
      results.push([w.dataSync() as Float32Array, accumulator.dataSync() as Float32Array]);
      expect(optimizer.iterations).toBe(5);
      tf.dispose([w, t]);
      optimizer.dispose();
    }
    expectClose(results[0] as Float32Array[], results[1] as Float32Array[], 1e-5);
    expect(FusedAdagradOptimizer.className).toBe("Adagrad");
  });

  it("fused Adagrad updates a large variable in place, never one whose contents were read out", async () => {
    const shape = [300, 256]; // above the pool's smallest buffer: pooled, so updatable in place
    const start = random(shape);
    const target = random(shape);
    const results: Float32Array[] = [];
    for (const [backend, optimizer] of [
      ["cpu", tf.train.adagrad(0.05)],
      [ONEDNN_BACKEND, new FusedAdagradOptimizer(0.05)],
    ] as const) {
      await tf.setBackend(backend);
      const w = tf.variable(tf.tensor(start, shape));
      const t = tf.tensor(target, shape);
      const step = () => optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, t))) as tf.Scalar);
      const buffer = () => (tf.backend() as MathBackendCPU).data.get(w.dataId).values;
      step(); // the variable's first buffer is not the pool's: a new one
      step();
      const updated = buffer();
      step();
      if (backend === ONEDNN_BACKEND) expect(buffer()).toBe(updated); // in place
      const readOut = w.dataSync() as Float32Array; // the caller holds the buffer itself now
      const copy = readOut.slice();
      step();
      expect(readOut).toEqual(copy); // so the next step did not write into it
      const shared = tf.reshape(w, [-1]); // a second tensor on the same buffer
      const before = buffer();
      step();
      if (backend === ONEDNN_BACKEND) expect(buffer()).not.toBe(before);
      results.push(w.dataSync() as Float32Array);
      tf.dispose([w, t, shared]);
      optimizer.dispose();
    }
    expectClose([results[0] as Float32Array], [results[1] as Float32Array], 1e-5);
  });

  it("batch normalisation in training: one native op equal to moments + batchNorm, gradients included", async () => {
    const shape = [4, 3, 50, 6];
    const x = random(shape).map((v, i) => v * (1 + (i % 6)) + (i % 6)); // per-channel offsets and scales
    const gamma = random([6]).map((v) => v + 1.5);
    const beta = random([6]);
    const loss = (y: tf.Tensor) => tf.sum(tf.mul(tf.square(y), tf.linspace(0, 1, y.size).reshape(y.shape)));
    await tf.setBackend("cpu");
    const want = tf.tidy(() => {
      const input = tf.tensor(x, shape);
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      const y = tf.batchNorm(input, mean, variance, tf.tensor1d(beta), tf.tensor1d(gamma), 1e-3);
      const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const m = tf.moments(a, [0, 1, 2]);
        return loss(tf.batchNorm(a, m.mean, m.variance, b, g, 1e-3));
      })([input, tf.tensor1d(gamma), tf.tensor1d(beta)]);
      return [y, mean, variance, ...grads].map((t) => t.dataSync() as Float32Array);
    });
    await tf.setBackend(ONEDNN_BACKEND);
    const got = tf.tidy(() => {
      const inputs = [tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta)] as const;
      const result = batchNormTraining(...inputs, 1e-3);
      if (!result) throw new Error("native batch norm unavailable");
      const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const r = batchNormTraining(a, g, b, 1e-3);
        return loss((r as { y: tf.Tensor }).y);
      })([...inputs]);
      return [result.y, result.mean, result.variance, ...grads].map((t) => t.dataSync() as Float32Array);
    });
    expectClose(want, got, 5e-4);
  });

  it.each([
    { x: [2, 11, 61, 1], filter: [3, 20, 1, 8], strides: 1, pad: "same", activation: "relu" },
    { x: [2, 11, 90, 1], filter: [3, 20, 1, 16], strides: 1, pad: "same", activation: "relu" }, // as row GEMMs
    { x: [3, 5, 40, 6], filter: [3, 20, 6, 4], strides: 1, pad: "same", activation: "relu" },
    { x: [2, 9, 11, 3], filter: [3, 3, 3, 5], strides: 2, pad: "valid", activation: "linear" },
  ] as const)("training convolution %j: value and gradients equal tf.fused.conv2d's", async (c) => {
    const x = random([...c.x]);
    const filter = random([...c.filter]);
    const bias = random([c.filter[3]]);
    const inputs = () => [tf.tensor(x, [...c.x]), tf.tensor(filter, [...c.filter]), tf.tensor1d(bias)];
    const weights = (y: tf.Tensor) => tf.linspace(-1, 1, y.size).reshape(y.shape);
    const reference = (a: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
      tf.fused.conv2d({
        x: a as tf.Tensor4D,
        filter: f as tf.Tensor4D,
        bias: b,
        strides: c.strides,
        pad: c.pad,
        activation: c.activation,
      });
    await tf.setBackend("cpu");
    const want = tf.tidy(() => {
      const [a, f, b] = inputs() as [tf.Tensor, tf.Tensor, tf.Tensor];
      const grads = tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) =>
        tf.sum(tf.mul(reference(p, q, r), weights(reference(p, q, r)))),
      )([a, f, b]);
      return [reference(a, f, b), ...grads].map((t) => t.dataSync() as Float32Array);
    });
    await tf.setBackend(ONEDNN_BACKEND);
    const ours = (a: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
      conv2dTraining(a as tf.Tensor4D, f as tf.Tensor4D, b as tf.Tensor1D, {
        strides: c.strides,
        pad: c.pad,
        activation: c.activation,
      }) as tf.Tensor;
    const got = tf.tidy(() => {
      const [a, f, b] = inputs() as [tf.Tensor, tf.Tensor, tf.Tensor];
      const grads = tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => {
        const y = ours(p, q, r);
        return tf.sum(tf.mul(y, weights(y)));
      })([a, f, b]);
      return [ours(a, f, b), ...grads].map((t) => t.dataSync() as Float32Array);
    });
    expectClose(want, got);
  });

  it.each([
    { shape: [4, 20096], sizes: [8000, 8000, 4096], axis: 1 }, // the fusion concat's gradient
    { shape: [3, 8, 8, 12], sizes: [2, 6, 2, 2], axis: 3 }, // Inception's
    { shape: [5, 7, 3], sizes: [3, 4], axis: -2 },
  ])("splitV %j", async ({ shape, sizes, axis }) => {
    const x = random(shape);
    const [want, got] = await onBoth(() => tf.split(tf.tensor(x, shape), sizes, axis));
    expectClose(want, got, 1e-7);
  });

  it("element-wise ops on float32 tensors stored in other typed arrays (a cast from bool)", async () => {
    const a = random([2, 1, 30, 1]);
    const b = random([2, 1, 30, 8]);
    expectClose(
      ...(await onBoth(() =>
        tf.mul(tf.tensor(a, [2, 1, 30, 1]), tf.cast(tf.greater(tf.tensor(b, [2, 1, 30, 8]), 0), "float32")),
      )),
    );
  });

  it("hands what it does not support to the pure-JS kernel and counts it", async () => {
    await tf.setBackend(ONEDNN_BACKEND);
    const before = kernelStats.FusedConv2D?.fallback ?? 0;
    const x = tf.randomNormal([1, 4, 4, 2]) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 2, 3]) as tf.Tensor4D;
    const y = tf.fused.conv2d({
      x,
      filter,
      strides: 1,
      pad: "same",
      activation: "prelu",
      preluActivationWeights: tf.scalar(0.1),
    });
    expect(y.shape).toEqual([1, 4, 4, 3]);
    expect(kernelStats.FusedConv2D?.fallback).toBe(before + 1);
    tf.dispose([x, filter, y]);
  });

  it("reuses the buffers of disposed tensors, but never one whose contents were read out", async () => {
    await tf.setBackend(ONEDNN_BACKEND);
    const n = 100_000;
    const a = tf.tensor1d(random([n]));
    const b = tf.tensor1d(random([n]));
    const sum = tf.add(a, b);
    const read = sum.dataSync(); // escapes: the caller may keep it
    const expected = Float32Array.from(read);
    sum.dispose();
    const hits = bufferPool.hits;
    const product = tf.mul(a, b); // same length: must not land in `read`
    expect(Array.from(read)).toEqual(Array.from(expected));
    product.dispose(); // never read: back to the pool
    const difference = tf.sub(a, b);
    expect(bufferPool.hits).toBe(hits + 1);
    const want = (await onBoth(() => tf.sub(tf.tensor1d(a.dataSync()), tf.tensor1d(b.dataSync()))))[0];
    expectClose(want, [difference.dataSync() as Float32Array]);
    tf.dispose([a, b, difference]);
  });

  it("never reuses a buffer that a pure-JS kernel's output still views (Slice returns a subarray)", async () => {
    await tf.setBackend(ONEDNN_BACKEND);
    const n = 100_000;
    const a = tf.tensor1d(random([n]));
    const sum = tf.add(a, a); // pooled buffer
    const view = tf.slice(sum, [10], [1000]); // a subarray of it
    const expected = Array.from(view.dataSync());
    sum.dispose();
    const other = tf.mul(a, a); // same length: must not land in the sliced buffer
    expect(Array.from(view.dataSync())).toEqual(expected);
    tf.dispose([a, view, other]);
  });

  it.each([
    // 3 × 5 rows × 7 FFT tiles of 45 pixels: the FFT; 3 × 5 × 2 tiles: too few for it, Winograd.
    { method: "fft", width: 300, counter: "fftCalls", perImage: 33 * (5 * 7 * 32 + 5 * 7 * 32) },
    { method: "winograd", width: 70, counter: "winogradCalls", perImage: 7 * (5 * 22 * 16 + 5 * 18 * 16) },
  ] as const)(
    "takes the $method path for wide kernels, in groups of images, and equals the direct convolution",
    async ({ method, width, counter, perImage }) => {
      const addon = (loaded as { addon: import("./addon.ts").NativeAddon }).addon;
      const initial = addon.wideConvolution();
      const shape = [3, 5, width, 16];
      const filterShape = [3, 20, 16, 16];
      const x = random(shape);
      const filter = random(filterShape);
      const bias = random([16]);
      const run = () =>
        tf.fused.conv2d({
          x: tf.tensor4d(x, shape as [number, number, number, number]),
          filter: tf.tensor4d(filter, filterShape as [number, number, number, number]),
          strides: 1,
          pad: "same",
          bias: tf.tensor1d(bias),
          activation: "relu",
        });
      try {
        // One group; two images a group (perImage floats each in the transform domain), so a group of
        // 2 and a last one of 1 (a primitive of its own); one image a group.
        for (const groupBytes of [initial.groupBytes, 2 * perImage * 4, 1]) {
          addon.wideConvolution({ method, groupBytes });
          const before = addon.wideConvolution()[counter];
          const [want, got] = await onBoth(run);
          expect(addon.wideConvolution()[counter]).toBe(before + 1);
          expectClose(want, got);
        }
        addon.wideConvolution({ method: "direct", groupBytes: initial.groupBytes });
        const before = addon.wideConvolution();
        const [want, direct] = await onBoth(run);
        expect(addon.wideConvolution()).toEqual(before);
        expectClose(want, direct);
      } finally {
        addon.wideConvolution(initial);
      }
    },
  );

  it("runs every wide-kernel shape above by Winograd too", async () => {
    const addon = (loaded as { addon: import("./addon.ts").NativeAddon }).addon;
    const initial = addon.wideConvolution();
    try {
      addon.wideConvolution({ method: "winograd" });
      for (const c of CONVOLUTIONS.filter((c) => c.filter[1] >= 8 && c.filter[2] >= 16 && c.filter[3] >= 16)) {
        const x = random(c.x);
        const filter = random(c.filter);
        const before = addon.wideConvolution().winogradCalls;
        expectClose(...(await onBoth(() => tf.conv2d(tf.tensor4d(x, c.x), tf.tensor4d(filter, c.filter), 1, c.pad))));
        expect(addon.wideConvolution().winogradCalls).toBe(before + 1);
      }
    } finally {
      addon.wideConvolution(initial);
    }
  });

  it.each([
    { name: "wide kernel by Winograd", x: [2, 5, 40, 16], filter: [3, 20, 16, 16] },
    { name: "wide kernel by FFT", x: [2, 5, 300, 16], filter: [3, 20, 16, 16] },
    { name: "oneDNN primitive, weights reordered", x: [1, 8, 8, 16], filter: [3, 3, 16, 32] },
  ])("convolution ($name): weights changed in place are used, not a cached copy of the old ones", async (c) => {
    await tf.setBackend(ONEDNN_BACKEND);
    const x = tf.tensor4d(random(c.x), c.x as [number, number, number, number]);
    const w = tf.tensor4d(random(c.filter), c.filter as [number, number, number, number]);
    tf.conv2d(x, w, 1, "same").dispose(); // prepares (and caches) the weights
    const first = tf.conv2d(x, w, 1, "same");
    const before = first.dataSync().slice();
    // As the in-place Adagrad does: the same buffer, new values.
    const values = (tf.backend() as MathBackendCPU).data.get(w.dataId).values as Float32Array;
    values.set(random(c.filter));
    const after = tf.conv2d(x, w, 1, "same");
    const [want] = await onBoth(() =>
      tf.conv2d(tf.tensor4d(x.dataSync(), x.shape), tf.tensor4d(values, w.shape), 1, "same"),
    );
    await tf.setBackend(ONEDNN_BACKEND);
    expectClose(want, [after.dataSync() as Float32Array]);
    expect(Array.from(after.dataSync().slice(0, 8))).not.toEqual(Array.from(before.slice(0, 8)));
    tf.dispose([x, w, first, after]);
  });

  it("leaks no tensors", async () => {
    await tf.setBackend(ONEDNN_BACKEND);
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([2, 11, 40, 1]);
    const w = tf.randomNormal([3, 20, 1, 4]);
    tf.tidy(() => {
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same")))([
        x,
        w,
      ]);
    });
    tf.dispose([x, w]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
