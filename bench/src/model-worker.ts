// One measurement per process (so that peak RSS belongs to it): TensorFlow.js inference or
// training on the backend `selectBackend` picks, or onnxruntime-node inference of an ONNX file.
// Argument: a JSON WorkerTask; prints one JSON line.
import { availableParallelism } from "node:os";
import { median } from "@macnet/core";
import { ARCHITECTURE_INPUTS, type Architecture, buildModel, inputShapes, resolveConfig } from "@macnet/model";
import { adagrad, bufferPool, kernelStats, loadAddon, selectBackend } from "@macnet/tfjs-native";
import * as tf from "@tensorflow/tfjs";

export type WorkerTask =
  | {
      engine: "tfjs";
      mode: "infer" | "train";
      arch: Architecture;
      compact: boolean;
      batch: number;
      repeats: number;
      /** Also report the milliseconds spent per kernel over the timed repetitions. */
      profile?: boolean;
    }
  | { engine: "onnxruntime"; arch: Architecture; compact: boolean; batch: number; repeats: number; onnx: string };

export interface WorkerResult {
  engine: string;
  batch: number;
  /** Median seconds per forward pass (infer) or per training step (train). */
  seconds: number;
  samplesPerS: number;
  msPerSample: number;
  peakRssMB: number;
  parameters?: number;
  fallbacks?: Record<string, number>;
  /** Kernel → [total ms over the timed repetitions, calls], slowest first (with `profile`). */
  kernels?: Record<string, [number, number]>;
  /**
   * Native addon function → [total ms, calls] over the timed repetitions (with `profile`): includes
   * the training ops (convolution, batch norm, Adagrad) that run outside registered kernels, and the
   * native part of the kernels above.
   */
  native?: Record<string, [number, number]>;
  /** Per timed step (with `profile`): ms in registered kernels, ms in native calls outside any kernel, the rest (JS, GC). */
  split?: { kernelsMs: number; nativeOutsideKernelsMs: number; otherMs: number };
  pool?: { hits: number; misses: number; pooledMB: number };
}

const kernelTimes = new Map<string, [number, number]>();
const nativeTimes = new Map<string, [number, number]>();
/** Depth of registered kernels running (kernels may call kernels), and native ms spent outside them. */
let kernelDepth = 0;
let nativeOutsideKernelsMs = 0;

function accumulate(times: Map<string, [number, number]>, name: string, ms: number): void {
  const entry = times.get(name) ?? [0, 0];
  entry[0] += ms;
  entry[1]++;
  times.set(name, entry);
}

/** Wraps every kernel of the active backend, and every function of the native addon, to accumulate their wall time. */
function instrumentKernels(): void {
  for (const config of tf.getKernelsForBackend(tf.getBackend())) {
    const run = config.kernelFunc;
    (config as { kernelFunc: typeof run }).kernelFunc = (args) => {
      const start = performance.now();
      kernelDepth++;
      try {
        return run(args);
      } finally {
        kernelDepth--;
        if (kernelDepth === 0) accumulate(kernelTimes, config.kernelName, performance.now() - start);
      }
    };
  }
  const loaded = loadAddon();
  if (!("addon" in loaded)) return;
  const addon = loaded.addon as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, fn] of Object.entries(addon)) {
    if (typeof fn !== "function" || name === "info" || name === "setThreads") continue;
    addon[name] = (...args: unknown[]) => {
      const start = performance.now();
      const result = fn(...args);
      const ms = performance.now() - start;
      accumulate(nativeTimes, name, ms);
      if (kernelDepth === 0) nativeOutsideKernelsMs += ms;
      return result;
    };
  }
}

const sorted = (times: Map<string, [number, number]>) =>
  Object.fromEntries(
    [...times.entries()]
      .sort((a, b) => b[1][0] - a[1][0])
      .map(([name, [ms, calls]]) => [name, [Math.round(ms), calls] as [number, number]]),
  );

function randomData(size: number): Float32Array {
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.random() * 2 - 1;
  return data;
}

