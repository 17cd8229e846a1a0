import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import { DISPERSION_PIXELS } from "../instrument/spectrograph.ts";

/** Writes a grey-scale PNG of `values` (row-major, width × height) with an asinh stretch, enlarged scaleX × scaleY. */
export function writeImagePng(
  path: string,
  values: Float32Array | Float64Array,
  width: number,
  height: number,
  scaleX = 1,
  scaleY = scaleX,
): void {
  const sorted = Float64Array.from(values).sort();
  const low = sorted[Math.floor(sorted.length * 0.01)] as number;
  const high = sorted[Math.floor(sorted.length * 0.999)] as number;
  const soft = Math.max(1e-9, (high - low) / 50);
  const norm = Math.asinh((high - low) / soft);
  const png = new PNG({ width: width * scaleX, height: height * scaleY });
  for (let y = 0; y < height * scaleY; y++) {
    for (let x = 0; x < width * scaleX; x++) {
      const value = values[Math.floor(y / scaleY) * width + Math.floor(x / scaleX)] as number;
      const level = Math.round(255 * Math.min(1, Math.max(0, Math.asinh((value - low) / soft) / norm)));
      const at = (y * width * scaleX + x) * 4;
      png.data[at] = level;
      png.data[at + 1] = level;
      png.data[at + 2] = level;
      png.data[at + 3] = 255;
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

/** Writes an interleaved-RGB image as PNG, enlarged `scale` times (nearest neighbour). */
export function writeRgbPng(path: string, rgb: Uint8Array, width: number, height: number, scale = 4): void {
  const png = new PNG({ width: width * scale, height: height * scale });
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const from = (Math.floor(y / scale) * width + Math.floor(x / scale)) * 3;
      const at = (y * width * scale + x) * 4;
      png.data[at] = rgb[from] as number;
      png.data[at + 1] = rgb[from + 1] as number;
      png.data[at + 2] = rgb[from + 2] as number;
      png.data[at + 3] = 255;
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

/** Plots a spectrum (flux against wavelength) as a dark line on white, with thin ticks at `markers` (Å). */
export function writeSpectrumPng(
  path: string,
  wavelength: Float64Array,
  flux: Float32Array,
  markers: number[] = [],
): void {
  const width = 1200;
  const height = 320;
  const png = new PNG({ width, height });
  png.data.fill(255);
  const finite = Array.from(flux)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const low = Math.min(0, finite[Math.floor(finite.length * 0.005)] ?? 0);
  const high = (finite[Math.floor(finite.length * 0.995)] ?? 1) * 1.1;
  const first = wavelength[0] as number;
  const last = wavelength[wavelength.length - 1] as number;
  const toX = (angstrom: number) => Math.round(((angstrom - first) / (last - first)) * (width - 1));
  const toY = (value: number) => Math.round((1 - (value - low) / (high - low || 1)) * (height - 1));
  const paint = (x: number, y: number, shade: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const at = (y * width + x) * 4;
    png.data[at] = shade[0];
    png.data[at + 1] = shade[1];
    png.data[at + 2] = shade[2];
  };
  for (const marker of markers) for (let y = 0; y < height; y += 3) paint(toX(marker), y, [220, 80, 80]);
  for (let x = 0; x < width; x++) paint(x, toY(0), [180, 180, 180]);
  let previous: [number, number] | undefined;
  for (let i = 0; i < wavelength.length; i++) {
    const point: [number, number] = [
      toX(wavelength[i] as number),
      toY(Math.min(high, Math.max(low, flux[i] as number))),
    ];
    if (previous) {
      const steps = Math.max(Math.abs(point[0] - previous[0]), Math.abs(point[1] - previous[1]), 1);
      for (let s = 0; s <= steps; s++) {
        paint(
          Math.round(previous[0] + ((point[0] - previous[0]) * s) / steps),
          Math.round(previous[1] + ((point[1] - previous[1]) * s) / steps),
          [20, 40, 90],
        );
      }
    }
    previous = point;
  }
  writeFileSync(path, PNG.sync.write(png));
}

/** A window of a frame (rows × columns) around a trace, for a figure. */
export function frameExcerpt(
  adu: Float32Array,
  rows: number,
  centreRow: number,
  firstColumn: number,
  heightRows: number,
  widthColumns: number,
): Float32Array {
  const out = new Float32Array(heightRows * widthColumns);
  const top = Math.max(0, Math.min(rows - heightRows, Math.round(centreRow - heightRows / 2)));
  for (let y = 0; y < heightRows; y++) {
    for (let x = 0; x < widthColumns; x++)
      out[y * widthColumns + x] = adu[(top + y) * DISPERSION_PIXELS + firstColumn + x] as number;
  }
  return out;
}
