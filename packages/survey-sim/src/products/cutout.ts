import { Rng } from "@macnet/core";
import { writeFits } from "@macnet/fits";
import jpeg from "jpeg-js";
import { type Band, magnitudeToNanomaggies } from "../physics/photometry.ts";
import type { GalaxyParameters } from "../physics/sources.ts";
import type { SimulatedObject } from "../survey-plan.ts";

/** SDSS ImgCutout geometry as the paper used it: 64 × 64 pixels at SDSS's 0.396″/px. */
export const CUTOUT = { sizePx: 64, pixelScaleArcsec: 0.396, jpegQuality: 75 } as const;
/** Sky noise per pixel in nanomaggies (SDSS-like depth) and electrons per nanomaggy (photon noise). */
const SKY_NOISE_NMGY: Record<Band, number> = { g: 0.07, r: 0.09, i: 0.14 };
const ELECTRONS_PER_NMGY = 900;

/** g, r, i images of one object in nanomaggies, row-major 64 × 64. */
export type BandImages = Record<Band, Float64Array>;

interface Component {
  /** Total flux per band, nanomaggies. */
  flux: Record<Band, number>;
  x: number;
  y: number;
  shape: { kind: "point" } | { kind: "sersic"; n: number; radiusPx: number; axisRatio: number; angleRad: number };
}

/** Renders the object's g, r, i cutout: the object at the centre, occasional neighbours, PSF, sky noise. */
export function renderCutout(options: {
  seed: number;
  object: SimulatedObject;
  magnitudes: Record<Band, number>;
}): BandImages {
  const { object, magnitudes } = options;
  const rng = new Rng(options.seed, "cutout", object.index);
  const size = CUTOUT.sizePx;
  const centre = size / 2 - 0.5;
  const fwhmArcsec = rng.uniform(1.1, 1.8);
  const components: Component[] = [];
  const flux = (mags: Record<Band, number>) => ({
    g: magnitudeToNanomaggies(mags.g),
    r: magnitudeToNanomaggies(mags.r),
    i: magnitudeToNanomaggies(mags.i),
  });
  const x = centre + rng.uniform(-0.5, 0.5);
  const y = centre + rng.uniform(-0.5, 0.5);
  if (object.parameters.kind === "GALAXY") {
    components.push(...galaxyComponents(object.parameters, flux(magnitudes), x, y));
  } else {
    components.push({ flux: flux(magnitudes), x, y, shape: { kind: "point" } });
  }
  const neighbours = rng.chance(0.25) ? rng.int(1, 2) : 0;
  for (let k = 0; k < neighbours; k++) {
    const angle = rng.uniform(0, 2 * Math.PI);
    const distance = rng.uniform(8, 30);
    const r = rng.uniform(17, 22);
    const gr = rng.uniform(0.2, 1.3);
    const ri = rng.uniform(0.05, 0.5);
    const star = rng.chance(0.6);
    components.push({
      flux: flux({ g: r + gr, r, i: r - ri }),
      x: centre + distance * Math.cos(angle),
      y: centre + distance * Math.sin(angle),
      shape: star
        ? { kind: "point" }
        : {
            kind: "sersic",
            n: 1,
            radiusPx: rng.uniform(1.5, 5),
            axisRatio: rng.uniform(0.3, 1),
            angleRad: rng.uniform(0, Math.PI),
          },
    });
  }
  const psf = moffatKernel((fwhmArcsec / CUTOUT.pixelScaleArcsec) * 1.0);
  const images = {} as BandImages;
  for (const band of ["g", "r", "i"] as const) {
    const image = new Float64Array(size * size);
    for (const component of components) {
      if (component.shape.kind === "point") addPoint(image, size, component.x, component.y, component.flux[band], psf);
      else
        addConvolved(
          image,
          size,
          sersicImage(size, component.x, component.y, component.shape),
          component.flux[band],
          psf,
        );
    }
    const noise = new Rng(options.seed, "cutout-noise", object.index, band);
    for (let i = 0; i < image.length; i++) {
      const signal = Math.max(0, image[i] as number);
      image[i] =
        (image[i] as number) + noise.normal(0, Math.sqrt(SKY_NOISE_NMGY[band] ** 2 + signal / ELECTRONS_PER_NMGY));
    }
    images[band] = image;
  }
  return images;
}

