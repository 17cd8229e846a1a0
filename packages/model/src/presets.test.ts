import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "./architectures.ts";
import { checkConfigOverrides, unknownConfigFields } from "./config.ts";
import { weightedCrossEntropy } from "./fit.ts";
import { applyPreset, PRESET_NAMES, TRAINING_PRESETS } from "./presets.ts";

describe("training presets", () => {
  it("fill what is not set, keep what is, and refuse an architecture they are not for", () => {
    const recipe = applyPreset("sdss-cutouts", "IMAGE_NET", { epochs: 3, learningRate: undefined });
    expect(recipe).toMatchObject({ ...TRAINING_PRESETS["sdss-cutouts"].recipe, epochs: 3, preset: "sdss-cutouts" });
    expect(() => applyPreset("sdss-cutouts", "C_NET", {})).toThrow(/Preset 'sdss-cutouts' is for IMAGE_NET, not C_NET/);
    expect(() => applyPreset("nope", "IMAGE_NET", {})).toThrow(/No training preset 'nope' \(presets: sdss-cutouts\)/);
  });

  it("name model configurations that resolve", () => {
    for (const name of PRESET_NAMES) {
      const preset = TRAINING_PRESETS[name];
      const config = resolveConfig(preset.recipe.compact ? "compact" : "full", preset.config);
      expect(config.size).toBe(preset.recipe.compact ? "compact" : "full");
      expect(preset.recipe.warmupEpochs).toBeLessThan(preset.recipe.epochs);
    }
  });
});

describe("label smoothing", () => {
  const loss = (smoothing: number, label: number, p: number[], weights = [1, 1, 1]) =>
    tf.tidy(
      () =>
        (
          weightedCrossEntropy(weights, smoothing)(
            tf.oneHot(tf.tensor1d([label], "int32"), 3),
            tf.tensor2d([p]),
          ) as tf.Tensor
        ).dataSync()[0],
    ) as number;

  it("is the weighted cross-entropy without it, and aims at (1 − ε) on the label and ε/3 elsewhere with it", () => {
    const p = [0.7, 0.2, 0.1];
    expect(loss(0, 0, p, [2, 1, 1])).toBeCloseTo(-2 * Math.log(0.7), 5);
    const e = 0.1;
    const expected = -((1 - e + e / 3) * Math.log(0.7) + (e / 3) * Math.log(0.2) + (e / 3) * Math.log(0.1));
    expect(loss(e, 0, p)).toBeCloseTo(expected, 5);
    // The labelled class's weight scales the whole smoothed term.
    expect(loss(e, 0, p, [3, 1, 1])).toBeCloseTo(3 * expected, 5);
    // With smoothing, certainty costs more than a little doubt.
    expect(loss(e, 0, [0.9999, 0.00005, 0.00005])).toBeGreaterThan(loss(e, 0, [0.93, 0.035, 0.035]));
  });
});

describe("model configuration overrides", () => {
  it("name the fields the configuration does not have, and refuse bad values by field", () => {
    expect(
      unknownConfigFields({ dropout: 0.2, image: { stemStride: 1, stemstride: 1, inception: { b9: 1 } } }),
    ).toEqual(["image.stemstride", "image.inception.b9"]);
    expect(() => checkConfigOverrides({ imageScaling: "asinh", image: { stemStride: 1 } })).not.toThrow();
    expect(() => checkConfigOverrides({ image: { stemstride: 1 } }, "--model-config")).toThrow(
      /--model-config: no model configuration field image.stemstride/,
    );
    expect(() => checkConfigOverrides({ imageScaling: "log" })).toThrow(
      /modelConfig: invalid model config: imageScaling/,
    );
  });
});
