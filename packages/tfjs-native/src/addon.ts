import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyThreadDefaults } from "./threads.ts";

/** The N-API addon's functions (src/native/addon.cc). All are synchronous and write into `out`. */
export interface NativeAddon {
  conv2dForward(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    params: Int32Array,
    activation: number,
    alpha: number,
  ): void;
  conv2dBackwardData(dy: Float32Array, filter: Float32Array, dx: Float32Array, params: Int32Array): void;
  conv2dBackwardFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, params: Int32Array): void;
  matmul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    params: Int32Array,
    bias: Float32Array | null,
    activation: number,
    alpha: number,
  ): void;
  maxPool(x: Float32Array, y: Float32Array, params: Int32Array): void;
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, params: Int32Array): void;
  /** Max pooling that records each output's window offset of its maximum (255: none). */
  maxPoolArgmax(x: Float32Array, y: Float32Array, where: Uint8Array, params: Int32Array): void;
  maxPoolArgmaxGrad(dy: Float32Array, where: Uint8Array, dx: Float32Array, params: Int32Array): void;
  /** Dropout with the addon's counter-based generator (seed as two 32-bit halves); kept: 1 or 0. */
  dropout(x: Float32Array, y: Float32Array, kept: Uint8Array, rate: number, seedHigh: number, seedLow: number): void;
  dropoutGrad(dy: Float32Array, kept: Uint8Array, dx: Float32Array, rate: number): void;
  /** Element-wise a OP b with NumPy broadcasting (shapes given); ops in BINARY (`equal` writes a Uint8Array). */
  binary(
    op: number,
    a: Float32Array,
    aShape: Int32Array,
    b: Float32Array,
    bShape: Int32Array,
    out: Float32Array | Uint8Array,
    outShape: Int32Array,
  ): void;
  unary(op: number, x: Float32Array, y: Float32Array, alpha: number): void;
  /** x viewed as [outer, reduce, inner] reduced over the middle axis into [outer, inner]. */
  reduce(op: number, x: Float32Array, y: Float32Array, params: Int32Array): void;
  batchNorm(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    offset: Float32Array | null,
    scale: Float32Array | null,
    y: Float32Array,
    channels: number,
    epsilon: number,
  ): void;
  tile(x: Float32Array, xShape: Int32Array, y: Float32Array, reps: Int32Array): void;
  /** Fused Adagrad step; the new buffers may be the value and accumulator themselves (in place). */
  adagrad(
    value: Float32Array,
    accumulator: Float32Array,
    gradient: Float32Array,
    newValue: Float32Array,
    newAccumulator: Float32Array,
    learningRate: number,
    epsilon: number,
  ): void;
  lrn(
    x: Float32Array,
    y: Float32Array,
    channels: number,
    depthRadius: number,
    bias: number,
    alpha: number,
    beta: number,
  ): void;
  lrnGrad(
    x: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    channels: number,
    depthRadius: number,
    bias: number,
    alpha: number,
    beta: number,
  ): void;
  batchNormTrain(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    channels: number,
    epsilon: number,
  ): void;
  batchNormTrainGrad(
    x: Float32Array,
    dy: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    channels: number,
    epsilon: number,
  ): void;
  /** madvise(MADV_HUGEPAGE) over the buffer's pages, before its first write; false where not taken. */
  adviseHugePages(buffer: Float32Array): boolean;
  /** Bytes from the start of the buffer's memory to the next 64-byte boundary. */
  alignmentOffset(buffer: ArrayBuffer): number;
  info(): { onednn: string; threads: number };
  setThreads(threads: number): void;
  /**
   * How wide-kernel convolutions run (docs/native-kernels.md): applies the given settings, returns
   * them with the number of convolutions that took each transform so far.
   */
  wideConvolution(options?: { method?: WideMethod; groupBytes?: number }): WideConvolutionState;
}

export type WideMethod = "fft" | "winograd" | "direct";
export type WideConvolutionState = {
  method: WideMethod;
  groupBytes: number;
  fftCalls: number;
  winogradCalls: number;
};

/** Where node-gyp puts the addon; `MACNET_TFJS_NATIVE_ADDON` points elsewhere (tests of the fallback). */
export const ADDON_PATH =
  process.env.MACNET_TFJS_NATIVE_ADDON ??
  join(dirname(fileURLToPath(import.meta.url)), "../build/Release/tfjs_native.node");

let loaded: { addon: NativeAddon } | { error: string } | undefined;

/** Loads the addon once; says why when it cannot (not built, oneDNN missing at run time). */
export function loadAddon(): { addon: NativeAddon } | { error: string } {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) {
    loaded = {
      error: "the addon is not built (install libdnnl-dev, then run `npm run build:native -w @macnet/tfjs-native`)",
    };
    return loaded;
  }
  // oneDNN runs its kernels on libgomp, whose idle threads spin before they sleep. Spinning takes the
  // core from Node's own thread between kernels, and from every other process: a compact epoch took
  // 9.9 s alone and 38–41 s beside a second training with the default, 6.1 s and 8.2–8.6 s with
  // passive waiting (docs/native-kernels.md). libgomp reads this when it is loaded, with the addon;
  // a value set by the user is kept.
  process.env.OMP_WAIT_POLICY ??= "PASSIVE";
  // One thread per physical core, pinned from 8 cores up, unless the user chose (threads.ts).
  applyThreadDefaults();
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    // MACNET_WIDE_CONV=winograd|direct: wide-kernel convolutions by Winograd F(4, 4) or directly
    // instead of by FFT (A/B timings, a suspected error).
    const wide = process.env.MACNET_WIDE_CONV;
    if (wide === "fft" || wide === "winograd" || wide === "direct") addon.wideConvolution({ method: wide });
    else if (wide) console.warn(`MACNET_WIDE_CONV=${wide} ignored: expected fft, winograd or direct`);
    loaded = { addon };
  } catch (error) {
    loaded = { error: `the addon does not load: ${(error as Error).message.split("\n")[0]}` };
  }
  return loaded;
}
