// From the database to training batches (issue #6): each dataset member's inputs for an
// architecture are preprocessed once and written to a binary cache on disk (one float32 file per
// input, a label file and a manifest), and batches are read back from it, so the JS heap never
// holds the survey. Preprocessing (docs/model.md): strips cut to the dataset's pixel window, the
// central rows kept, binned 4:1 for compact models, z-scored per sample; cutouts x/127.5 − 1;
// 1D spectra resampled onto a fixed log-wavelength grid and z-scored.

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { CLASS_INDEX as CORE_CLASS_INDEX, xorshift32 } from "@macnet/core";
import { MacnetError, type PrismaClient } from "@macnet/db";
import * as tf from "@tensorflow/tfjs";
import {
  ARCHITECTURE_INPUTS,
  type Architecture,
  type InputName,
  inputShapes,
  type ModelConfig,
} from "./architectures.ts";
import { CLASSES, type Split } from "./datasets.ts";

/** Class index in the model's output: GALAXY, QSO, STAR (the paper's order, weights 1:3:1). */
export const CLASS_INDEX: Readonly<Record<string, number>> = CORE_CLASS_INDEX;
export const PAPER_CLASS_WEIGHTS = [1, 3, 1];

/**
 * The loss weights a training run asks for: three numbers (GALAXY, QSO, STAR), "balanced" (the
 * default: from the training split's class counts) or "paper" (the paper's 1:3:1, set for LAMOST's
 * imbalance).
 */
export type ClassWeightsChoice = readonly number[] | "balanced" | "paper";

/**
 * The weights to train with. "balanced" weighs each class by N / (K · n_c) over the training
 * split's labelled samples, so every class contributes equally to the loss (a class absent from the
 * split gets 1); on a balanced split that is 1:1:1, where the paper's 1:3:1 only tilts stars and
 * galaxies towards QSO.
 */
export function resolveClassWeights(
  choice: ClassWeightsChoice,
  trainLabels: readonly number[],
): { weights: number[]; mode: "balanced" | "paper" | "custom" } {
  if (choice === "paper") return { weights: [...PAPER_CLASS_WEIGHTS], mode: "paper" };
  if (choice !== "balanced") return { weights: [...choice], mode: "custom" };
  const counts = [0, 0, 0];
  for (const label of trainLabels) if (label >= 0 && label < 3) counts[label] = (counts[label] as number) + 1;
  const total = counts.reduce((a, b) => a + b, 0);
  const present = counts.filter((n) => n > 0).length;
  const weights = counts.map((n) => (n > 0 ? total / (present * n) : 1));
  return { weights: weights.map((w) => Number(w.toFixed(6))), mode: "balanced" };
}

/** The 1D grid: log-spaced between the wavelengths LAMOST and SDSS both cover well. */
export const SPECTRUM_GRID_ANGSTROM: [number, number] = [3900, 8900];

export interface CacheManifest {
  version: 1;
  datasetId: number;
  arch: Architecture;
  size: ModelConfig["size"];
  inputs: InputName[];
  /** Float32 values per sample, per input. */
  featureSizes: Record<string, number>;
  objectIds: number[];
  splits: Split[];
  /** Class index per sample, −1 when the object has no catalogue class. */
  labels: number[];
  /** Members left out because they lack an input, per input. */
  skipped: Record<string, number>;
}

export interface DatasetCache {
  dir: string;
  manifest: CacheManifest;
}

const toFloat32 = (bytes: Uint8Array): Float32Array =>
  new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

/** In place: (x − mean) / std over the whole sample (std 0 → 1). */
export function zScore(values: Float32Array): Float32Array {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / values.length) || 1;
  for (let i = 0; i < values.length; i++) values[i] = ((values[i] as number) - mean) / std;
  return values;
}

/**
 * A strip's network input: the central `rows` rows, pixels [start, end) along the dispersion axis,
 * averaged in bins of `bin` pixels, z-scored. `data` is `height` rows × `length` pixels.
 */
