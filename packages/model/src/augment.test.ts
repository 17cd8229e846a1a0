import { seededUniform } from "@macnet/core";
import { describe, expect, it } from "vitest";
import { dihedral, imageInput, shift } from "./inputs.ts";

describe("image augmentation by the square's symmetries", () => {
  // A 3 × 3 image with 2 channels, every pixel different.
  const n = 3;
  const channels = 2;
  const image = Float32Array.from({ length: n * n * channels }, (_, i) => i);
  const turn = (k: number) => {
    const out = new Float32Array(image.length);
    dihedral(image, n, channels, k, out);
    return out;
  };
  const pixel = (data: Float32Array, y: number, x: number) => [
    data[(y * n + x) * channels],
    data[(y * n + x) * channels + 1],
  ];

  it("gives the 8 distinct rotations and mirror images, each moving whole pixels", () => {
    expect(Array.from(turn(0))).toEqual(Array.from(image));
    const all = new Set(Array.from({ length: 8 }, (_, k) => Array.from(turn(k)).join(",")));
    expect(all.size).toBe(8);
    for (let k = 0; k < 8; k++) {
      const out = turn(k);
      // A permutation of pixels: the same multiset of values, channels kept together.
      expect([...out].sort((a, b) => a - b)).toEqual([...image].sort((a, b) => a - b));
      for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) expect((pixel(out, y, x)[0] as number) % 2).toBe(0);
      // The centre of an odd-sized square never moves.
      expect(pixel(out, 1, 1)).toEqual(pixel(image, 1, 1));
    }
    // k = 1 is a quarter turn: four of them bring the image back.
    let data = image;
    for (let i = 0; i < 4; i++) {
      const next = new Float32Array(image.length);
      dihedral(data, n, channels, 1, next);
      data = next;
    }
    expect(Array.from(data)).toEqual(Array.from(image));
  });

  it("draws every symmetry about equally often from a seeded source, the same for the same seed", () => {
    const counts = Array(8).fill(0);
    const random = seededUniform(42);
    for (let i = 0; i < 8000; i++) counts[Math.floor(random() * 8)]++;
    for (const count of counts) expect(count).toBeGreaterThan(850);
    const [a, b] = [seededUniform(7), seededUniform(7)];
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe("image shifts", () => {
  const n = 4;
  const channels = 2;
  const image = Float32Array.from({ length: n * n * channels }, (_, i) => i);
  const at = (data: Float32Array, y: number, x: number) => [
    data[(y * n + x) * channels],
    data[(y * n + x) * channels + 1],
  ];
  const moved = (dx: number, dy: number) => {
    const out = new Float32Array(image.length);
    shift(image, n, channels, dx, dy, out);
    return out;
  };

  it("moves whole pixels, channels together, and fills from the nearest edge", () => {
    expect(Array.from(moved(0, 0))).toEqual(Array.from(image));
    const right = moved(1, 0);
    for (let y = 0; y < n; y++) {
      for (let x = 1; x < n; x++) expect(at(right, y, x)).toEqual(at(image, y, x - 1));
      expect(at(right, y, 0)).toEqual(at(image, y, 0)); // the column that came in: the old edge
    }
    const up = moved(0, -2);
    for (let x = 0; x < n; x++) {
      expect(at(up, 0, x)).toEqual(at(image, 2, x));
      expect(at(up, 1, x)).toEqual(at(image, 3, x));
      expect(at(up, 3, x)).toEqual(at(image, 3, x));
    }
  });
});

describe("image inputs", () => {
  const size = 16;
  // Sky of 20, 30, 10 bytes in R, G, B; one bright pixel in the middle; one dark pixel (noise below the sky).
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) rgb.set([20, 30, 10], i * 3);
  const middle = (8 * size + 8) * 3;
  rgb.set([255, 200, 60], middle);
  rgb.set([12, 30, 10], (2 * size + 2) * 3);

  it("linear: bytes to [-1, 1]", () => {
    const input = imageInput(rgb, size);
    expect(input[middle]).toBeCloseTo(1, 6);
    expect(input[0]).toBeCloseTo(20 / 127.5 - 1, 6);
  });

  it("asinh: each channel's sky subtracted, the rest compressed on one scale", () => {
    const input = imageInput(rgb, size, "asinh");
    expect(input[0]).toBe(0);
    expect(input[1]).toBe(0);
    expect(input[middle]).toBeCloseTo(Math.asinh((255 - 20) / 4) / 3, 6);
    expect(input[middle + 1]).toBeCloseTo(Math.asinh((200 - 30) / 4) / 3, 6);
    expect(input[middle + 2]).toBeCloseTo(Math.asinh((60 - 10) / 4) / 3, 6);
    expect(input[(2 * size + 2) * 3]).toBeCloseTo(Math.asinh(-8 / 4) / 3, 6);
    expect(() => imageInput(rgb.subarray(3), size, "asinh")).toThrow(/expected 16×16×3/);
  });
});
