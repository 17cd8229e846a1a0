// The networks' configuration without the networks (importable without TensorFlow.js, like
// names.ts): the schema, the paper's `full` size and the CPU-sized `compact`, and how overrides
// (a preset's, `--model-config`, a stored model's) resolve against a size.
import { badInput } from "@macnet/core";
import { z } from "zod";

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
/** Overrides of a model configuration: any top-level field, and the image branch's field by field. */
export type ConfigOverrides = Partial<Omit<ModelConfig, "image">> & {
  image?: Partial<Omit<ModelConfig["image"], "inception">> & {
    inception?: Partial<ModelConfig["image"]["inception"]>;
  };
};

/**
 * `over` on top of `under`: top-level fields replaced, the image branch's settings (and its
 * inception widths) merged one by one, so an override may name only what it changes.
 */
export function mergeConfigOverrides<T extends ConfigOverrides>(under: T, over: ConfigOverrides): T {
  if (!under.image && !over.image) return { ...under, ...over };
  const image = {
    ...under.image,
    ...over.image,
    inception: { ...under.image?.inception, ...over.image?.inception },
  };
  return { ...under, ...over, image } as T;
}

export function resolveConfig(size: "full" | "compact" = "full", overrides: ConfigOverrides = {}): ModelConfig {
  const base = size === "compact" ? COMPACT_CONFIG : FULL_CONFIG;
  const parsed = modelConfigSchema.safeParse(mergeConfigOverrides(base, overrides));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid model config: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * The dotted names of fields in `overrides` that the configuration does not have (`image.stemstride`):
 * a typo would otherwise be dropped without a word by the schema.
 */
export function unknownConfigFields(
  overrides: Record<string, unknown>,
  shape: object = FULL_CONFIG,
  prefix = "",
): string[] {
  return Object.entries(overrides).flatMap(([key, value]) => {
    const name = `${prefix}${key}`;
    if (!(key in shape)) return [name];
    const inner = (shape as Record<string, unknown>)[key];
    const nested = value && typeof value === "object" && !Array.isArray(value);
    if (nested && inner && typeof inner === "object" && !Array.isArray(inner))
      return unknownConfigFields(value as Record<string, unknown>, inner, `${name}.`);
    return [];
  });
}

/** `overrides` checked against the schema now (unknown fields, bad values), or an error naming the field. */
export function checkConfigOverrides(overrides: Record<string, unknown>, field = "modelConfig"): void {
  const unknown = unknownConfigFields(overrides);
  if (unknown.length > 0) throw badInput(`${field}: no model configuration field ${unknown.join(", ")}`, field);
  try {
    resolveConfig("compact", overrides as Parameters<typeof resolveConfig>[1]);
  } catch (error) {
    throw badInput(`${field}: ${(error as Error).message}`, field);
  }
}
