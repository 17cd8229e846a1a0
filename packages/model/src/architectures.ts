// The MAC-Net family (paper §3, Table 2) built from shared blocks: a spectral branch per 2D arm
// (or one 1D branch for the baselines), a GoogLeNet-style image branch, optional CBAM, and a fusion
// head. Two documented sizes: `full` (the paper's, a GPU job to train) and `compact` (CPU demos
// and CI). Choices where the paper's sizes do not add up are in docs/model.md.
import { type LayersModel, layers, model as makeModel, type SymbolicTensor } from "@tensorflow/tfjs";
import { COMPACT_CONFIG, FULL_CONFIG, type ModelConfig, modelConfigSchema, resolveConfig } from "./config.ts";
import {
  Cbam,
  LocalResponseNorm,
  MacnetBatchNormalization,
  MacnetConv2D,
  MacnetDropout,
  MacnetMaxPooling2D,
} from "./layers.ts";
import { ARCHITECTURES, type Architecture } from "./names.ts";

export {
  ARCHITECTURES,
  type Architecture,
  COMPACT_CONFIG,
  FULL_CONFIG,
  type ModelConfig,
  modelConfigSchema,
  resolveConfig,
};

export type InputName = "blue" | "red" | "image" | "spectrum";

/** Which inputs each architecture reads, in the model's input order. */
export const ARCHITECTURE_INPUTS: Record<Architecture, InputName[]> = {
  SSCNN_1D: ["spectrum"],
  M_NET: ["spectrum", "image"],
  C_NET: ["blue", "red"],
  MC_NET: ["blue", "red", "image"],
  MAC_NET: ["blue", "red", "image"],
  IMAGE_NET: ["image"],
};

const relu = "relu" as const;

/**
 * One spectral branch (Table 2): Conv → BN → MaxPool 2×2 → Dropout → Conv → BN → MaxPool → Dropout →
 * Conv → BN → MaxPool → [CBAM] → Conv → Dropout → MaxPool 1×2 → Flatten. The last 1×2 pool is our
 * reading of the paper's 1×8000 (11×2000 → 1×125×64); for 1D inputs (height 1) pools are 1×2.
 */
function spectralBranch(input: SymbolicTensor, name: string, config: ModelConfig, attention: boolean): SymbolicTensor {
  const height = input.shape[1] as number;
  const [f1, f2, f3, f4] = config.spectralFilters;
  const kernel: [number, number] = height === 1 ? [1, config.spectralKernel[1]] : config.spectralKernel;
  const conv = (filters: number, i: number) =>
    new MacnetConv2D({ filters, kernelSize: kernel, padding: "same", activation: relu, name: `${name}_conv${i}` });
  let x = input;
  let rows = height;
  const pool = (i: number) => {
    const poolRows = rows >= 2 ? 2 : 1;
    rows = Math.floor(rows / poolRows);
    return new MacnetMaxPooling2D({ poolSize: [poolRows, 2], strides: [poolRows, 2], name: `${name}_pool${i}` });
  };
  const dropout = (i: number) => new MacnetDropout({ rate: config.dropout, name: `${name}_dropout${i}` });
  const bn = (i: number) => new MacnetBatchNormalization({ name: `${name}_bn${i}` });
  x = conv(f1, 1).apply(x) as SymbolicTensor;
  x = bn(1).apply(x) as SymbolicTensor;
  x = pool(1).apply(x) as SymbolicTensor;
  x = dropout(1).apply(x) as SymbolicTensor;
  x = conv(f2, 2).apply(x) as SymbolicTensor;
  x = bn(2).apply(x) as SymbolicTensor;
  x = pool(2).apply(x) as SymbolicTensor;
  x = dropout(2).apply(x) as SymbolicTensor;
  x = conv(f3, 3).apply(x) as SymbolicTensor;
  x = bn(3).apply(x) as SymbolicTensor;
  x = pool(3).apply(x) as SymbolicTensor;
  if (attention) x = new Cbam({ reduction: config.cbamReduction, name: `${name}_cbam` }).apply(x) as SymbolicTensor;
  x = conv(f4, 4).apply(x) as SymbolicTensor;
  x = dropout(4).apply(x) as SymbolicTensor;
  x = new MacnetMaxPooling2D({ poolSize: [1, 2], strides: [1, 2], name: `${name}_pool4` }).apply(x) as SymbolicTensor;
  return layers.flatten({ name: `${name}_flatten` }).apply(x) as SymbolicTensor;
}