/** Times `run` after `warmup` untimed calls; returns the median seconds. */
async function time(run: () => Promise<void>, warmup: number, repeats: number): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < warmup + repeats; i++) {
    if (i === warmup) {
      kernelTimes.clear();
      nativeTimes.clear();
      nativeOutsideKernelsMs = 0;
    }
    const start = performance.now();
    await run();
    if (i >= warmup) seconds.push((performance.now() - start) / 1000);
  }
  return median(seconds);
}

function summary(engine: string, batch: number, seconds: number, extra: Partial<WorkerResult> = {}): WorkerResult {
  return {
    engine,
    batch,
    seconds: Number(seconds.toFixed(4)),
    samplesPerS: Number((batch / seconds).toFixed(3)),
    msPerSample: Number(((seconds * 1000) / batch).toFixed(2)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...extra,
  };
}

async function runTfjs(task: Extract<WorkerTask, { engine: "tfjs" }>): Promise<WorkerResult> {
  const selection = await selectBackend();
  if (task.profile) instrumentKernels();
  const config = resolveConfig(task.compact ? "compact" : "full");
  const model = buildModel(task.arch, config);
  const shapes = inputShapes(task.arch, config);
  const xs = ARCHITECTURE_INPUTS[task.arch].map((name) => {
    const shape = [task.batch, ...shapes[name]];
    return tf.tensor(randomData(shape.reduce((a, b) => a * b, 1)), shape);
  });
  let seconds: number;
  if (task.mode === "infer") {
    seconds = await time(
      async () => {
        const out = model.predict(xs) as tf.Tensor;
        await out.data();
        out.dispose();
      },
      2,
      task.repeats,
    );
  } else {
    model.compile({ optimizer: adagrad(0.001), loss: "categoricalCrossentropy" });
    const labels = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: task.batch }, (_, i) => i % 3),
        "int32",
      ),
      3,
    );
    seconds = await time(
      async () => {
        await model.trainOnBatch(xs, labels);
      },
      1,
      task.repeats,
    );
  }
  const fallbacks = Object.fromEntries(
    Object.entries(kernelStats)
      .filter(([, s]) => s.fallback > 0)
      .map(([k, s]) => [k, s.fallback]),
  );
  let profile: Pick<WorkerResult, "kernels" | "native" | "split"> = {};
  if (task.profile) {
    const perStep = (ms: number) => Math.round(ms / task.repeats);
    const kernelsMs = [...kernelTimes.values()].reduce((sum, [ms]) => sum + ms, 0);
    profile = {
      kernels: sorted(kernelTimes),
      native: sorted(nativeTimes),
      split: {
        kernelsMs: perStep(kernelsMs),
        nativeOutsideKernelsMs: perStep(nativeOutsideKernelsMs),
        otherMs: Math.round(seconds * 1000 - perStep(kernelsMs + nativeOutsideKernelsMs)),
      },
    };
  }
  const pool = { hits: bufferPool.hits, misses: bufferPool.misses, pooledMB: Math.round(bufferPool.bytes / 2 ** 20) };
  return summary(`tfjs ${selection.description}`, task.batch, seconds, {
    parameters: model.countParams(),
    fallbacks,
    ...profile,
    pool,
  });
}

async function runOnnx(task: Extract<WorkerTask, { engine: "onnxruntime" }>): Promise<WorkerResult> {
  const ort = await import("onnxruntime-node");
  const session = await ort.InferenceSession.create(task.onnx, {
    intraOpNumThreads: availableParallelism(),
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  const config = resolveConfig(task.compact ? "compact" : "full");
  const shapes = inputShapes(task.arch, config);
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const name of ARCHITECTURE_INPUTS[task.arch]) {
    const [h, w, c] = shapes[name] as [number, number, number];
    const shape = [task.batch, c, h, w]; // NCHW, as exported from PyTorch
    feeds[name] = new ort.Tensor("float32", randomData(shape.reduce((a, b) => a * b, 1)), shape);
  }
  const seconds = await time(
    async () => {
      await session.run(feeds);
    },
    2,
    task.repeats,
  );
  return summary(`onnxruntime-node ${ort.env.versions.common}`, task.batch, seconds);
}

const task = JSON.parse(process.argv[2] ?? "{}") as WorkerTask;
const result = task.engine === "tfjs" ? await runTfjs(task) : await runOnnx(task);
process.stdout.write(`${JSON.stringify(result)}\n`);
