/**
 * Lupton et al. (2004) asinh stretch: softening Q, stretch α and per-band scales for R ← i, G ← r, B ← g,
 * calibrated on the real SkyServer JPEGs in shared/data/real (sky noise ≈ 5–8 grey levels; quasars,
 * g−r ≈ 0.2 and r−i ≈ 0.15, render neutral). See docs/survey-simulator.md.
 */
export const LUPTON = { q: 8, alpha: 0.65, scales: { i: 0.87, r: 1.0, g: 1.2 } } as const;

/** g, r, i images in nanomaggies, row-major, all the same size. */
export interface BandImages {
  g: ArrayLike<number>;
  r: ArrayLike<number>;
  i: ArrayLike<number>;
}

/** Lupton et al. (2004) asinh colour composite: R ← i, G ← r, B ← g; interleaved 8-bit RGB. */
export function luptonRgb(images: BandImages): Uint8Array {
  const pixels = images.g.length;
  if (images.r.length !== pixels || images.i.length !== pixels) throw new Error("g, r and i images differ in size");
  const rgb = new Uint8Array(pixels * 3);
  for (let k = 0; k < pixels; k++) {
    const r = Math.max(0, (images.i[k] as number) * LUPTON.scales.i);
    const g = Math.max(0, (images.r[k] as number) * LUPTON.scales.r);
    const b = Math.max(0, (images.g[k] as number) * LUPTON.scales.g);
    const intensity = (r + g + b) / 3;
    const stretch = intensity > 0 ? Math.asinh(LUPTON.alpha * LUPTON.q * intensity) / (LUPTON.q * intensity) : 0;
    let channels = [r * stretch, g * stretch, b * stretch];
    const peak = Math.max(...channels);
    if (peak > 1) channels = channels.map((value) => value / peak);
    channels.forEach((value, c) => {
      rgb[k * 3 + c] = Math.round(Math.min(1, Math.max(0, value)) * 255);
    });
  }
  return rgb;
}
