import { describe, expect, it } from "vitest";
import { linesInRange } from "./astro";
import { layoutLabels, overlapping } from "./markers";

describe("marker labels", () => {
  it("places close lines' labels in separate rows, inside the plot, never overlapping", () => {
    // Ca K and Ca H are 35 Å apart: a few pixels at a whole arm's scale.
    const lines = linesInRange(3700, 5900, 0, "GALAXY");
    const pxPerAngstrom = 600 / 2200;
    const items = lines.map((line) => ({
      x: 40 + (line.x - 3700) * pxPerAngstrom,
      label: line.label,
      width: line.label.length * 6.5,
    }));
    const placed = layoutLabels(items, { left: 40, right: 640 });
    expect(overlapping(placed)).toBe(false);
    for (const box of placed) {
      expect(box.left).toBeGreaterThanOrEqual(40);
      expect(box.right).toBeLessThanOrEqual(640);
    }
    const labels = placed.map((box) => box.label);
    expect(labels).toContain("Ca K");
    expect(labels).toContain("Ca H");
    expect(new Set(placed.map((box) => box.row)).size).toBeGreaterThan(1);
  });

  it("puts a label at the right edge to the left of its line", () => {
    const [box] = layoutLabels([{ x: 98, label: "Hα", width: 20 }], { left: 0, right: 100 });
    expect(box).toMatchObject({ anchor: "end", right: 95, left: 75 });
  });

  it("leaves a label out rather than overlap when every row is taken", () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ x: 10 + i, label: `L${i}`, width: 30 }));
    const placed = layoutLabels(items, { left: 0, right: 200 }, { rows: 3 });
    expect(placed.length).toBeLessThan(5);
    expect(overlapping(placed)).toBe(false);
  });
});

describe("lines by class", () => {
  it("marks a QSO's broad emission lines at its redshift and a star's absorption lines at rest", () => {
    const qso = linesInRange(3700, 9000, 2.0, "QSO");
    // Lyα (3647 Å at z = 2) is just blue of the range.
    expect(qso.map((l) => l.label)).toEqual(["N V", "Si IV", "C IV", "C III]", "Mg II"]);
    expect(qso.every((l) => l.kind === "emission")).toBe(true);
    expect(qso[0]?.x).toBeCloseTo(1240.1 * 3, 6);
    const star = linesInRange(3700, 9000, 0, "STAR");
    expect(star.map((l) => l.label)).toContain("Hα");
    expect(star.every((l) => l.kind === "absorption")).toBe(true);
    expect(star.map((l) => l.label)).not.toContain("[O III]");
  });
});