function galaxyComponents(galaxy: GalaxyParameters, total: Record<Band, number>, x: number, y: number): Component[] {
  const kpcPerArcsec = angularScaleKpcPerArcsec(galaxy.redshift);
  const toPixels = (kpc: number) => Math.max(0.6, kpc / kpcPerArcsec / CUTOUT.pixelScaleArcsec);
  const angleRad = (galaxy.positionAngleDeg * Math.PI) / 180;
  const part = (fraction: number) => ({ g: total.g * fraction, r: total.r * fraction, i: total.i * fraction });
  return [
    {
      flux: part(galaxy.bulgeToTotal),
      x,
      y,
      shape: {
        kind: "sersic",
        n: 4,
        radiusPx: toPixels(galaxy.bulgeRadiusKpc),
        axisRatio: Math.max(0.7, galaxy.axisRatio),
        angleRad,
      },
    },
    {
      flux: part(1 - galaxy.bulgeToTotal),
      x,
      y,
      shape: { kind: "sersic", n: 1, radiusPx: toPixels(galaxy.diskRadiusKpc), axisRatio: galaxy.axisRatio, angleRad },
    },
  ];
}

/** Kiloparsecs per arcsecond at redshift z (flat ΛCDM, H0 = 70, Ωm = 0.3). */
export function angularScaleKpcPerArcsec(z: number): number {
  const steps = 200;
  let integral = 0;
  for (let k = 0; k <= steps; k++) {
    const zk = (z * k) / steps;
    const weight = k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2;
    integral += weight / Math.sqrt(0.3 * (1 + zk) ** 3 + 0.7);
  }
  const comovingMpc = (299792.458 / 70) * ((integral * z) / steps / 3);
  const angularDiameterKpc = (comovingMpc / (1 + z)) * 1000;
  return (angularDiameterKpc * Math.PI) / (180 * 3600);
}

function moffatKernel(fwhmPx: number, beta = 3): { size: number; values: Float64Array } {
  const alpha = fwhmPx / (2 * Math.sqrt(2 ** (1 / beta) - 1));
  const half = 10;
  const size = 2 * half + 1;
  const values = new Float64Array(size * size);
  let sum = 0;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const r2 = (i - half) ** 2 + (j - half) ** 2;
      const value = (1 + r2 / (alpha * alpha)) ** -beta;
      values[j * size + i] = value;
      sum += value;
    }
  }
  for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) / sum;
  return { size, values };
}

function addPoint(
  image: Float64Array,
  size: number,
  x: number,
  y: number,
  flux: number,
  psf: { size: number; values: Float64Array },
): void {
  // Bilinear split of the sub-pixel position, then the PSF kernel.
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const weights: Array<[number, number, number]> = [
    [x0, y0, (1 - fx) * (1 - fy)],
    [x0 + 1, y0, fx * (1 - fy)],
    [x0, y0 + 1, (1 - fx) * fy],
    [x0 + 1, y0 + 1, fx * fy],
  ];
  const half = (psf.size - 1) / 2;
  for (const [px, py, weight] of weights) {
    for (let j = 0; j < psf.size; j++) {
      const yy = py + j - half;
      if (yy < 0 || yy >= size) continue;
      for (let i = 0; i < psf.size; i++) {
        const xx = px + i - half;
        if (xx < 0 || xx >= size) continue;
        image[yy * size + xx] =
          (image[yy * size + xx] as number) + flux * weight * (psf.values[j * psf.size + i] as number);
      }
    }
  }
}

