import { closeSync, openSync, writeSync } from "node:fs";
import { BinTableEncoder, type BinTableType } from "./bintable.ts";
import { BLOCK_BYTES, type Card, encodeHeader } from "./header.ts";

/** Pixel types FITS images support, by BITPIX. */
export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;

/** Pixel data as given by the caller: physical values, converted to BITPIX with BZERO/BSCALE. */
export type PixelArray = Float32Array | Float64Array | Int16Array | Int32Array | Uint8Array | Uint16Array;

/** One image HDU: axes fastest first (NAXIS1 = columns), physical = BZERO + BSCALE × stored. */
export interface ImageHdu {
  bitpix: Bitpix;
  /** NAXIS1, NAXIS2, … */
  shape: number[];
  data: PixelArray;
  bzero?: number;
  bscale?: number;
  /** Extra cards after the mandatory ones. */
  cards?: Card[];
}

/** A binary-table column: scalars or fixed-length vectors of one type, one value per row. */
export interface TableColumn {
  name: string;
  type: BinTableType;
  /** Elements per cell (string length for A). */
  repeat?: number;
  unit?: string;
  /** One entry per row: a number, bigint, boolean, string, or an array of `repeat` numbers. */
  values: ReadonlyArray<number | bigint | boolean | string | ReadonlyArray<number>>;
}

/** A BINTABLE extension. */
export interface TableHdu {
  name: string;
  columns: TableColumn[];
  cards?: Card[];
}

/**
 * Writes a FITS file HDU by HDU, streaming data in chunks so a large frame never needs a second
 * full-size copy. The first HDU written is the primary one.
 */
export class FitsWriter {
  private readonly fd: number;
  private hduCount = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  /** Writes an image HDU (primary if first, else an IMAGE extension). */
  writeImage(hdu: ImageHdu): void {
    const pixels = hdu.shape.reduce((product, axis) => product * axis, 1);
    if (pixels !== hdu.data.length) {
      throw new Error(`Image data has ${hdu.data.length} values but shape ${hdu.shape.join("×")} needs ${pixels}`);
    }
    const cards: Card[] = [
      this.hduCount === 0
        ? { key: "SIMPLE", value: true, comment: "conforms to FITS standard" }
        : { key: "XTENSION", value: "IMAGE", comment: "image extension" },
      { key: "BITPIX", value: hdu.bitpix, comment: bitpixComment(hdu.bitpix) },
      { key: "NAXIS", value: hdu.shape.length },
      ...hdu.shape.map((axis, index) => ({ key: `NAXIS${index + 1}`, value: axis })),
      ...(this.hduCount === 0
        ? [{ key: "EXTEND", value: true }]
        : [
            { key: "PCOUNT", value: 0 },
            { key: "GCOUNT", value: 1 },
          ]),
      ...(hdu.bzero !== undefined
        ? [{ key: "BZERO", value: hdu.bzero, comment: "physical = BZERO + BSCALE * stored" }]
        : []),
      ...(hdu.bscale !== undefined ? [{ key: "BSCALE", value: hdu.bscale }] : []),
      ...(hdu.cards ?? []),
    ];
    this.write(encodeHeader(cards));
    this.writeImageData(hdu);
    this.hduCount++;
  }

  /** Writes a BINTABLE extension (an empty primary HDU is written first if none exists). */
  writeTable(hdu: TableHdu): void {
    if (this.hduCount === 0) this.writeImage({ bitpix: 8, shape: [], data: new Uint8Array(0) });
    const rows = hdu.columns[0]?.values.length ?? 0;
    for (const column of hdu.columns) {
      if (column.values.length !== rows)
        throw new Error(`Column ${column.name} has ${column.values.length} rows, expected ${rows}`);
    }
    const encoder = new BinTableEncoder(hdu.columns);
    this.write(encoder.header(rows, { extname: hdu.name, cards: hdu.cards }));
    const cells = Array.from({ length: rows }, (_, row) => hdu.columns.map((column) => column.values[row]));
    this.write(encoder.encodeRows(cells));
    this.write(encoder.padding(rows));
    this.hduCount++;
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }

  private writeImageData(hdu: ImageHdu): void {
    const bytesPerPixel = Math.abs(hdu.bitpix) / 8;
    const chunkPixels = 1 << 18;
    const bzero = hdu.bzero ?? 0;
    const bscale = hdu.bscale ?? 1;
    const buffer = Buffer.alloc(Math.min(hdu.data.length, chunkPixels) * bytesPerPixel);
    for (let start = 0; start < hdu.data.length; start += chunkPixels) {
      const end = Math.min(hdu.data.length, start + chunkPixels);
      for (let i = start; i < end; i++) {
        const stored = (Number(hdu.data[i]) - bzero) / bscale;
        const at = (i - start) * bytesPerPixel;
        switch (hdu.bitpix) {
          case 8:
            buffer.writeUInt8(clampInteger(stored, 0, 255), at);
            break;
          case 16:
            buffer.writeInt16BE(clampInteger(stored, -32768, 32767), at);
            break;
          case 32:
            buffer.writeInt32BE(clampInteger(stored, -2147483648, 2147483647), at);
            break;
          case 64:
            buffer.writeBigInt64BE(BigInt(Math.round(stored)), at);
            break;
          case -32:
            buffer.writeFloatBE(stored, at);
            break;
          case -64:
            buffer.writeDoubleBE(stored, at);
            break;
        }
      }
      this.write(buffer.subarray(0, (end - start) * bytesPerPixel));
    }
    this.pad(hdu.data.length * bytesPerPixel);
  }

  private pad(written: number): void {
    const remainder = written % BLOCK_BYTES;
    if (remainder !== 0) this.write(Buffer.alloc(BLOCK_BYTES - remainder));
  }

  private write(buffer: Buffer): void {
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset, buffer.length - offset);
  }
}

function clampInteger(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return min;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function bitpixComment(bitpix: Bitpix): string {
  return bitpix > 0 ? `${bitpix}-bit two's complement integers` : `IEEE ${-bitpix}-bit floating point`;
}

/** Writes a whole FITS file in one call. */
export function writeFits(
  path: string,
  hdus: Array<({ kind: "image" } & ImageHdu) | ({ kind: "table" } & TableHdu)>,
): void {
  const writer = new FitsWriter(path);
  try {
    for (const hdu of hdus) {
      if (hdu.kind === "image") writer.writeImage(hdu);
      else writer.writeTable(hdu);
    }
  } finally {
    writer.close();
  }
}
