// Saving and loading models and optimizer state as files (TensorFlow.js's `file://` handler comes
// with tfjs-node only): `model.json` (topology + weight manifest) and `weights.bin`, Keras-compatible.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";

type NamedTensor = { name: string; tensor: tf.Tensor };

/** Writes `model` to `dir` (replaced atomically: a crash leaves the old copy or the new one). */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  const staging = `${dir}.saving-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData as ArrayBuffer;
      writeFileSync(join(staging, "weights.bin"), new Uint8Array(weights));
      const manifest = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(staging, "model.json"), JSON.stringify(manifest));
      return {
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.byteLength },
      };
    }),
  );
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}

/** Loads a model saved by `saveModel` (custom layers must be registered: import this package). */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  const weights = readFileSync(join(dir, "weights.bin"));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: manifest.modelTopology,
      weightSpecs: manifest.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}

/** Named tensors (optimizer state) to one binary file plus a JSON index. */
export async function saveTensors(tensors: NamedTensor[], path: string): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  writeFileSync(`${path}.bin`, new Uint8Array(data));
  writeFileSync(`${path}.json`, JSON.stringify(specs));
}

export function loadTensors(path: string): NamedTensor[] {
  if (!existsSync(`${path}.json`)) return [];
  const specs = JSON.parse(readFileSync(`${path}.json`, "utf8"));
  const bytes = readFileSync(`${path}.bin`);
  const map = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
  return (specs as { name: string }[]).map((spec) => ({ name: spec.name, tensor: map[spec.name] as tf.Tensor }));
}