function sersicImage(
  size: number,
  x: number,
  y: number,
  shape: { n: number; radiusPx: number; axisRatio: number; angleRad: number },
): Float64Array {
  const image = new Float64Array(size * size);
  const bn = 2 * shape.n - 1 / 3 + 4 / (405 * shape.n);
  const cos = Math.cos(shape.angleRad);
  const sin = Math.sin(shape.angleRad);
  const sub = 3;
  let sum = 0;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let value = 0;
      for (let sj = 0; sj < sub; sj++) {
        for (let si = 0; si < sub; si++) {
          const dx = i + (si + 0.5) / sub - 0.5 - x;
          const dy = j + (sj + 0.5) / sub - 0.5 - y;
          const major = dx * cos + dy * sin;
          const minor = (-dx * sin + dy * cos) / shape.axisRatio;
          const radius = Math.sqrt(major * major + minor * minor) / shape.radiusPx;
          value += Math.exp(-bn * (radius ** (1 / shape.n) - 1));
        }
      }
      image[j * size + i] = value;
      sum += value;
    }
  }
  // Normalise to the analytic total of the profile, so light beyond the stamp is lost as it would be.
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const analyticTotal =
    2 *
    Math.PI *
    shape.n *
    shape.radiusPx ** 2 *
    shape.axisRatio *
    Math.exp(bn) *
    bn ** (-2 * shape.n) *
    factorial(2 * shape.n - 1);
  const total = Math.max(sum / (sub * sub), analyticTotal);
  for (let k = 0; k < image.length; k++) image[k] = (image[k] as number) / (sub * sub) / total;
  return image;
}

function addConvolved(
  image: Float64Array,
  size: number,
  profile: Float64Array,
  flux: number,
  psf: { size: number; values: Float64Array },
): void {
  const half = (psf.size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const value = profile[y * size + x] as number;
      if (value < 1e-7) continue;
      const amount = value * flux;
      for (let j = 0; j < psf.size; j++) {
        const yy = y + j - half;
        if (yy < 0 || yy >= size) continue;
        for (let i = 0; i < psf.size; i++) {
          const xx = x + i - half;
          if (xx < 0 || xx >= size) continue;
          image[yy * size + xx] = (image[yy * size + xx] as number) + amount * (psf.values[j * psf.size + i] as number);
        }
      }
    }
  }
}

/** Encodes interleaved RGB as a baseline JPEG (SkyServer's format). */
export function encodeJpeg(rgb: Uint8Array, width: number, height: number): Buffer {
  const rgba = new Uint8Array(width * height * 4);
  for (let k = 0; k < width * height; k++) {
    rgba[k * 4] = rgb[k * 3] as number;
    rgba[k * 4 + 1] = rgb[k * 3 + 1] as number;
    rgba[k * 4 + 2] = rgb[k * 3 + 2] as number;
    rgba[k * 4 + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width, height }, CUTOUT.jpegQuality).data;
}

/** Writes one band as a float32 FITS image in nanomaggies. */
export function writeBandFits(path: string, image: Float64Array, band: Band, object: SimulatedObject): void {
  writeFits(path, [
    {
      kind: "image",
      bitpix: -32,
      shape: [CUTOUT.sizePx, CUTOUT.sizePx],
      data: Float32Array.from(image),
      cards: [
        { key: "ORIGIN", value: "MAC-Net platform", comment: "Simulated SDSS-like cutout" },
        { key: "FILTER", value: band, comment: "SDSS filter" },
        { key: "BUNIT", value: "nanomaggy" },
        { key: "PIXSCALE", value: CUTOUT.pixelScaleArcsec, comment: "[arcsec/pixel]" },
        { key: "OBSID", value: object.obsid, comment: "LAMOST obsid of the object" },
        { key: "RA", value: object.raDeg, comment: "[deg] centre" },
        { key: "DEC", value: object.decDeg, comment: "[deg] centre" },
      ],
    },
  ]);
}
