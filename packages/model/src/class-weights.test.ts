import { describe, expect, it } from "vitest";
import { resolveClassWeights } from "./class-weights.ts";

describe("class weights", () => {
  it("balances by the training split's class counts: N / (K · n_c)", () => {
    // 10 galaxies, 5 QSOs, 25 stars, and unlabelled samples (-1) that do not count.
    const labels = [...Array(10).fill(0), ...Array(5).fill(1), ...Array(25).fill(2), -1, -1];
    const { weights, mode } = resolveClassWeights("balanced", labels);
    expect(mode).toBe("balanced");
    expect(weights[0]).toBeCloseTo(40 / 30, 6);
    expect(weights[1]).toBeCloseTo(40 / 15, 6);
    expect(weights[2]).toBeCloseTo(40 / 75, 6);
    // Each class then carries the same share of the loss.
    expect(10 * (weights[0] as number)).toBeCloseTo(5 * (weights[1] as number), 4);
    expect(5 * (weights[1] as number)).toBeCloseTo(25 * (weights[2] as number), 4);
  });

  it("is 1:1:1 on a balanced split, and 1 for a class the split lacks", () => {
    expect(resolveClassWeights("balanced", [0, 1, 2, 0, 1, 2]).weights).toEqual([1, 1, 1]);
    expect(resolveClassWeights("balanced", [0, 0, 2, 2]).weights).toEqual([1, 1, 1]);
    expect(resolveClassWeights("balanced", [0, 0, 0, 2]).weights).toEqual([0.666667, 1, 2]);
  });

  it("takes the paper's 1:3:1 by name, and explicit numbers as they are", () => {
    expect(resolveClassWeights("paper", [0, 1, 2])).toEqual({ weights: [1, 3, 1], mode: "paper" });
    expect(resolveClassWeights([2, 1, 0.5], [0, 1, 2])).toEqual({ weights: [2, 1, 0.5], mode: "custom" });
  });
});
