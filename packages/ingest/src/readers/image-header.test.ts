import { deflateSync } from "node:zlib";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { MAX_IMAGE_SIDE_PX, readJpegHeader, readPngHeader } from "./image-header.ts";

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  return PNG.sync.write(image);
}

/** The same PNG with its IHDR claiming other dimensions (the CRC is not checked before decoding). */
function forgePng(bytes: Buffer, width: number, height: number): Buffer {
  const forged = Buffer.from(bytes);
  forged.writeUInt32BE(width, 16);
  forged.writeUInt32BE(height, 20);
  return forged;
}

/** A minimal JPEG head: SOI, an APP0 segment, a baseline SOF0 claiming width × height, then SOS. */
function jpegHead(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0, 0, 0, 0, 0x01, 0x01, 0x11, 0x00]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xda, 0x00, 0x02])]);
}

describe("image headers are checked before decoding", () => {
  it("reads a real PNG's dimensions", () => {
    expect(readPngHeader(png(64, 48))).toEqual({ width: 64, height: 48 });
  });

  it("refuses a PNG claiming more than 4096² pixels, and one whose data cannot hold what it claims", () => {
    expect(() => readPngHeader(forgePng(png(64, 64), 20_000, 20_000))).toThrow(
      /20000×20000 pixels, over the 4096×4096/,
    );
    // 4000 × 4000 RGBA needs 64 MB of scanlines: a few hundred compressed bytes cannot hold that.
    expect(() => readPngHeader(forgePng(png(64, 64), 4000, 4000))).toThrow(/cannot hold the 4000×4000 pixels/);
    try {
      readPngHeader(forgePng(png(64, 64), 4000, 4000));
    } catch (error) {
      expect((error as { field?: string }).field).toBe("IDAT");
    }
  });

  it("accepts a highly compressible PNG at the limit (the bound is deflate's real maximum ratio)", () => {
    const side = MAX_IMAGE_SIDE_PX;
    const scanlines = Buffer.alloc(side * (1 + side));
    const idat = deflateSync(scanlines, { level: 9 });
    expect(idat.length * 1032).toBeGreaterThan(scanlines.length); // deflate really gets ~1000:1 on zeros
    const image = forgePng(png(8, 8), side, side);
    // Replace the IHDR's colour type with greyscale, the one the scanlines were made for.
    image[25] = 0;
    image[24] = 8;
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(data.length, 0);
      head.write(type, 4, "latin1");
      return Buffer.concat([head, data, Buffer.alloc(4)]);
    };
    const bytes = Buffer.concat([image.subarray(0, 33), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
    expect(readPngHeader(bytes)).toEqual({ width: side, height: side });
  });

  it("reads a JPEG's frame header and refuses 20000 × 20000 or a stream without one", () => {
    expect(readJpegHeader(jpegHead(128, 96))).toEqual({ width: 128, height: 96 });
    expect(() => readJpegHeader(jpegHead(20_000, 20_000))).toThrow(/20000×20000 pixels/);
    expect(() => readJpegHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toThrow(/no frame header/);
    expect(() => readJpegHeader(Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00]))).toThrow(/no marker|no frame header/);
  });
});
