// Grad-CAM (Selvaraju et al. 2017) for the MAC-Net family (paper Figs 9–10): for each spectral arm
// along the wavelength axis (the last convolution of the branch, mapped back to strip pixels and
// through the strip's wavelength polynomial), and for the image (the Inception block's output).
// Maps are stored per model, object, target and class (`activation_map`).
import { MacnetError, type ObjectClass, type PrismaClient } from "@macnet/db";
import * as tf from "@tensorflow/tfjs";
import { ARCHITECTURE_INPUTS } from "./architectures.ts";
import { CLASSES } from "./datasets.ts";
import { loadModel } from "./persist.ts";
import { argmax, readBatch } from "./pipeline.ts";
import { storedModelContext } from "./stored-model.ts";

type Target = "BLUE" | "RED" | "IMAGE";

/** The layer whose activations each target's map is computed on. */
const TARGET_LAYERS: Record<Target, string> = { BLUE: "blue_conv4", RED: "red_conv4", IMAGE: "image_inception" };

/**
 * Runs a functional model layer by layer (inference mode), adding `deltas[name]` to the output of
 * the named layers and recording those outputs: d(score)/d(delta) is then d(score)/d(activation).
 */
function runWithTaps(
  model: tf.LayersModel,
  inputs: tf.Tensor[],
  deltas: Map<string, tf.Tensor>,
  captured: Map<string, tf.Tensor>,
): tf.Tensor {
  const values = new Map<number, tf.Tensor>();
  model.inputs.forEach((symbolic, i) => {
    values.set(symbolic.id, inputs[i] as tf.Tensor);
  });
  for (const layer of model.layers) {
    if (layer.getClassName() === "InputLayer") continue;
    const node = layer.inboundNodes[0];
    if (!node || layer.inboundNodes.length !== 1) throw new Error(`layer ${layer.name} is shared: not supported`);
    const ins = node.inputTensors.map((t) => values.get(t.id) as tf.Tensor);
    let out = layer.apply(ins.length === 1 ? (ins[0] as tf.Tensor) : ins, { training: false }) as tf.Tensor;
    const delta = deltas.get(layer.name);
    if (delta) {
      captured.set(layer.name, tf.keep(out)); // outlives the gradient scope
      out = tf.add(out, delta);
    }
    values.set((node.outputTensors[0] as tf.SymbolicTensor).id, out);
  }
  return values.get((model.outputs[0] as tf.SymbolicTensor).id) as tf.Tensor;
}

export interface GradCamMap {
  target: Target;
  targetClass: ObjectClass;
  /** [length] along the wavelength axis for arms, [height, width] for the image. */
  shape: number[];
  values: number[];
  /** Arms: wavelength (Å) at each value's pixel centre. */
  wavelengthAngstrom?: number[];
}

/** Grad-CAM maps of one sample (inputs batch of 1) for every target the architecture has. */
export function gradCam(model: tf.LayersModel, inputs: tf.Tensor[], targets: Target[], classIndex: number) {
  const layers = targets.map((t) => model.getLayer(TARGET_LAYERS[t]));
  const zeros = layers.map((layer) => tf.zeros([1, ...(layer.outputShape as number[]).slice(1)]));
  const captured = new Map<string, tf.Tensor>();
  const score = (...deltas: tf.Tensor[]) => {
    const map = new Map(layers.map((layer, i) => [layer.name, deltas[i] as tf.Tensor]));
    const probabilities = runWithTaps(model, inputs, map, captured);
    return tf.sum(tf.slice(probabilities, [0, classIndex], [1, 1])) as tf.Scalar;
  };
  const grads = tf.grads(score)(zeros);
  const maps = layers.map((layer, i) =>
    tf.tidy(() => {
      const activation = captured.get(layer.name) as tf.Tensor4D;
      const weights = tf.mean(grads[i] as tf.Tensor4D, [1, 2]); // [1, channels]
      const cam = tf.relu(tf.sum(tf.mul(activation, weights.reshape([1, 1, 1, -1])), 3)).squeeze([0]); // [h, w]
      const max = tf.max(cam).dataSync()[0] as number;
      return { shape: cam.shape, values: Array.from(cam.dataSync()).map((v) => (max > 0 ? v / max : 0)) };
    }),
  );
  tf.dispose([...zeros, ...grads, ...captured.values()]);
  return maps;
}

