// What a PNG or JPEG claims about itself, read from its headers before anything is decoded: the
// dimensions are bounded (a 1 MB file must not make the reader allocate gigabytes), and a PNG's
// compressed data must be able to hold the pixels its header claims (deflate expands at most
// ~1032:1), so a forged header over a few bytes is refused instead of decoded into a black image.
import { InputError } from "../records.ts";

/** Largest cutout side accepted from an image file (pixels). */
export const MAX_IMAGE_SIDE_PX = 4096;
/** Largest cutout accepted from an image file (pixels): 4096², 64 MiB of RGBA once decoded. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;
/** deflate's largest expansion (zlib's technical report: 1032:1), plus room for the stream's framing. */
const DEFLATE_MAX_RATIO = 1032;

/** Dimensions a header claims. */
export interface ImageHeader {
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Samples per pixel by PNG colour type (greyscale, RGB, palette, grey+alpha, RGBA). */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function checkDimensions(header: ImageHeader, field: string): ImageHeader {
  const { width, height } = header;
  if (width < 1 || height < 1) throw new InputError(`image header claims ${width}×${height} pixels`, field);
  if (width > MAX_IMAGE_SIDE_PX || height > MAX_IMAGE_SIDE_PX || width * height > MAX_IMAGE_PIXELS) {
    throw new InputError(
      `image header claims ${width}×${height} pixels, over the ${MAX_IMAGE_SIDE_PX}×${MAX_IMAGE_SIDE_PX} accepted for a cutout`,
      field,
    );
  }
  return header;
}

/** A PNG's IHDR, checked against its bounds and against the compressed data actually present. */
export function readPngHeader(bytes: Uint8Array): ImageHeader {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < 33 || !data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString("latin1", 12, 16) !== "IHDR")
    throw new InputError("not a PNG (no signature and IHDR chunk)", "IHDR");
  const header = checkDimensions({ width: data.readUInt32BE(16), height: data.readUInt32BE(20) }, "IHDR");
  const bitDepth = data[24] as number;
  const channels = PNG_CHANNELS[data[25] as number];
  if (!channels || ![1, 2, 4, 8, 16].includes(bitDepth))
    throw new InputError(`unsupported PNG colour type ${data[25]} / bit depth ${bitDepth}`, "IHDR");
  let compressed = 0;
  // Chunks: length, type, data, CRC; the walk never goes past the bytes present.
  for (let at = 8; at + 8 <= data.length; ) {
    const length = data.readUInt32BE(at);
    const type = data.toString("latin1", at + 4, at + 8);
    if (type === "IDAT") compressed += Math.min(length, data.length - at - 8);
    if (type === "IEND") break;
    at += 12 + length;
  }
  const rowBytes = Math.ceil((header.width * channels * bitDepth) / 8);
  const needed = header.height * (1 + rowBytes);
  if (compressed * DEFLATE_MAX_RATIO + 1024 < needed) {
    throw new InputError(
      `PNG data (${compressed} compressed bytes) cannot hold the ${header.width}×${header.height} pixels its header claims: truncated or forged`,
      "IDAT",
    );
  }
  return header;
}

/** Start-of-frame markers (baseline, extended, progressive, lossless; Huffman or arithmetic). */
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** A JPEG's frame header (SOF), checked against the bounds; a stream without one is refused. */
export function readJpegHeader(bytes: Uint8Array): ImageHeader {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new InputError("not a JPEG (no start-of-image marker)", "SOI");
  for (let at = 2; at + 4 <= data.length; ) {
    if (data[at] !== 0xff) throw new InputError(`corrupt JPEG: no marker at byte ${at}`, "SOF");
    const marker = data[at + 1] as number;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    if (JPEG_SOF.has(marker)) {
      if (at + 9 > data.length) break;
      return checkDimensions({ height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) }, "SOF");
    }
    if (marker === 0xda || marker === 0xd9) break; // scan data or end before any frame header
    at += 2 + length;
  }
  throw new InputError("JPEG has no frame header (SOF) before its data: truncated or corrupt", "SOF");
}
