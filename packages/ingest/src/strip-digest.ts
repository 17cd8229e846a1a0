// A strip's summary statistics and content hash, computed where it is read (readers that have the
// pixels at hand sum the statistics as they write them; the rest are computed here).
import { createHash } from "node:crypto";
import type { StripDigest, StripStats } from "./records.ts";

/**
 * Mean, σ, extremes and content hash of a strip: SHA-256 of its pixels, or of `source` when that
 * identifies them; `stats` when the reader computed them already.
 */
export function digestStrip(
  values: Float32Array,
  source?: string,
  stats: StripStats = stripStats(values),
): StripDigest {
  const hash = createHash("sha256")
    .update(source ?? new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest("hex");
  return { ...stats, hash };
}

/** Mean, σ and extremes of pixel values. */
export function stripStats(values: Float32Array): StripStats {
  let sum = 0;
  let squares = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    sum += value;
    squares += value * value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return statsFromSums(sum, squares, min, max, values.length);
}

/** Mean, σ and extremes from the sum, the sum of squares and the extremes of `count` values. */
export function statsFromSums(sum: number, squares: number, min: number, max: number, count: number): StripStats {
  const mean = sum / count;
  return { mean, std: Math.sqrt(Math.max(0, squares / count - mean * mean)), min, max };
}