function polynomial(coefficients: number[], x: number): number {
  return coefficients.reduceRight((acc, c) => acc * x + c, 0);
}

/** Computes, stores and returns the Grad-CAM maps of stored objects (members of the model's dataset). */
export async function gradCamForObjects(options: {
  prisma: PrismaClient;
  modelId: number;
  objectIds: number[];
  /** Default: each object's predicted class. */
  targetClass?: ObjectClass;
  home: string;
}): Promise<{ modelId: number; maps: Array<GradCamMap & { objectId: number }> }> {
  const { prisma, modelId } = options;
  const { stored, config, cache, shapes } = await storedModelContext({ prisma, modelId, home: options.home });
  const inputs = ARCHITECTURE_INPUTS[stored.architecture];
  const targets = (["BLUE", "RED", "IMAGE"] as const).filter((t) => inputs.includes(t.toLowerCase() as never));
  if (targets.length === 0) {
    throw new MacnetError(`${stored.architecture} has no 2D arm or image branch to explain`, "NO_GRADCAM_TARGET");
  }
  const model = await loadModel(stored.weightsUri);
  const bin = config.size === "compact" ? 4 : 1;
  const windows = {
    BLUE: [stored.blueWindowStart ?? 0, stored.blueWindowEnd ?? 0],
    RED: [stored.redWindowStart ?? 0, stored.redWindowEnd ?? 0],
  };
  const result: Array<GradCamMap & { objectId: number }> = [];
  try {
    for (const objectId of options.objectIds) {
      const index = cache.manifest.objectIds.indexOf(objectId);
      if (index < 0) {
        throw new MacnetError(
          `Object ${objectId} is not among model ${modelId}'s dataset objects with ${stored.architecture}'s inputs`,
          "OBJECT_NOT_IN_DATASET",
        );
      }
      const batch = readBatch(cache, [index], shapes);
      const probabilities = (model.predict(batch.xs) as tf.Tensor).dataSync();
      const predicted = argmax(Array.from(probabilities));
      const classIndex = options.targetClass ? CLASSES.indexOf(options.targetClass as never) : predicted;
      const targetClass = CLASSES[classIndex] as ObjectClass;
      const maps = gradCam(model, batch.xs, [...targets], classIndex);
      tf.dispose([...batch.xs, batch.ys]);
      const strips = await prisma.spectrum2D.findMany({ where: { objectId } });
      for (const [i, target] of targets.entries()) {
        const map = maps[i] as { shape: number[]; values: number[] };
        const entry: GradCamMap & { objectId: number } = {
          objectId,
          target,
          targetClass,
          shape: map.shape,
          values: map.values,
        };
        if (target !== "IMAGE") {
          // Along the wavelength axis: one value per column of the last convolution, each covering
          // window / columns strip pixels; wavelengths from the strip's own polynomial.
          const [start, end] = windows[target] as [number, number];
          const columns = map.shape[1] as number;
          entry.shape = [columns];
          entry.values = map.values.slice(0, columns);
          const strip = strips.find((s) => s.arm === target);
          const pixelsPerColumn = (Math.floor((end - start) / bin) * bin) / columns;
          if (strip) {
            entry.wavelengthAngstrom = Array.from({ length: columns }, (_, j) =>
              polynomial(strip.wavelengthCoeffs, start + (j + 0.5) * pixelsPerColumn),
            );
          }
        }
        await prisma.activationMap.upsert({
          where: { modelId_objectId_target_targetClass: { modelId, objectId, target, targetClass } },
          create: {
            modelId,
            objectId,
            target,
            targetClass,
            shape: entry.shape,
            values: Buffer.from(new Float32Array(entry.values).buffer),
            wavelengthAngstrom: entry.wavelengthAngstrom
              ? Buffer.from(new Float32Array(entry.wavelengthAngstrom).buffer)
              : null,
          },
          update: {
            shape: entry.shape,
            values: Buffer.from(new Float32Array(entry.values).buffer),
            wavelengthAngstrom: entry.wavelengthAngstrom
              ? Buffer.from(new Float32Array(entry.wavelengthAngstrom).buffer)
              : null,
            createdAt: new Date(),
          },
        });
        result.push(entry);
      }
    }
  } finally {
    model.dispose();
  }
  return { modelId, maps: result };
}