export function stripInput(
  data: Float32Array,
  height: number,
  length: number,
  window: [number, number],
  rows: number,
  bin: number,
): Float32Array {
  const [start, end] = window;
  if (end > length) throw new Error(`window ${start}:${end} is beyond the strip's ${length} pixels`);
  if (height < rows) throw new Error(`strip has ${height} rows, the network needs ${rows}`);
  const first = Math.floor((height - rows) / 2);
  const width = Math.floor((end - start) / bin);
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const row = (first + r) * length + start;
    for (let c = 0; c < width; c++) {
      let sum = 0;
      for (let k = 0; k < bin; k++) sum += data[row + c * bin + k] as number;
      out[r * width + c] = sum / bin;
    }
  }
  return zScore(out);
}

/** A 1D spectrum on `n` log-spaced wavelengths (linear interpolation; no coverage → 0), z-scored. */
export function spectrumInput(wavelength: Float32Array, flux: Float32Array, n: number): Float32Array {
  const [lo, hi] = SPECTRUM_GRID_ANGSTROM;
  const out = new Float32Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const w = lo * (hi / lo) ** (i / (n - 1));
    while (j < wavelength.length - 2 && (wavelength[j + 1] as number) < w) j++;
    const w0 = wavelength[j] as number;
    const w1 = wavelength[j + 1] as number;
    if (w < w0 || w > w1 || !Number.isFinite(w0) || !Number.isFinite(w1)) continue;
    const t = (w - w0) / (w1 - w0 || 1);
    const value = (flux[j] as number) * (1 - t) + (flux[j + 1] as number) * t;
    out[i] = Number.isFinite(value) ? value : 0;
  }
  return zScore(out);
}

/** A cutout's network input: interleaved RGB bytes → x / 127.5 − 1. */
export function imageInput(rgb: Uint8Array, size: number): Float32Array {
  if (rgb.length !== size * size * 3) throw new Error(`cutout has ${rgb.length} bytes, expected ${size}×${size}×3`);
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = (rgb[i] as number) / 127.5 - 1;
  return out;
}

/**
 * Builds (or reuses) the cache of a dataset version for an architecture and configuration under
 * `cacheRoot`. Members lacking one of the architecture's inputs are skipped and counted.
 */
