import { describe, expect, it } from "vitest";
import { classificationMetrics } from "./evaluate.ts";

describe("classificationMetrics", () => {
  it("computes the confusion matrix and per-class precision, recall, F1 and support", () => {
    // truth:     G G G G Q Q S S S S
    // predicted: G G Q S Q G S S S S
    const truth = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2];
    const predicted = [0, 0, 1, 2, 1, 0, 2, 2, 2, 2];
    const m = classificationMetrics(truth, predicted);
    expect(m.classOrder).toEqual(["GALAXY", "QSO", "STAR"]);
    expect(m.confusionMatrix).toEqual([
      [2, 1, 1],
      [1, 1, 0],
      [0, 0, 4],
    ]);
    expect(m.accuracy).toBeCloseTo(0.7, 10);
    expect(m.perClass.GALAXY).toEqual({
      precision: 2 / 3,
      recall: 0.5,
      f1: (2 * (2 / 3) * 0.5) / (2 / 3 + 0.5),
      support: 4,
    });
    expect(m.perClass.QSO).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.perClass.STAR).toEqual({ precision: 0.8, recall: 1, f1: (2 * 0.8) / 1.8, support: 4 });
  });

  it("gives 0, not NaN, for a class never predicted or absent", () => {
    const m = classificationMetrics([0, 0], [0, 0]);
    expect(m.perClass.QSO).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.accuracy).toBe(1);
  });
});
