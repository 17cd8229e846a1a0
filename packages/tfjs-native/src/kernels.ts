// TensorFlow.js kernels backed by the oneDNN addon. Each one handles the float32 NHWC cases the
// addon supports and hands anything else (other layouts, dtypes, PReLU, dilated pooling, shapes
// oneDNN refuses) to the pure-JS CPU kernel of the same name, counting the fallback.

import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  Abs,
  Add,
  BatchMatMul,
  type BatchMatMulAttrs,
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  Equal,
  Exp,
  Floor,
  FusedBatchNorm,
  type FusedBatchNormAttrs,
  FusedConv2D,
  type FusedConv2DAttrs,
  getKernel,
  type KernelFunc,
  Log,
  LRN,
  type LRNAttrs,
  LRNGrad,
  type LRNGradAttrs,
  Max,
  Maximum,
  MaxPool,
  type MaxPoolAttrs,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  Mean,
  Min,
  Minimum,
  Multiply,
  type NamedAttrMap,
  Neg,
  RealDiv,
  Relu,
  Rsqrt,
  Sigmoid,
  SplitV,
  type SplitVAttrs,
  Sqrt,
  Square,
  SquaredDifference,
  Step,
  type StepAttrs,
  Sub,
  Sum,
  type SumAttrs,
  type TensorInfo,
  Tile,
  type TileAttrs,
  util,
} from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeAddon } from "./addon.ts";
import type { BufferPool } from "./pool.ts";

type KernelArgs = { inputs: Record<string, TensorInfo | undefined>; backend: MathBackendCPU; attrs?: NamedAttrMap };
type NativeKernel = (args: KernelArgs, addon: NativeAddon) => TensorInfo | TensorInfo[] | null;

/** How often each kernel ran natively and how often it fell back to pure JS (and why, last time). */
export const kernelStats: Record<string, { native: number; fallback: number; lastFallback?: string }> = {};

const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5 };

function values(backend: MathBackendCPU, tensor: TensorInfo): Float32Array {
  const stored = backend.data.get(tensor.dataId).values;
  // Some JS kernels (a cast from bool, say) leave float32 tensors backed by another typed array.
  return stored instanceof Float32Array ? stored : Float32Array.from(stored as ArrayLike<number>);
}

function allFloat32(...tensors: (TensorInfo | undefined)[]): boolean {
  return tensors.every((t) => t === undefined || t.dtype === "float32");
}

export function convParams(info: backend_util.Conv2DInfo): Int32Array {
  const { padInfo } = info;
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    padInfo.top,
    padInfo.left,
    padInfo.bottom,
    padInfo.right,
  ]);
}

export function poolParams(info: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ]);
}

/** A float32 buffer from the backend's pool (contents undefined: every kernel overwrites all of it). */
export function allocate(backend: MathBackendCPU, length: number): Float32Array {
  const pool = (backend as MathBackendCPU & { pool?: BufferPool }).pool;
  return pool ? pool.take(length) : new Float32Array(length);
}

/** Allocates an output; it becomes a tensor only once the addon has filled it (no leak on errors). */
function output(backend: MathBackendCPU, shape: number[]): { data: Float32Array; info: () => TensorInfo } {
  const data = allocate(backend, util.sizeFromShape(shape));
  return { data, info: () => backend.makeTensorInfo(shape, "float32", data) };
}

type Shape4 = [number, number, number, number];

/** TensorFlow.js's convolution geometry for NHWC input (padding, output shape) from kernel attributes. */
export function nhwcConvInfo(
  xShape: number[],
  filterShape: number[],
  a: { strides: Conv2DAttrs["strides"]; pad: Conv2DAttrs["pad"]; dimRoundingMode?: Conv2DAttrs["dimRoundingMode"] },
  dilations: Conv2DAttrs["dilations"] = 1,
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    a.strides,
    dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast",
  );
}

function convolution({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x, filter, bias, preluActivationWeights } = inputs;
  const a = attrs as unknown as FusedConv2DAttrs & Conv2DAttrs;
  const activation = ACTIVATIONS[a.activation ?? "linear"];
  if (!x || !filter || a.dataFormat === "NCHW" || activation === undefined || preluActivationWeights) return null;
  if (!allFloat32(x, filter, bias)) return null;
  const info = nhwcConvInfo(x.shape, filter.shape, a, a.dilations);
  if (bias && util.sizeFromShape(bias.shape) !== info.outChannels) return null;
  const y = output(backend, info.outShape);
  addon.conv2dForward(
    values(backend, x),
    values(backend, filter),
    bias ? values(backend, bias) : null,
    y.data,
    convParams(info),
    activation,
    a.leakyreluAlpha ?? 0.2,
  );
  return y.info();
}

