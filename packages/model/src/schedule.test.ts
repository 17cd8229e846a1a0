import { describe, expect, it } from "vitest";
import { learningRateAt } from "./fit.ts";

describe("learning-rate schedules", () => {
  it("keeps the rate constant by default, and warms up linearly to it", () => {
    expect([1, 2, 10].map((e) => learningRateAt(0.01, e, 10, "constant", 0))).toEqual([0.01, 0.01, 0.01]);
    expect([1, 2, 3, 4].map((e) => learningRateAt(0.01, e, 10, "constant", 2))).toEqual([0.005, 0.01, 0.01, 0.01]);
  });

  it("decays along a half cosine after the warm-up, from the full rate to near zero", () => {
    const rates = Array.from({ length: 10 }, (_, i) => learningRateAt(1, i + 1, 10, "cosine", 2));
    expect(rates.slice(0, 3)).toEqual([0.5, 1, 1]);
    for (let i = 3; i < 10; i++) expect(rates[i] as number).toBeLessThan(rates[i - 1] as number);
    expect(rates[9]).toBeCloseTo((1 + Math.cos((Math.PI * 7) / 8)) / 2, 12);
    expect(learningRateAt(1, 7, 10, "cosine", 2)).toBeCloseTo(0.5, 12); // halfway through the decay
  });
});
