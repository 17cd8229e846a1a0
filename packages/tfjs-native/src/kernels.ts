// TensorFlow.js kernels backed by the oneDNN addon. Each one handles the float32 NHWC cases the
// addon supports and hands anything else (other layouts, dtypes, PReLU, dilated pooling, shapes
// oneDNN refuses) to the pure-JS CPU kernel of the same name, counting the fallback.

import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  BatchMatMul,
  type BatchMatMulAttrs,
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  FusedConv2D,
  type FusedConv2DAttrs,
  getKernel,
  type KernelFunc,
  MaxPool,
  type MaxPoolAttrs,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type NamedAttrMap,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeAddon } from "./addon.ts";

type KernelArgs = { inputs: Record<string, TensorInfo | undefined>; backend: MathBackendCPU; attrs?: NamedAttrMap };
type NativeKernel = (args: KernelArgs, addon: NativeAddon) => TensorInfo | null;

/** How often each kernel ran natively and how often it fell back to pure JS (and why, last time). */
export const kernelStats: Record<string, { native: number; fallback: number; lastFallback?: string }> = {};

const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5 };

function values(backend: MathBackendCPU, tensor: TensorInfo): Float32Array {
  return backend.data.get(tensor.dataId).values as Float32Array;
}

function allFloat32(...tensors: (TensorInfo | undefined)[]): boolean {
  return tensors.every((t) => t === undefined || t.dtype === "float32");
}

function convParams(info: backend_util.Conv2DInfo): Int32Array {
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

function poolParams(info: backend_util.Conv2DInfo): Int32Array {
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

/** Allocates an output; it becomes a tensor only once the addon has filled it (no leak on errors). */
function output(backend: MathBackendCPU, shape: number[]): { data: Float32Array; info: () => TensorInfo } {
  const data = new Float32Array(util.sizeFromShape(shape));
  return { data, info: () => backend.makeTensorInfo(shape, "float32", data) };
}

type Shape4 = [number, number, number, number];

function convolution({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x, filter, bias, preluActivationWeights } = inputs;
  const a = attrs as unknown as FusedConv2DAttrs & Conv2DAttrs;
  const activation = ACTIVATIONS[a.activation ?? "linear"];
  if (!x || !filter || a.dataFormat === "NCHW" || activation === undefined || preluActivationWeights) return null;
  if (!allFloat32(x, filter, bias)) return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast",
  );
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
  const info = backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as Shape4,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast",
  );
  const dx = output(backend, info.inShape);
  addon.conv2dBackwardData(values(backend, dy), values(backend, filter), dx.data, convParams(info));
  return dx.info();
}

function convBackpropFilter({ inputs, backend, attrs }: KernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x, dy } = inputs;
  const a = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (!x || !dy || a.dataFormat === "NCHW" || !allFloat32(x, dy)) return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast",
  );
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
};

/** Wraps a native kernel so that it falls back to the pure-JS CPU kernel of the same name. */
export function withFallback(kernelName: string, native: NativeKernel, addon: NativeAddon): KernelFunc {
  const stats = kernelStats[kernelName] ?? { native: 0, fallback: 0 };
  kernelStats[kernelName] = stats;
  const pureJs = getKernel(kernelName, "cpu").kernelFunc;
  return (args) => {
    let result: TensorInfo | null = null;
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
