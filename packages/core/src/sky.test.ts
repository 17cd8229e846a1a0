import { describe, expect, it } from "vitest";
import { coneRaRanges, zoneOf, zonesBetween } from "./sky.ts";

describe("sky zones", () => {
  it("numbers zones of 0.1° by floor, as the index expression does, poles included", () => {
    expect([zoneOf(0), zoneOf(0.0999), zoneOf(0.1), zoneOf(-0.0001), zoneOf(-90), zoneOf(90)]).toEqual([
      0, 0, 1, -1, -900, 900,
    ]);
  });

  it("lists every zone a band crosses, clamped to the sky", () => {
    expect(zonesBetween(19.99, 20.01)).toEqual([199, 200]);
    expect(zonesBetween(89.95, 91)).toEqual([899, 900]);
    expect(zonesBetween(-91, -89.85)).toEqual([-900, -899]);
    expect(zonesBetween(10.05, 10.06)).toEqual([100]);
  });

  it("bounds a cone's RA by its widest extent, split at 0/360, unbounded round a pole", () => {
    const [[from, to]] = coneRaRanges(180, 60, 1) as [[number, number]];
    // asin(sin 1° / cos 60°): about 2.0003° either side.
    expect(to - 180).toBeCloseTo(2.00031, 4);
    expect(180 - from).toBeCloseTo(2.00031, 4);
    expect(coneRaRanges(359.5, 0, 1)).toEqual([
      [358.5, 360],
      [0, expect.closeTo(0.5, 9)],
    ]);
    expect(coneRaRanges(0.5, 0, 1)).toEqual([
      [expect.closeTo(359.5, 9), 360],
      [0, 1.5],
    ]);
    expect(coneRaRanges(10, 89.5, 1)).toBeNull();
  });
});
