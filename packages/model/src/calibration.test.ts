import { lcg } from "@macnet/core";
import { describe, expect, it } from "vitest";
import { applyTemperature, fitTemperature, reliability } from "./calibration.ts";

/** A seeded generator, so the synthetic classifier is the same on every run. */
const random = lcg;

/**
 * An over-confident classifier: right 70 % of the time, yet giving its answer about 0.97. Its
 * probabilities are softmax(logits × 3) of a calibrated model's.
 */
function overconfident(n: number) {
  const next = random(3);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = Math.floor(next() * 3);
    const right = next() < 0.7;
    const predicted = right ? label : (label + 1 + Math.floor(next() * 2)) % 3;
    const calibrated = [0.15, 0.15, 0.15];
    calibrated[predicted] = 0.7;
    rows.push(applyTemperature(calibrated, 1 / 3));
    labels.push(label);
  }
  return { rows, labels };
}

describe("temperature scaling", () => {
  it("leaves probabilities unchanged at T = 1, softens them above and never changes the winner", () => {
    const p = [0.7, 0.2, 0.1];
    expect(applyTemperature(p, 1).map((v) => Number(v.toFixed(12)))).toEqual(p);
    const soft = applyTemperature(p, 2);
    expect(soft[0]).toBeLessThan(0.7);
    expect(soft.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(soft.indexOf(Math.max(...soft))).toBe(0);
  });

  it("finds the temperature that undoes over-confidence and cuts the calibration error", () => {
    const { rows, labels } = overconfident(3000);
    const before = reliability(rows, labels);
    const temperature = fitTemperature(rows, labels);
    expect(temperature).toBeGreaterThan(2.5);
    expect(temperature).toBeLessThan(3.5);
    const after = reliability(
      rows.map((row) => applyTemperature(row, temperature)),
      labels,
    );
    expect(before.ece).toBeGreaterThan(0.2);
    expect(after.ece).toBeLessThan(0.03);
    // The bins hold every object; the populated one says 0.7 is right about 70 % of the time.
    expect(after.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(3000);
    const main = after.bins.reduce((best, bin) => (bin.count > best.count ? bin : best));
    expect(main.confidence).toBeCloseTo(0.7, 1);
    expect(main.accuracy).toBeCloseTo(0.7, 1);
  });

  it("is 1 with fewer than 20 labels, stays within [0.25, 10], and ignores unlabelled rows", () => {
    expect(fitTemperature([[0.9, 0.05, 0.05]], [0])).toBe(1);
    // A split the model gets right at 0.5 every time would want T → 0; the bound holds it.
    const separable = Array.from({ length: 30 }, (_, i) => {
      const row = [0.25, 0.25, 0.25];
      row[i % 3] = 0.5;
      return row;
    });
    expect(
      fitTemperature(
        separable,
        separable.map((_, i) => i % 3),
      ),
    ).toBeCloseTo(0.25, 2);
    const { rows, labels } = overconfident(500);
    const withUnlabelled = fitTemperature([...rows, [0.99, 0.005, 0.005]], [...labels, -1]);
    expect(withUnlabelled).toBe(fitTemperature(rows, labels));
  });
});
