// The MAC-Net family (paper §3, Table 2) built from shared blocks: a spectral branch per 2D arm
// (or one 1D branch for the baselines), a GoogLeNet-style image branch, optional CBAM, and a fusion
// head. Two documented sizes: `full` (the paper's, a GPU job to train) and `compact` (CPU demos
// and CI). Choices where the paper's sizes do not add up are in docs/model.md.
import { type LayersModel, layers, model as makeModel, type SymbolicTensor } from "@tensorflow/tfjs";
import { z } from "zod";
import { Cbam, LocalResponseNorm, MacnetBatchNormalization, MacnetConv2D } from "./layers.ts";

import { ARCHITECTURES, type Architecture } from "./names.ts";

export { ARCHITECTURES, type Architecture };

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

const inceptionSchema = z.object({
  b1: z.number().int().positive(),
  b3Reduce: z.number().int().positive(),
  b3: z.number().int().positive(),
  b5Reduce: z.number().int().positive(),
  b5: z.number().int().positive(),
  pool: z.number().int().positive(),
});

export const modelConfigSchema = z.object({
  size: z.enum(["full", "compact"]),
  /** Rows of a 2D strip kept around the trace (the paper keeps the central 11). */
  stripHeight: z.number().int().min(1).max(15),
  /** Pixels along the dispersion axis fed to the network, per arm (full: 2000; compact: 500, 4-pixel means). */
  stripWidth: z.number().int().min(64),
  /** Length of a 1D spectrum input (1D SSCNN, M-Net). */
  spectrumLength: z.number().int().min(64),
  imageSize: z.number().int().min(32),
  /**
   * How cutout bytes become the input: linear (x / 127.5 − 1, the default) or asinh (each channel's
   * sky subtracted, then compressed; inputs.ts imageInput).
   */
  imageScaling: z.enum(["linear", "asinh"]).default("linear"),
  spectralFilters: z.tuple([
    z.number().int().positive(),
    z.number().int().positive(),
    z.number().int().positive(),
    z.number().int().positive(),
  ]),
  spectralKernel: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  dropout: z.number().min(0).max(0.9),
  image: z.object({
    /**
     * Stride of the 7×7 stem convolution: 2 (GoogLeNet's, the paper's) or 1, which keeps the stem at
     * the cutout's full resolution (4× the image branch's work; a point source spans a few pixels).
     */
    stemStride: z.union([z.literal(1), z.literal(2)]).default(2),
    stem: z.number().int().positive(),
    reduce: z.number().int().positive(),
    conv: z.number().int().positive(),
    inception: inceptionSchema,
  }),
  dense: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  cbamReduction: z.number().int().positive(),
  classes: z.number().int().min(2),
});
export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** The paper's sizes (Table 2), with the halvings that make its 1×8000 per arm and 1×4096 image. */
export const FULL_CONFIG: ModelConfig = {
  size: "full",
  stripHeight: 11,
  stripWidth: 2000,
  spectrumLength: 2000,
  imageSize: 64,
  imageScaling: "linear",
  spectralFilters: [128, 64, 64, 64],
  spectralKernel: [3, 20],
  dropout: 0.5,
  image: {
    stemStride: 2,
    stem: 64,
    reduce: 64,
    conv: 192,
    inception: { b1: 64, b3Reduce: 96, b3: 128, b5Reduce: 16, b5: 32, pool: 32 },
  },
  dense: [4096, 1024],
  cbamReduction: 8,
  classes: 3,
};

/**
 * CPU-sized variant for demos and CI: strips binned 4:1 along the dispersion axis (2000 → 500 px,
 * and the same for 1D spectra), a quarter of the filters, dense 256/64. Same topology as `full`.
 */
export const COMPACT_CONFIG: ModelConfig = {
  ...FULL_CONFIG,
  size: "compact",
  stripWidth: 500,
  spectrumLength: 500,
  spectralFilters: [32, 16, 16, 16],
  image: {
    stemStride: 2,
    stem: 16,
    reduce: 16,
    conv: 48,
    inception: { b1: 16, b3Reduce: 24, b3: 32, b5Reduce: 4, b5: 8, pool: 8 },
  },
  dense: [256, 64],
};

/** Resolves a configuration: the named size's defaults, then overrides, validated. */
export function resolveConfig(
  size: "full" | "compact" = "full",
  overrides: Partial<Omit<ModelConfig, "image">> & {
    image?: Partial<Omit<ModelConfig["image"], "inception">> & {
      inception?: Partial<ModelConfig["image"]["inception"]>;
    };
  } = {},
): ModelConfig {
  const base = size === "compact" ? COMPACT_CONFIG : FULL_CONFIG;
  // The image branch's settings merge one by one: an override may name only what it changes.
  const image = {
    ...base.image,
    ...overrides.image,
    inception: { ...base.image.inception, ...overrides.image?.inception },
  };
  const parsed = modelConfigSchema.safeParse({ ...base, ...overrides, image });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid model config: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}

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
    return layers.maxPooling2d({ poolSize: [poolRows, 2], strides: [poolRows, 2], name: `${name}_pool${i}` });
  };
  const dropout = (i: number) => layers.dropout({ rate: config.dropout, name: `${name}_dropout${i}` });
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
  x = layers.maxPooling2d({ poolSize: [1, 2], strides: [1, 2], name: `${name}_pool4` }).apply(x) as SymbolicTensor;
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
    layers.maxPooling2d({ poolSize: 3, strides, padding: "same", name: `image_${name}` });
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
  x = layers.maxPooling2d({ poolSize: 2, strides: 2, name: "image_pool3" }).apply(x) as SymbolicTensor;
  return layers.flatten({ name: "image_flatten" }).apply(x) as SymbolicTensor;
}

/** Fusion head: concatenate → Dense → Dropout → Dense → Dense(classes, softmax). */
function head(features: SymbolicTensor[], config: ModelConfig): SymbolicTensor {
  let x =
    features.length > 1
      ? (layers.concatenate({ name: "fusion" }).apply(features) as SymbolicTensor)
      : (features[0] as SymbolicTensor);
  x = layers.dense({ units: config.dense[0], activation: relu, name: "fc1" }).apply(x) as SymbolicTensor;
  x = layers.dropout({ rate: config.dropout, name: "fc1_dropout" }).apply(x) as SymbolicTensor;
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
