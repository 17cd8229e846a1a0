import { describe, expect, it } from "vitest";
import { CLASS_COLORS, dataRange, formatNumber, UNLABELLED_COLOR } from "./astro";

// Colour-vision deficiency simulation (Machado, Oliveira & Fernandes 2009, severity 1, linear RGB)
// and CIE L*a*b* distances: the sky map's class colours must stay apart for every reader.
const CVD: Record<string, number[][]> = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

const linear = (hex: string) =>
  [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });

function lab(rgb: number[]): number[] {
  const [r, g, b] = rgb.map((c) => Math.min(1, Math.max(0, c))) as [number, number, number];
  const xyz = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ].map((t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116)) as [number, number, number];
  return [116 * xyz[1] - 16, 500 * (xyz[0] - xyz[1]), 200 * (xyz[1] - xyz[2])];
}

const seenAs = (hex: string, matrix: number[][]) => {
  const rgb = linear(hex);
  return lab(matrix.map((row) => row.reduce((sum, m, k) => sum + m * (rgb[k] as number), 0)));
};

const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - (b[i] as number)));

describe("class colours", () => {
  const colours = { ...CLASS_COLORS, unlabelled: UNLABELLED_COLOR };
  const entries = Object.entries(colours);

  it.each(Object.keys(CVD))("stay at least ΔE 25 apart, and 20 from the map's background, for %s", (vision) => {
    const matrix = CVD[vision] as number[][];
    for (const [i, [nameA, a]] of entries.entries()) {
      expect(distance(seenAs(a, matrix), seenAs("#FFFFFF", matrix)), `${nameA} on white`).toBeGreaterThan(20);
      for (const [nameB, b] of entries.slice(i + 1)) {
        expect(distance(seenAs(a, matrix), seenAs(b, matrix)), `${nameA} vs ${nameB}`).toBeGreaterThan(25);
      }
    }
  });

  it("would have caught a confusable pair (red and green for a deuteranope)", () => {
    const d = distance(
      seenAs("#D55E00", CVD.deuteranopia as number[][]),
      seenAs("#6A9A00", CVD.deuteranopia as number[][]),
    );
    expect(d).toBeLessThan(25);
  });
});

describe("formatNumber", () => {
  it("shows a value that rounds to zero without a minus sign, and everything else as toFixed", () => {
    expect(formatNumber(-0.00001, 4)).toBe("0.0000");
    expect(formatNumber(-0, 0)).toBe("0");
    expect(formatNumber(-0.00006, 4)).toBe("-0.0001");
    expect(formatNumber(1.23456)).toBe("1.235");
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber(Number.NaN)).toBe("—");
  });
});

describe("dataRange", () => {
  it("spans the pixels with data, not the grid's padding", () => {
    const wavelength = [3700, 3800, 3900, 4000, 4100, 9100];
    expect(dataRange(wavelength, [0, 1, 2, 0, 3, 0])).toEqual([3800, 4100]);
    expect(dataRange(wavelength, [0, 0, 0, 0, 0, 0])).toEqual([0, 0]);
  });
});