function convBackpropInput({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { dy, filter } = inputs;
  const a = attrs as unknown as Conv2DBackpropInputAttrs;
  if (!dy || !filter || a.dataFormat === "NCHW" || !allFloat32(dy, filter)) return null;
  const info = nhwcConvInfo(a.inputShape, filter.shape, a);
  const dx = output(backend, info.inShape);
  addon.conv2dBackwardData(values(backend, dy), values(backend, filter), dx.data, convParams(info));
  return dx.info();
}

function convBackpropFilter({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x, dy } = inputs;
  const a = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (!x || !dy || a.dataFormat === "NCHW" || !allFloat32(x, dy)) return null;
  const info = nhwcConvInfo(x.shape, a.filterShape, a);
  const dw = output(backend, info.filterShape);
  addon.conv2dBackwardFilter(values(backend, x), values(backend, dy), dw.data, convParams(info));
  return dw.info();
}

function matMul({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { a, b, bias, preluActivationWeights } = inputs;
  const at = attrs as unknown as _FusedMatMulAttrs & BatchMatMulAttrs;
  const activation = ACTIVATIONS[at.activation ?? "linear"];
  if (!a || !b || activation === undefined || preluActivationWeights || !allFloat32(a, b, bias)) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  // Same batch dimensions, or one side without any: other broadcasts stay with the JS kernel.
  const outer = batchA === 1 ? outerB : outerA;
  if (!(util.arraysEqual(outerA, outerB) || batchA === 1 || batchB === 1)) return null;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const M = at.transposeA ? aCols : aRows;
  const K = at.transposeA ? aRows : aCols;
  const N = at.transposeB ? bRows : bCols;
  if ((at.transposeB ? bCols : bRows) !== K) return null;
  if (bias && util.sizeFromShape(bias.shape) !== N) return null;
  const c = output(backend, [...outer, M, N]);
  addon.matmul(
    values(backend, a),
    values(backend, b),
    c.data,
    Int32Array.from([batchA, batchB, M, N, K, at.transposeA ? 1 : 0, at.transposeB ? 1 : 0]),
    bias ? values(backend, bias) : null,
    activation,
    at.leakyreluAlpha ?? 0.2,
  );
  return c.info();
}

function poolInfo(shape: number[], attrs: MaxPoolAttrs | MaxPoolGradAttrs): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(
    shape as Shape4,
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

function maxPool({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x } = inputs;
  if (!x || !allFloat32(x) || x.shape.length !== 4) return null;
  const info = poolInfo(x.shape, attrs as unknown as MaxPoolAttrs);
  const y = output(backend, info.outShape);
  addon.maxPool(values(backend, x), y.data, poolParams(info));
  return y.info();
}

function maxPoolGrad({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { dy, input } = inputs;
  if (!dy || !input || !allFloat32(dy, input) || input.shape.length !== 4) return null;
  const info = poolInfo(input.shape, attrs as unknown as MaxPoolGradAttrs);
  const dx = output(backend, input.shape);
  addon.maxPoolGrad(values(backend, dy), values(backend, input), dx.data, poolParams(info));
  return dx.info();
}

function shapeArray(shape: number[]): Int32Array {
  return Int32Array.from(shape);
}

/**
 * a OP b with NumPy broadcasting into the output `allocate` makes for the broadcast shape (float32
 * inputs only; null sends the call to the JS kernel).
 */
function broadcastBinary(
  op: number,
  { inputs, backend }: KernelArgs,
  addon: NativeAddon,
  allocate: (shape: number[]) => { data: Float32Array | Uint8Array; info: () => TensorInfo },
): TensorInfo | null {
  const { a, b } = inputs;
  if (!a || !b || !allFloat32(a, b) || a.dtype !== "float32") return null;
  const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  if (util.sizeFromShape(shape) === 0) return null;
  const out = allocate(shape);
  addon.binary(
    op,
    values(backend, a),
    shapeArray(a.shape),
    values(backend, b),
    shapeArray(b.shape),
    out.data,
    shapeArray(shape),
  );
  return out.info();
}

function binary(op: number): NativeKernel {
  return (args, addon) => broadcastBinary(op, args, addon, (shape) => output(args.backend, shape));
}

/** a == b with broadcasting into a bool tensor (CBAM's max pooling gradient compares x with its maximum). */
function equal(args: KernelArgs, addon: NativeAddon): TensorInfo | null {
  return broadcastBinary(BINARY.equal, args, addon, (shape) => {
    const data = new Uint8Array(util.sizeFromShape(shape));
    return { data, info: () => args.backend.makeTensorInfo(shape, "bool", data) };
  });
}

function unary(op: number): NativeKernel {
  return ({ inputs, backend, attrs }, addon) => {
    const { x } = inputs;
    if (x?.dtype !== "float32") return null;
    const out = output(backend, x.shape);
    addon.unary(op, values(backend, x), out.data, (attrs as unknown as StepAttrs | undefined)?.alpha ?? 0);
    return out.info();
  };
}

/** Sum, Mean, Max and Min over one run of adjacent axes; others go to the JS kernel. */
function reduction(op: number): NativeKernel {
  return ({ inputs, backend, attrs }, addon) => {
    const { x } = inputs;
    if (x?.dtype !== "float32" || util.sizeFromShape(x.shape) === 0) return null;
    // Sum and Mean name their axes `axis`, Max and Min `reductionIndices`.
    const { axis, reductionIndices, keepDims } = attrs as unknown as SumAttrs & { reductionIndices?: number[] };
    // No axis (null, as the loss's mean over the batch passes it) reduces over every axis.
    // (parseAxisParam takes null at run time, though its type does not say so.)
    const spec = (axis ?? reductionIndices ?? null) as number[];
    const axes = [...new Set(util.parseAxisParam(spec, x.shape))].sort((p, q) => p - q);
    const first = axes[0];
    const last = axes[axes.length - 1];
    if (first === undefined || last === undefined || last - first !== axes.length - 1) return null;
    const size = (from: number, to: number) => util.sizeFromShape(x.shape.slice(from, to));
    const params = Int32Array.from([size(0, first), size(first, last + 1), size(last + 1, x.shape.length)]);
    const shape = keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    const out = output(backend, shape);
    addon.reduce(op, values(backend, x), out.data, params);
    return out.info();
  };
}

function batchNorm({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x, mean, variance, offset, scale } = inputs;
  if (!x || !mean || !variance || !allFloat32(x, mean, variance, offset, scale)) return null;
  const channels = x.shape[x.shape.length - 1] ?? 1;
  const fits = (t?: TensorInfo) => !t || [1, channels].includes(util.sizeFromShape(t.shape));
  if (![mean, variance, offset, scale].every(fits) || util.sizeFromShape(x.shape) === 0) return null;
  const out = output(backend, x.shape);
  addon.batchNorm(
    values(backend, x),
    values(backend, mean),
    values(backend, variance),
    offset ? values(backend, offset) : null,
    scale ? values(backend, scale) : null,
    out.data,
    channels,
    (attrs as unknown as FusedBatchNormAttrs).varianceEpsilon ?? 0.001,
  );
  return out.info();
}

function tile({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x } = inputs;
  const { reps } = attrs as unknown as TileAttrs;
  if (x?.dtype !== "float32" || x.shape.length === 0 || reps.length !== x.shape.length) return null;
  const shape = x.shape.map((d, i) => d * (reps[i] as number));
  if (util.sizeFromShape(shape) === 0) return null;
  const out = output(backend, shape);
  addon.tile(values(backend, x), shapeArray(x.shape), out.data, shapeArray(reps));
  return out.info();
}

function lrn({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x } = inputs;
  const a = attrs as unknown as LRNAttrs;
  if (x?.dtype !== "float32" || x.shape.length !== 4 || util.sizeFromShape(x.shape) === 0) return null;
  const out = output(backend, x.shape);
  addon.lrn(values(backend, x), out.data, x.shape[3] as number, a.depthRadius, a.bias, a.alpha, a.beta);
  return out.info();
}

function lrnGrad({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x, y, dy } = inputs;
  const a = attrs as unknown as LRNGradAttrs;
  if (!x || !y || !dy || !allFloat32(x, y, dy) || x.shape.length !== 4 || util.sizeFromShape(x.shape) === 0)
    return null;
  const out = output(backend, x.shape);
  addon.lrnGrad(
    values(backend, x),
    values(backend, y),
    values(backend, dy),
    out.data,
    x.shape[3] as number,
    a.depthRadius,
    a.bias,
    a.alpha,
    a.beta,
  );
  return out.info();
}

/** SplitV along any axis as contiguous copies (TensorFlow.js's JS slices index every element). */
function splitV({ inputs, backend, attrs }: KernelArgs): TensorInfo[] | null {
  const { x } = inputs;
  if (x?.dtype !== "float32") return null;
  const { numOrSizeSplits, axis } = attrs as unknown as SplitVAttrs;
  const $axis = util.parseAxisParam(axis, x.shape)[0] as number;
  const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, $axis);
  const outer = util.sizeFromShape(x.shape.slice(0, $axis));
  const inner = util.sizeFromShape(x.shape.slice($axis + 1));
  const extent = x.shape[$axis] as number;
  const source = values(backend, x);
  let begin = 0;
  return sizes.map((size) => {
    const shape = x.shape.map((d, i) => (i === $axis ? size : d));
    const out = output(backend, shape);
    const run = size * inner;
    for (let o = 0; o < outer; o++) {
      const from = (o * extent + begin) * inner;
      out.data.set(source.subarray(from, from + run), o * run);
    }
    begin += size;
    return out.info();
  });
}

/** Op codes shared with addon.cc. */
export const BINARY = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  squaredDifference: 6,
  reluGrad: 7,
  equal: 8,
};
const UNARY = { sqrt: 0, square: 1, relu: 2, step: 3, neg: 4, exp: 5, sigmoid: 6, rsqrt: 7, abs: 8, log: 9, floor: 10 };
export const REDUCE = { sum: 0, mean: 1, max: 2, min: 3 };

/** The kernels this package replaces, by TensorFlow.js kernel name. */
export const NATIVE_KERNELS: Record<string, NativeKernel> = {
  [Conv2D]: convolution,
  [FusedConv2D]: convolution,
  [Conv2DBackpropInput]: convBackpropInput,
  [Conv2DBackpropFilter]: convBackpropFilter,
  [BatchMatMul]: matMul,
  [_FusedMatMul]: matMul,
  [MaxPool]: maxPool,
  [MaxPoolGrad]: maxPoolGrad,
  [Add]: binary(BINARY.add),
  [Sub]: binary(BINARY.sub),
  [Multiply]: binary(BINARY.mul),
  [RealDiv]: binary(BINARY.div),
  [Maximum]: binary(BINARY.maximum),
  [Minimum]: binary(BINARY.minimum),
  [SquaredDifference]: binary(BINARY.squaredDifference),
  [Sqrt]: unary(UNARY.sqrt),
  [Square]: unary(UNARY.square),
  [Relu]: unary(UNARY.relu),
  [Step]: unary(UNARY.step),
  [Neg]: unary(UNARY.neg),
  [Exp]: unary(UNARY.exp),
  [Sigmoid]: unary(UNARY.sigmoid),
  [Rsqrt]: unary(UNARY.rsqrt),
  [Abs]: unary(UNARY.abs),
  [Log]: unary(UNARY.log),
  [Floor]: unary(UNARY.floor),
  [Sum]: reduction(REDUCE.sum),
  [Mean]: reduction(REDUCE.mean),
  [Max]: reduction(REDUCE.max),
  [Min]: reduction(REDUCE.min),
  [FusedBatchNorm]: batchNorm,
  [Tile]: tile,
  [LRN]: lrn,
  [LRNGrad]: lrnGrad,
  [Equal]: equal,
  [SplitV]: splitV,
};

/** Wraps a native kernel so that it falls back to the pure-JS CPU kernel of the same name. */
export function withFallback(kernelName: string, native: NativeKernel, addon: NativeAddon): KernelFunc {
  const stats = kernelStats[kernelName] ?? { native: 0, fallback: 0 };
  kernelStats[kernelName] = stats;
  const pureJs = getKernel(kernelName, "cpu").kernelFunc;
  return (args) => {
    let result: TensorInfo | TensorInfo[] | null = null;
    let reason = "unsupported attributes, dtype or layout";
    try {
      result = native(args as unknown as KernelArgs, addon);
    } catch (error) {
      reason = (error as Error).message;
    }
    if (result) {
      stats.native++;
      return result;
    }
    stats.fallback++;
    stats.lastFallback = reason;
    return pureJs(args);
  };
}
