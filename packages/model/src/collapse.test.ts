import { describe, expect, it } from "vitest";
import { COLLAPSE_EPOCHS, CollapseWatch } from "./collapse.ts";

const allQso = [
  [0.2, 0.6, 0.2],
  [0.1, 0.5, 0.4],
  [0.3, 0.4, 0.3],
];
const mixed = [
  [0.7, 0.2, 0.1],
  [0.1, 0.5, 0.4],
  [0.1, 0.2, 0.7],
];

describe("collapse watch", () => {
  it(`warns once when every validation prediction is one class for ${COLLAPSE_EPOCHS} epochs in a row`, () => {
    const watch = new CollapseWatch();
    const said: (string | null)[] = [];
    for (let epoch = 1; epoch <= COLLAPSE_EPOCHS + 3; epoch++) said.push(watch.observe(epoch, allQso));
    expect(said.slice(0, COLLAPSE_EPOCHS - 1)).toEqual(Array(COLLAPSE_EPOCHS - 1).fill(null));
    expect(said[COLLAPSE_EPOCHS - 1]).toMatch(
      new RegExp(
        `^collapsed: every validation object was predicted QSO for ${COLLAPSE_EPOCHS} epochs in a row \\(epochs 1–${COLLAPSE_EPOCHS}\\)`,
      ),
    );
    expect(said.slice(COLLAPSE_EPOCHS).every((s) => s === null)).toBe(true);
  });

  it("does not warn when the run recovers, or when the single class changes", () => {
    const watch = new CollapseWatch();
    const epochs = [allQso, allQso, allQso, allQso, mixed, allQso, allQso, allQso, allQso];
    expect(epochs.map((p, i) => watch.observe(i + 1, p)).every((s) => s === null)).toBe(true);
    const switching = new CollapseWatch();
    const allStar = allQso.map(([g, q, s]) => [g as number, s as number, q as number].reverse());
    const alternating = [allQso, allStar, allQso, allStar, allQso, allStar];
    expect(alternating.map((p, i) => switching.observe(i + 1, p)).every((s) => s === null)).toBe(true);
  });
});
