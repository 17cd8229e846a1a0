import { basename, dirname } from "node:path";
import { PNG } from "pngjs";
import { type CutoutRecord, type IngestItem, InputError, type ObjectClass } from "../records.ts";
import { readJpegHeader, readPngHeader } from "./image-header.ts";
import { decodeJpeg } from "./jpeg-decoder.ts";

/** Cutouts are stored at the paper's size. */
export const CUTOUT_SIZE_PX = 64;

/**
 * Decodes a JPEG or PNG cutout, resamples it to 64 × 64 and takes identity and class from its path.
 * The header's claims are checked first (image-header.ts): nothing over 4096² is decoded.
 */
export function readImageCutout(path: string, bytes: Buffer, format: "jpeg" | "png"): IngestItem {
  const claimed = format === "jpeg" ? readJpegHeader(bytes) : readPngHeader(bytes);
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  try {
    if (format === "jpeg") {
      const decoded = decodeJpeg(bytes);
      ({ width, height } = decoded);
      rgba = decoded.data;
    } else {
      const decoded = PNG.sync.read(bytes);
      ({ width, height } = decoded);
      rgba = decoded.data;
    }
  } catch (error) {
    throw new InputError(`unreadable ${format.toUpperCase()} (${(error as Error).message})`, "image");
  }
  if (width !== claimed.width || height !== claimed.height)
    throw new InputError(
      `decoded ${width}×${height}, but the header claims ${claimed.width}×${claimed.height}`,
      "image",
    );
  if (width < 8 || height < 8) throw new InputError(`image is ${width}×${height}, too small for a cutout`, "image");
  const stem = basename(path).replace(/\.[^.]+$/, "");
  if (!/^\d+$/.test(stem))
    throw new InputError(
      `cannot tell which object '${basename(path)}' shows: name cutouts <obsid>.jpg or <SDSS objID>.jpg`,
      "filename",
    );
  const id = BigInt(stem);
  const isSdss = stem.length >= 16;
  const cutout: CutoutRecord = {
    source: isSdss ? "sdss" : "cutout-file",
    widthPx: CUTOUT_SIZE_PX,
    heightPx: CUTOUT_SIZE_PX,
    pixelScaleArcsec: undefined,
    rgb: resampleRgb(rgba, width, height, CUTOUT_SIZE_PX, CUTOUT_SIZE_PX),
    sourceFormat: format,
  };
  return {
    object: {
      keys: [isSdss ? `sdss-obj:${id}` : `obsid:${id}`],
      sdssObjId: isSdss ? id : undefined,
      obsid: isSdss ? undefined : id,
      catalogClass: classFromFolder(path),
    },
    cutout,
  };
}

/** The class named by the parent folder (star, galaxy, qso/quasar), or undefined when the folder says nothing. */
export function classFromFolder(path: string): ObjectClass | undefined {
  const folder = basename(dirname(path)).toLowerCase();
  if (folder === "star" || folder === "stars") return "STAR";
  if (folder === "galaxy" || folder === "galaxies") return "GALAXY";
  if (folder === "qso" || folder === "quasar" || folder === "quasars") return "QSO";
  return undefined;
}

/**
 * Area-weighted resampling of the first `channels` of `stride`-interleaved pixels: each output pixel
 * averages exactly the input area it covers (fractional edge weights) — the anti-aliasing filter for
 * shrinking, exact for integer factors.
 */
export function resampleArea(
  input: ArrayLike<number>,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  channels: number,
  stride: number,
): Float64Array {
  const out = new Float64Array(outWidth * outHeight * channels);
  const sx = width / outWidth;
  const sy = height / outHeight;
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      const at = (oy * outWidth + ox) * channels;
      let weight = 0;
      for (let y = Math.floor(y0); y < Math.min(height, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(width, Math.ceil(x1)); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          const from = (y * width + x) * stride;
          for (let c = 0; c < channels; c++) out[at + c] = (out[at + c] as number) + w * (input[from + c] as number);
          weight += w;
        }
      }
      for (let c = 0; c < channels; c++) out[at + c] = (out[at + c] as number) / weight;
    }
  }
  return out;
}

/** RGBA of any size → interleaved RGB of the requested size, by area-weighted resampling. */
export function resampleRgb(
  rgba: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  const out = new Uint8Array(outWidth * outHeight * 3);
  if (width === outWidth && height === outHeight) {
    // Already the stored size: resampling would be the identity.
    for (let pixel = 0; pixel < outWidth * outHeight; pixel++) {
      out[pixel * 3] = rgba[pixel * 4] as number;
      out[pixel * 3 + 1] = rgba[pixel * 4 + 1] as number;
      out[pixel * 3 + 2] = rgba[pixel * 4 + 2] as number;
    }
    return out;
  }
  const resampled = resampleArea(rgba, width, height, outWidth, outHeight, 3, 4);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(resampled[i] as number);
  return out;
}
