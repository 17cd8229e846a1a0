import { describe, expect, it } from "vitest";
import {
  armThroughput,
  DISPERSION_PIXELS,
  dispersionAt,
  nominalSolution,
  pixelAt,
  wavelengthAt,
} from "./spectrograph.ts";

describe("wavelength solutions", () => {
  it("map the paper's pixel windows to the paper's wavelengths", () => {
    const blue = nominalSolution("blue");
    const red = nominalSolution("red");
    expect(wavelengthAt(blue, 1000)).toBeCloseTo(4100, 6);
    expect(wavelengthAt(blue, 3000)).toBeCloseTo(5300, 6);
    expect(wavelengthAt(red, 1500)).toBeCloseTo(6590, 6);
    expect(wavelengthAt(red, 3500)).toBeCloseTo(8120, 6);
    expect(wavelengthAt(blue, 0)).toBeCloseTo(3580, 6);
    expect(wavelengthAt(red, DISPERSION_PIXELS - 1)).toBeCloseTo(8620, 6);
  });

  it("are non-linear, strictly increasing over the detector, and invertible", () => {
    for (const arm of ["blue", "red"] as const) {
      const solution = nominalSolution(arm);
      const dispersions = Array.from({ length: DISPERSION_PIXELS }, (_, x) => dispersionAt(solution, x));
      expect(Math.min(...dispersions)).toBeGreaterThan(0.45);
      expect(Math.max(...dispersions)).toBeLessThan(1.0);
      expect(Math.max(...dispersions) / Math.min(...dispersions)).toBeGreaterThan(1.1);
      for (const x of [0, 517.25, 2048, 4095]) expect(pixelAt(solution, wavelengthAt(solution, x))).toBeCloseTo(x, 6);
    }
  });

  it("splits the light at the dichroic", () => {
    expect(armThroughput("blue", 4800)).toBeGreaterThan(0.1);
    expect(armThroughput("blue", 6500)).toBeLessThan(1e-6);
    expect(armThroughput("red", 7300)).toBeGreaterThan(0.1);
    expect(armThroughput("red", 5000)).toBeLessThan(1e-6);
  });
});
