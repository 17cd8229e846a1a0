// Preprocessing of each input (docs/model.md): strips cut to the dataset's pixel window, the central
// rows kept, binned 4:1 for compact models, z-scored per sample; cutouts x/127.5 − 1; 1D spectra
// resampled onto a fixed log-wavelength grid and z-scored; and the image augmentation (the square's
// 8 symmetries).

/** The 1D grid: log-spaced between the wavelengths LAMOST and SDSS both cover well. */
export const SPECTRUM_GRID_ANGSTROM: [number, number] = [3900, 8900];

/** In place: (x − mean) / std over the whole sample (std 0 → 1). */
export function zScore(values: Float32Array): Float32Array {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / values.length) || 1;
  for (let i = 0; i < values.length; i++) values[i] = ((values[i] as number) - mean) / std;
  return values;
}

/**
 * A strip's network input: the central `rows` rows, pixels [start, end) along the dispersion axis,
 * averaged in bins of `bin` pixels, z-scored. `data` is `height` rows × `length` pixels.
 */
export function stripInput(
  data: Float32Array,
  height: number,
  length: number,
  window: [number, number],
  rows: number,
  bin: number,
): Float32Array {
  const [start, end] = window;
  if (end > length) throw new Error(`window ${start}:${end} is beyond the strip's ${length} pixels`);
  if (height < rows) throw new Error(`strip has ${height} rows, the network needs ${rows}`);
  const first = Math.floor((height - rows) / 2);
  const width = Math.floor((end - start) / bin);
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const row = (first + r) * length + start;
    for (let c = 0; c < width; c++) {
      let sum = 0;
      for (let k = 0; k < bin; k++) sum += data[row + c * bin + k] as number;
      out[r * width + c] = sum / bin;
    }
  }
  return zScore(out);
}

/** A 1D spectrum on `n` log-spaced wavelengths (linear interpolation; no coverage → 0), z-scored. */
export function spectrumInput(wavelength: Float32Array, flux: Float32Array, n: number): Float32Array {
  const [lo, hi] = SPECTRUM_GRID_ANGSTROM;
  const out = new Float32Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const w = lo * (hi / lo) ** (i / (n - 1));
    while (j < wavelength.length - 2 && (wavelength[j + 1] as number) < w) j++;
    const w0 = wavelength[j] as number;
    const w1 = wavelength[j + 1] as number;
    if (w < w0 || w > w1 || !Number.isFinite(w0) || !Number.isFinite(w1)) continue;
    const t = (w - w0) / (w1 - w0 || 1);
    const value = (flux[j] as number) * (1 - t) + (flux[j + 1] as number) * t;
    out[i] = Number.isFinite(value) ? value : 0;
  }
  return zScore(out);
}

/** How a cutout's bytes become the network's input (`ModelConfig.imageScaling`). */
export type ImageScaling = "linear" | "asinh";

/** asinh scaling: bytes above the sky per unit of the argument, and the divisor of the result. */
const ASINH_SOFTENING = 4;
const ASINH_DIVISOR = 3;

/**
 * A cutout's network input from interleaved RGB bytes. `linear` (the default): x / 127.5 − 1.
 * `asinh`: each channel's sky level (the median of the outer eighth of the cutout on each side) is
 * subtracted and the rest compressed, asinh((x − sky) / 4) / 3: a faint object's few bytes above
 * the sky and a bright star's core end up within a few units of each other, and one scale for all
 * channels keeps the colours.
 */
export function imageInput(rgb: Uint8Array, size: number, scaling: ImageScaling = "linear"): Float32Array {
  if (rgb.length !== size * size * 3) throw new Error(`cutout has ${rgb.length} bytes, expected ${size}×${size}×3`);
  const out = new Float32Array(rgb.length);
  if (scaling === "linear") {
    for (let i = 0; i < rgb.length; i++) out[i] = (rgb[i] as number) / 127.5 - 1;
    return out;
  }
  const border = Math.max(1, Math.floor(size / 8));
  for (let c = 0; c < 3; c++) {
    const histogram = new Uint32Array(256);
    let count = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (y >= border && y < size - border && x >= border && x < size - border) continue;
        const value = rgb[(y * size + x) * 3 + c] as number;
        histogram[value] = (histogram[value] as number) + 1;
        count++;
      }
    }
    let sky = 0;
    for (let seen = 0; sky < 255; sky++) {
      seen += histogram[sky] as number;
      if (seen * 2 >= count) break;
    }
    for (let i = c; i < rgb.length; i += 3) {
      out[i] = Math.asinh(((rgb[i] as number) - sky) / ASINH_SOFTENING) / ASINH_DIVISOR;
    }
  }
  return out;
}

/**
 * One of the 8 symmetries of a square image (rotations by 0/90/180/270° and their mirror images),
 * `k` in 0..7 (0: unchanged), of an n × n × channels image in row-major HWC order, into `out`.
 * Sky images have no preferred orientation: each is as likely as the original.
 */
export function dihedral(image: Float32Array, n: number, channels: number, k: number, out: Float32Array): void {
  const rotations = k & 3;
  const mirror = (k & 4) !== 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let [sy, sx] = [y, mirror ? n - 1 - x : x];
      for (let r = 0; r < rotations; r++) [sy, sx] = [sx, n - 1 - sy];
      const from = (sy * n + sx) * channels;
      const to = (y * n + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = image[from + c] as number;
    }
  }
}

/**
 * `image` (n × n × channels, row-major HWC) moved by `dx` pixels right and `dy` down into `out`;
 * pixels that come in from outside take the value of the nearest edge pixel (sky, for a cutout
 * centred on its object). A cutout's object is not always at its exact centre: small shifts teach
 * the network not to rely on where it is.
 */
export function shift(
  image: Float32Array,
  n: number,
  channels: number,
  dx: number,
  dy: number,
  out: Float32Array,
): void {
  for (let y = 0; y < n; y++) {
    const sy = Math.min(Math.max(y - dy, 0), n - 1);
    for (let x = 0; x < n; x++) {
      const sx = Math.min(Math.max(x - dx, 0), n - 1);
      const from = (sy * n + sx) * channels;
      const to = (y * n + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = image[from + c] as number;
    }
  }
}
