import { describe, expect, it } from "vitest";
import { chooseProjection, destination, hammer, separationDeg, tangentPlane } from "./projections";

const at = (p: [number, number] | null) => p as [number, number];

describe("Hammer projection", () => {
  const h = hammer();

  it("puts RA 180° at the centre with RA increasing to the left, and the poles on the axis", () => {
    expect(at(h.project(180, 0))[0]).toBeCloseTo(0, 12);
    expect(at(h.project(190, 0))[0]).toBeLessThan(at(h.project(170, 0))[0]);
    expect(at(h.project(359.9, 0))[0]).toBeCloseTo(h.bounds.xMin, 2);
    expect(at(h.project(0.1, 0))[0]).toBeCloseTo(h.bounds.xMax, 2);
    expect(at(h.project(42, 90))).toEqual([expect.closeTo(0, 9), expect.closeTo(Math.SQRT2, 9)]);
  });

  it("is equal-area: a small patch covers the same projected area wherever it is", () => {
    const area = (ra: number, dec: number, d = 0.01) => {
      const [a, b, c] = [h.project(ra, dec), h.project(ra + d, dec), h.project(ra, dec + d)].map(at) as [
        [number, number],
        [number, number],
        [number, number],
      ];
      const cross = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
      return cross / (Math.cos((dec * Math.PI) / 180) * d * d);
    };
    const reference = area(180, 0);
    for (const [ra, dec] of [
      [30, 60],
      [300, -75],
      [100, 20],
      [5, -10],
    ] as const) {
      expect(area(ra, dec) / reference).toBeCloseTo(1, 3);
    }
  });
});

describe("tangent plane", () => {
  it("draws a cone around its centre as a circle of radius tan(r), at any declination", () => {
    for (const [ra, dec] of [
      [150, 2],
      [0.5, -5],
      [210, 72],
      [10, -88],
    ] as const) {
      const t = tangentPlane(ra, dec, 2);
      for (let k = 0; k < 16; k++) {
        const angle = (k / 16) * 2 * Math.PI;
        const [x, y] = at(t.project(...destination(ra, dec, 1, (angle * 180) / Math.PI)));
        expect(Math.hypot(x, y)).toBeCloseTo(Math.tan(Math.PI / 180), 12);
        // East (position angle 90°) is to the left.
        if (k === 4) expect(x).toBeLessThan(0);
      }
    }
  });

  it("hides the far hemisphere", () => {
    expect(tangentPlane(0, 0, 5).project(180, 0)).toBeNull();
  });
});

describe("choosing the view", () => {
  const points = (pairs: [number, number][]) => Float32Array.from(pairs.flat());

  it("uses a small cone's tangent plane, a tight cluster's (across RA 0), and the whole sky otherwise", () => {
    expect(chooseProjection(points([]), { raDeg: 150, decDeg: 2, radiusDeg: 1.5 })).toMatchObject({
      kind: "tangent",
      centre: { raDeg: 150, decDeg: 2 },
    });
    const cluster = chooseProjection(
      points([
        [359, 10],
        [1, 11],
        [0.5, 9],
      ]),
    );
    expect(cluster.kind).toBe("tangent");
    expect(separationDeg(cluster.centre?.raDeg ?? 99, cluster.centre?.decDeg ?? 99, 0.17, 10)).toBeLessThan(0.5);
    expect(
      chooseProjection(
        points([
          [10, 0],
          [200, 40],
        ]),
      ).kind,
    ).toBe("hammer");
    expect(chooseProjection(points([[10, 0]]), { raDeg: 0, decDeg: 0, radiusDeg: 60 }).kind).toBe("hammer");
  });
});