/**
 * Image branch: GoogLeNet stem (Conv 7×7/2 → MaxPool 3×3/2 → LRN → Conv 1×1 → Conv 3×3 → LRN →
 * MaxPool 3×3/2), one Inception block (3a widths at full size), then a 2×2 pool in place of the
 * removed average pool so that a 64×64 cutout flattens to 4×4×256 = 4096 as in the paper.
 */
function imageBranch(input: SymbolicTensor, config: ModelConfig): SymbolicTensor {
  const { image } = config;
  const conv = (filters: number, kernelSize: number, name: string, strides = 1) =>
    new MacnetConv2D({ filters, kernelSize, strides, padding: "same", activation: relu, name: `image_${name}` });
  const pool3 = (name: string, strides: number) =>
    new MacnetMaxPooling2D({ poolSize: 3, strides, padding: "same", name: `image_${name}` });
  let x = conv(image.stem, 7, "conv1", image.stemStride).apply(input) as SymbolicTensor;
  x = pool3("pool1", 2).apply(x) as SymbolicTensor;
  x = new LocalResponseNorm({ name: "image_lrn1" }).apply(x) as SymbolicTensor;
  x = conv(image.reduce, 1, "conv2_reduce").apply(x) as SymbolicTensor;
  x = conv(image.conv, 3, "conv2").apply(x) as SymbolicTensor;
  x = new LocalResponseNorm({ name: "image_lrn2" }).apply(x) as SymbolicTensor;
  x = pool3("pool2", 2).apply(x) as SymbolicTensor;
  const inc = image.inception;
  const b1 = conv(inc.b1, 1, "inception_1x1").apply(x) as SymbolicTensor;
  const b3 = conv(inc.b3, 3, "inception_3x3").apply(
    conv(inc.b3Reduce, 1, "inception_3x3_reduce").apply(x),
  ) as SymbolicTensor;
  const b5 = conv(inc.b5, 5, "inception_5x5").apply(
    conv(inc.b5Reduce, 1, "inception_5x5_reduce").apply(x),
  ) as SymbolicTensor;
  const bp = conv(inc.pool, 1, "inception_pool_proj").apply(pool3("inception_pool", 1).apply(x)) as SymbolicTensor;
  x = layers.concatenate({ axis: 3, name: "image_inception" }).apply([b1, b3, b5, bp]) as SymbolicTensor;
  x = new MacnetMaxPooling2D({ poolSize: 2, strides: 2, name: "image_pool3" }).apply(x) as SymbolicTensor;
  return layers.flatten({ name: "image_flatten" }).apply(x) as SymbolicTensor;
}

/** Fusion head: concatenate → Dense → Dropout → Dense → Dense(classes, softmax). */
function head(features: SymbolicTensor[], config: ModelConfig): SymbolicTensor {
  let x =
    features.length > 1
      ? (layers.concatenate({ name: "fusion" }).apply(features) as SymbolicTensor)
      : (features[0] as SymbolicTensor);
  x = layers.dense({ units: config.dense[0], activation: relu, name: "fc1" }).apply(x) as SymbolicTensor;
  x = new MacnetDropout({ rate: config.dropout, name: "fc1_dropout" }).apply(x) as SymbolicTensor;
  x = layers.dense({ units: config.dense[1], activation: relu, name: "fc2" }).apply(x) as SymbolicTensor;
  return layers.dense({ units: config.classes, activation: "softmax", name: "classes" }).apply(x) as SymbolicTensor;
}

/** Input tensor shapes (without the batch dimension) for one architecture and configuration. */
export function inputShapes(arch: Architecture, config: ModelConfig): Record<InputName, number[]> {
  void arch;
  return {
    blue: [config.stripHeight, config.stripWidth, 1],
    red: [config.stripHeight, config.stripWidth, 1],
    image: [config.imageSize, config.imageSize, 3],
    spectrum: [1, config.spectrumLength, 1],
  };
}

/** Builds an (untrained) model of the given architecture. Inputs are named as ARCHITECTURE_INPUTS. */
export function buildModel(arch: Architecture, config: ModelConfig = FULL_CONFIG): LayersModel {
  if (!ARCHITECTURES.includes(arch)) {
    throw new Error(`unknown architecture "${arch}" (expected one of ${ARCHITECTURES.join(", ")})`);
  }
  const shapes = inputShapes(arch, config);
  const inputs = ARCHITECTURE_INPUTS[arch].map((name) => layers.input({ shape: shapes[name], name }));
  const features = inputs.map((input, i) => {
    const name = ARCHITECTURE_INPUTS[arch][i] as InputName;
    if (name === "image") return imageBranch(input, config);
    return spectralBranch(input, name, config, arch === "MAC_NET");
  });
  return makeModel({ inputs, outputs: head(features, config), name: arch.toLowerCase() });
}
