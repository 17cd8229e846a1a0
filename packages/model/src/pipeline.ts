// From the database to training batches (issue #6): each dataset member's inputs for an
// architecture are preprocessed once (inputs.ts) and written to a binary cache on disk (one float32
// file per input, a label file and a manifest), and batches are read back from it, so the JS heap
// never holds the survey; predictions over a cache, seeded batch order.

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
import { xorshift32 } from "@macnet/core";
import { MacnetError, type PrismaClient } from "@macnet/db";
import * as tf from "@tensorflow/tfjs";
import {
  ARCHITECTURE_INPUTS,
  type Architecture,
  type InputName,
  inputShapes,
  type ModelConfig,
} from "./architectures.ts";
import { CLASS_INDEX } from "./class-weights.ts";
import { CLASSES, type Split } from "./datasets.ts";
import { dihedral, imageInput, shift, spectrumInput, stripInput } from "./inputs.ts";

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
  // Inputs made differently are cached apart (the default keeps the folder name it always had).
  const scaling = inputs.includes("image") && config.imageScaling !== "linear" ? `-${config.imageScaling}` : "";
  const dir = join(options.cacheRoot, `dataset-${datasetId}-${config.size}-${inputs.join("+")}${scaling}`);
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
              features[name] = imageInput(cutout.rgb, config.imageSize, config.imageScaling);
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
 * Reads samples `indices` of every input from the cache as tensors (batch first) and one-hot labels.
 * With `augment` (a random source), each sample's image is turned by a random one of its 8
 * symmetries (training only; spectra and strips are never changed: wavelength has a direction),
 * then, with `shiftPx` > 0, moved by up to that many pixels along each axis.
 */
export function readBatch(
  cache: DatasetCache,
  indices: number[],
  shapes: Record<InputName, number[]>,
  augment?: () => number,
  shiftPx = 0,
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
        const sample = data.subarray(row * size, (row + 1) * size);
        if (k !== 0) {
          dihedral(sample, n, channels, k, turned);
          sample.set(turned);
        }
        // Shifts draw after the symmetry, so runs without them see the draws they always saw.
        if (shiftPx > 0) {
          const dx = Math.floor(augment() * (2 * shiftPx + 1)) - shiftPx;
          const dy = Math.floor(augment() * (2 * shiftPx + 1)) - shiftPx;
          if (dx === 0 && dy === 0) continue;
          shift(sample, n, channels, dx, dy, turned);
          sample.set(turned);
        }
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
