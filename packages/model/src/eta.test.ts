import { describe, expect, it } from "vitest";
import { remainingSeconds } from "./fit.ts";

describe("training ETA from measured epoch times", () => {
  it("is unknown before anything is measured", () => {
    expect(remainingSeconds([], { epoch: 1, epochs: 10, batch: 0, batches: 20, elapsedMs: 0 })).toBeUndefined();
  });

  it("extrapolates the first epoch's batches until an epoch has ended", () => {
    // 5 of 20 batches in 2 s: 6 s left in this epoch, then 9 epochs of 8 s.
    const eta = remainingSeconds([], { epoch: 1, epochs: 10, batch: 5, batches: 20, elapsedMs: 2000 });
    expect(eta).toBeCloseTo(6 + 9 * 8, 9);
  });

  it("uses the mean of the last five measured epochs once there are some", () => {
    const history = [100_000, 10_000, 10_000, 10_000, 12_000, 8_000].map((durationMs) => ({ durationMs }));
    // Epoch 7 of 10, 4 s into it: 6 s left of it (mean 10 s), then 3 epochs.
    expect(remainingSeconds(history, { epoch: 7, epochs: 10, batch: 3, batches: 9, elapsedMs: 4000 })).toBeCloseTo(
      6 + 30,
      9,
    );
    // At the end of the last epoch, nothing is left.
    expect(remainingSeconds(history, { epoch: 10, epochs: 10, batch: 9, batches: 9, elapsedMs: 10_000 })).toBe(0);
  });
});