export async function buildDatasetCache(options: {
  prisma: PrismaClient;
  datasetId: number;
  arch: Architecture;
  config: ModelConfig;
  cacheRoot: string;
  onProgress?: (done: number, total: number) => void;
}): Promise<DatasetCache> {
  const { prisma, datasetId, arch, config } = options;
  const inputs = ARCHITECTURE_INPUTS[arch];
  const dir = join(options.cacheRoot, `dataset-${datasetId}-${config.size}-${inputs.join("+")}`);
  const manifestPath = join(dir, "manifest.json");
  if (existsSync(manifestPath)) return { dir, manifest: JSON.parse(readFileSync(manifestPath, "utf8")) };
  const dataset = await prisma.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) throw new MacnetError(`No dataset with id ${datasetId}`, "DATASET_NOT_FOUND");
  const members = await prisma.datasetMember.findMany({
    where: { datasetId },
    select: { objectId: true, split: true, label: true, object: { select: { catalogClass: true } } },
    orderBy: { objectId: "asc" },
  });
  const shapes = inputShapes(arch, config);
  const bin = config.size === "compact" ? 4 : 1;
  const windows: Record<"blue" | "red", [number, number]> = {
    blue: [dataset.blueWindowStart, dataset.blueWindowEnd],
    red: [dataset.redWindowStart, dataset.redWindowEnd],
  };
  for (const [arm, [start, end]] of Object.entries(windows)) {
    if (inputs.includes(arm as InputName) && Math.floor((end - start) / bin) !== config.stripWidth) {
      throw new MacnetError(
        `Dataset ${dataset.name} v${dataset.version}: its ${arm} window ${start}:${end} gives ${Math.floor((end - start) / bin)} pixels, the ${config.size} ${arch} takes ${config.stripWidth}${bin > 1 ? ` (after ${bin}:1 binning)` : ""}`,
        "WINDOW_MISMATCH",
      );
    }
  }
  const featureSizes = Object.fromEntries(inputs.map((name) => [name, shapes[name].reduce((a, b) => a * b, 1)]));
  const building = `${dir}.building-${process.pid}`;
  mkdirSync(building, { recursive: true });
  const files = Object.fromEntries(inputs.map((name) => [name, openSync(join(building, `${name}.f32`), "w")]));
  const manifest: CacheManifest = {
    version: 1,
    datasetId,
    arch,
    size: config.size,
    inputs,
    featureSizes,
    objectIds: [],
    splits: [],
    labels: [],
    skipped: Object.fromEntries(inputs.map((name) => [name, 0])),
  };
  try {
    const chunk = 64;
    for (let i = 0; i < members.length; i += chunk) {
      const batch = members.slice(i, i + chunk);
      const ids = batch.map((m) => m.objectId);
      const [strips, spectra, cutouts] = await Promise.all([
        inputs.some((n) => n === "blue" || n === "red")
          ? prisma.spectrum2D.findMany({ where: { objectId: { in: ids } } })
          : Promise.resolve([]),
        inputs.includes("spectrum")
          ? prisma.spectrum1D.findMany({ where: { objectId: { in: ids } }, orderBy: { survey: "asc" } })
          : Promise.resolve([]),
        inputs.includes("image") ? prisma.cutout.findMany({ where: { objectId: { in: ids } } }) : Promise.resolve([]),
      ]);
      for (const member of batch) {
        const features: Record<string, Float32Array> = {};
        for (const name of inputs) {
          if (name === "blue" || name === "red") {
            const strip = strips.find((s) => s.objectId === member.objectId && s.arm === name.toUpperCase());
            if (strip && strip.lengthPx >= windows[name][1]) {
              const data = toFloat32(strip.data);
              features[name] = stripInput(data, strip.widthPx, strip.lengthPx, windows[name], config.stripHeight, bin);
            }
          } else if (name === "spectrum") {
            const spectrum = spectra.find((s) => s.objectId === member.objectId);
            if (spectrum) {
              features[name] = spectrumInput(
                toFloat32(spectrum.wavelengthAngstrom),
                toFloat32(spectrum.flux),
                config.spectrumLength,
              );
            }
          } else {
            const cutout = cutouts.find((c) => c.objectId === member.objectId);
            if (cutout?.widthPx === config.imageSize && cutout.heightPx === config.imageSize) {
              features[name] = imageInput(cutout.rgb, config.imageSize);
            }
          }
        }
        const missing = inputs.filter((name) => !features[name]);
        for (const name of missing) manifest.skipped[name] = (manifest.skipped[name] ?? 0) + 1;
        if (missing.length > 0) continue;
        for (const name of inputs) {
          const values = features[name] as Float32Array;
          writeSync(files[name] as number, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
        }
        manifest.objectIds.push(member.objectId);
        manifest.splits.push(member.split);
        // A reviewed version's label when it has one (issue #33), else the catalogue's; −1: unlabelled.
        manifest.labels.push(CLASS_INDEX[(member.label ?? member.object.catalogClass) as string] ?? -1);
      }
      options.onProgress?.(Math.min(i + chunk, members.length), members.length);
    }
  } finally {
    for (const fd of Object.values(files)) closeSync(fd);
  }
  writeFileSync(join(building, "manifest.json"), JSON.stringify(manifest));
  if (existsSync(dir)) return { dir, manifest: JSON.parse(readFileSync(manifestPath, "utf8")) };
  renameSync(building, dir);
  return { dir, manifest };
}

/** Indices (into the manifest) of one split's samples. */
export function splitIndices(cache: DatasetCache, split: Split): number[] {
  return cache.manifest.splits.flatMap((s, i) => (s === split ? [i] : []));
}

/**
 * One of the 8 symmetries of a square image (rotations by 0/90/180/270° and their mirror images),
 * `k` in 0..7 (0: unchanged), of an n × n × channels image in row-major HWC order, into `out`.
 * Sky images have no preferred orientation: each is as likely as the original.
 */
export function dihedral(image: Float32Array, n: number, channels: number, k: number, out: Float32Array): void {
  const rotations = k & 3;
  const mirror = (k & 4) !== 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let [sy, sx] = [y, mirror ? n - 1 - x : x];
      for (let r = 0; r < rotations; r++) [sy, sx] = [sx, n - 1 - sy];
      const from = (sy * n + sx) * channels;
      const to = (y * n + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = image[from + c] as number;
    }
  }
}

/** Epochs in a row with every validation prediction in one class that make a run "collapsed". */
export const COLLAPSE_EPOCHS = 5;

/**
 * Watches each epoch's validation predictions for a collapse: every sample predicted as the same
 * class for COLLAPSE_EPOCHS epochs in a row (a run that learned only the prior). Returns the
 * warning to record, once, when that happens.
 */
