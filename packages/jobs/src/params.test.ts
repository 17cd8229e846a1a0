import { TRAINING_PRESETS } from "@macnet/model/names";
import { describe, expect, it } from "vitest";
import { fillPreset, ZJobParams } from "./params.ts";

describe("a training job's preset", () => {
  it("fills every parameter left out, keeps what was given, and is recorded", () => {
    const params = ZJobParams.parse(
      fillPreset({ kind: "TRAIN", arch: "IMAGE_NET", datasetId: 4, preset: "sdss-cutouts", epochs: 5 }),
    );
    const { classWeights, ...recipe } = TRAINING_PRESETS["sdss-cutouts"].recipe;
    expect(params).toMatchObject({ ...recipe, classWeights, epochs: 5, preset: "sdss-cutouts" });
  });

  it("is refused for an architecture it is not for, and when unknown, naming the field", () => {
    const other = ZJobParams.safeParse(
      fillPreset({ kind: "TRAIN", arch: "C_NET", datasetId: 4, preset: "sdss-cutouts" }),
    );
    expect(other.success).toBe(false);
    expect(other.error?.issues[0]?.path).toEqual(["preset"]);
    const unknown = ZJobParams.safeParse(
      fillPreset({ kind: "TRAIN", arch: "IMAGE_NET", datasetId: 4, preset: "nope" }),
    );
    expect(unknown.error?.issues[0]?.path).toEqual(["preset"]);
  });

  it("leaves jobs without one as they were", () => {
    const input = { kind: "TRAIN" as const, arch: "C_NET" as const, datasetId: 4 };
    expect(fillPreset(input)).toBe(input);
    expect(ZJobParams.parse(input)).toMatchObject({ optimizer: "adagrad", shiftPx: 0, labelSmoothing: 0 });
  });
});
