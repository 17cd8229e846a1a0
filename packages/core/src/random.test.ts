import { describe, expect, it } from "vitest";
import { Rng } from "./random.ts";

describe("Rng", () => {
  it("repeats a stream exactly for the same seed and name, and differs across names and seeds", () => {
    const draw = (rng: Rng) => Array.from({ length: 5 }, () => rng.next());
    expect(draw(new Rng(42, "object", 7))).toEqual(draw(new Rng(42, "object", 7)));
    expect(draw(new Rng(42, "object", 7))).not.toEqual(draw(new Rng(42, "object", 8)));
    expect(draw(new Rng(42, "object", 7))).not.toEqual(draw(new Rng(43, "object", 7)));
  });

  it("draws normals and Poisson counts with the right moments", () => {
    const rng = new Rng(1, "moments");
    const normals = Array.from({ length: 40000 }, () => rng.normal(3, 2));
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length;
    expect(mean).toBeCloseTo(3, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(2, 1);
    for (const lambda of [0.5, 4, 25, 400]) {
      const counts = Array.from({ length: 20000 }, () => rng.poisson(lambda));
      const countMean = counts.reduce((a, b) => a + b, 0) / counts.length;
      expect(Math.abs(countMean - lambda) / Math.sqrt(lambda / counts.length)).toBeLessThan(5);
      expect(counts.every((count) => Number.isInteger(count) && count >= 0)).toBe(true);
    }
  });
});