export class CollapseWatch {
  private run = 0;
  private lastClass = -1;
  private warned = false;

  observe(epoch: number, probabilities: number[][]): string | null {
    const classes = new Set(probabilities.map((row) => argmax(row)));
    const only = classes.size === 1 ? (classes.values().next().value as number) : -1;
    if (only >= 0 && only === this.lastClass) this.run++;
    else this.run = only >= 0 ? 1 : 0;
    this.lastClass = only;
    if (this.warned || this.run < COLLAPSE_EPOCHS || probabilities.length < 2) return null;
    this.warned = true;
    const name = CLASSES[only] ?? String(only);
    return (
      `collapsed: every validation object was predicted ${name} for ${this.run} epochs in a row ` +
      `(epochs ${epoch - this.run + 1}–${epoch}); the model learned only the class prior. ` +
      "Try a lower learning rate, balanced class weights or the compact configuration."
    );
  }
}

/**
 * Reads samples `indices` of every input from the cache as tensors (batch first) and one-hot labels.
 * With `augment` (a random source), each sample's image is turned by a random one of its 8
 * symmetries (training only; spectra and strips are never changed: wavelength has a direction).
 */
export function readBatch(
  cache: DatasetCache,
  indices: number[],
  shapes: Record<InputName, number[]>,
  augment?: () => number,
): { xs: tf.Tensor[]; ys: tf.Tensor2D; labels: number[] } {
  const { manifest } = cache;
  const xs = manifest.inputs.map((name) => {
    const size = manifest.featureSizes[name] as number;
    const data = new Float32Array(indices.length * size);
    const fd = openSync(join(cache.dir, `${name}.f32`), "r");
    try {
      indices.forEach((index, row) => {
        readSync(fd, new Uint8Array(data.buffer, row * size * 4, size * 4), 0, size * 4, index * size * 4);
      });
    } finally {
      closeSync(fd);
    }
    if (augment && name === "image") {
      const [n, , channels] = shapes.image as [number, number, number];
      const turned = new Float32Array(size);
      for (let row = 0; row < indices.length; row++) {
        const k = Math.floor(augment() * 8);
        if (k === 0) continue;
        const sample = data.subarray(row * size, (row + 1) * size);
        dihedral(sample, n, channels, k, turned);
        sample.set(turned);
      }
    }
    return tf.tensor(data, [indices.length, ...shapes[name]]);
  });
  const labels = indices.map((i) => manifest.labels[i] as number);
  return { xs, ys: tf.oneHot(tf.tensor1d(labels, "int32"), CLASSES.length) as tf.Tensor2D, labels };
}

/**
 * Class probabilities of the samples `indices` (in order), predicted in batches read from the cache,
 * with their labels and the milliseconds spent in the model (prediction and read-back only).
 */
export async function predictIndices(
  model: tf.LayersModel,
  cache: DatasetCache,
  indices: number[],
  shapes: Record<InputName, number[]>,
  batchSize = 32,
  onBatch?: (done: number, total: number) => void,
): Promise<{ rows: number[][]; labels: number[]; predictMs: number }> {
  const rows: number[][] = [];
  const labels: number[] = [];
  let predictMs = 0;
  for (let i = 0; i < indices.length; i += batchSize) {
    const batch = readBatch(cache, indices.slice(i, i + batchSize), shapes);
    const started = performance.now();
    const probabilities = model.predict(batch.xs) as tf.Tensor2D;
    rows.push(...probabilities.arraySync());
    predictMs += performance.now() - started;
    labels.push(...batch.labels);
    tf.dispose([...batch.xs, batch.ys, probabilities]);
    onBatch?.(Math.min(i + batchSize, indices.length), indices.length);
    await yieldToEventLoop();
  }
  return { rows, labels, predictMs };
}

/**
 * Lets timers and socket callbacks run between batches. TensorFlow.js's CPU kernels settle their
 * promises as microtasks, so a loop of batches would otherwise starve the event loop: no heartbeats,
 * no progress writes, no cancel requests read until the loop ends.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Index of the largest value (the predicted class of a probability row). */
export function argmax(row: number[]): number {
  return row.indexOf(Math.max(...row));
}

/** Seeded shuffle of a split into batches of indices (the last one may be short). */
export function batchesOf(indices: number[], batchSize: number, seed: number): number[][] {
  const order = [...indices];
  const next = xorshift32(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}
