import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/**
 * Most bytes a gzip-compressed file may inflate to: a small "bomb" stops there instead of filling
 * memory. 256 MiB, four times a LAMOST frame's ~60 MB.
 */
export const MAX_INFLATED_BYTES = 256 * 1024 ** 2;

import {
  dataSize,
  decodeScalar,
  decodeVector,
  elementBytes,
  fieldBytes,
  imageShape,
  parseValue,
  type StoredImageRows,
  scalePixels,
} from "./fits-decode.ts";
import {
  type ColumnValues,
  FitsError,
  FitsHeader,
  type FitsImage,
  type FitsTable,
  type Hdu,
  type TableColumnInfo,
} from "./fits-model.ts";
import { BLOCK_BYTES, type CardValue } from "./header.ts";

export {
  type ColumnValues,
  FitsError,
  FitsHeader,
  type FitsImage,
  type FitsTable,
  type Hdu,
  type StoredImageRows,
  type TableColumnInfo,
};

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * A FITS file opened for reading. Headers are scanned once; data are read per HDU (and per row
 * range for images) with positioned reads, so large frames are never loaded whole unless asked.
 * Gzip-compressed files (sniffed by their magic bytes, whatever their name) are inflated in memory.
 */
export class FitsFile {
  readonly hdus: Hdu[];
  private readonly source: { kind: "fd"; fd: number; size: number } | { kind: "buffer"; buffer: Buffer };

  private constructor(
    readonly path: string,
    source: { kind: "fd"; fd: number; size: number } | { kind: "buffer"; buffer: Buffer },
  ) {
    this.source = source;
    this.hdus = [];
    try {
      this.scan();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Opens a file on disk (plain or gzip). */
  static open(path: string): FitsFile {
    const fd = openSync(path, "r");
    const magic = Buffer.alloc(2);
    readSync(fd, magic, 0, 2, 0);
    if (magic[0] === GZIP_MAGIC[0] && magic[1] === GZIP_MAGIC[1]) {
      closeSync(fd);
      let inflated: Buffer;
      try {
        inflated = gunzipSync(readFileSync(path), { maxOutputLength: MAX_INFLATED_BYTES });
      } catch (error) {
        throw new FitsError(`${path}: corrupt gzip stream (${(error as Error).message})`, "FITS_TRUNCATED");
      }
      return new FitsFile(path, { kind: "buffer", buffer: inflated });
    }
    return new FitsFile(path, { kind: "fd", fd, size: fstatSync(fd).size });
  }

  /** Reads FITS bytes already in memory (gzip allowed). */
  static fromBuffer(buffer: Buffer, path = "(buffer)"): FitsFile {
    const gzip = buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
    const bytes = gzip ? gunzipSync(buffer, { maxOutputLength: MAX_INFLATED_BYTES }) : buffer;
    return new FitsFile(path, { kind: "buffer", buffer: bytes });
  }

  /** The HDU with this EXTNAME (case-insensitive), or undefined. */
  find(name: string): Hdu | undefined {
    return this.hdus.find((hdu) => hdu.name?.toUpperCase() === name.toUpperCase());
  }

  /** Releases the file descriptor. */
  close(): void {
    if (this.source.kind === "fd") {
      try {
        closeSync(this.source.fd);
      } catch {
        // already closed
      }
    }
  }

  /** Reads a whole image HDU. */
  readImage(hdu: Hdu): FitsImage {
    const shape = imageShape(hdu);
    const rows = shape.length >= 2 ? (shape[1] as number) : 1;
    return { shape, data: this.readImageRows(hdu, 0, shape.length === 0 ? 0 : rows) };
  }

  /** Reads rows [first, first + count) of a 2D image (all of a 1D image when first = 0, count = 1). */
  readImageRows(hdu: Hdu, first: number, count: number): Float64Array | Float32Array {
    const { stored, bzero, bscale, blank, bitpix } = this.readStoredRows(hdu, first, count);
    if (bitpix === -32 && bzero === 0 && bscale === 1) return stored as Float32Array;
    // 8- and 16-bit integers scaled by integers are exact in float32, at half the memory.
    const exactInFloat32 =
      (bitpix === 8 || bitpix === 16) &&
      Number.isInteger(bzero) &&
      Number.isInteger(bscale) &&
      Math.abs(bzero) < 2 ** 23;
    const out = exactInFloat32 ? new Float32Array(stored.length) : new Float64Array(stored.length);
    if (stored instanceof BigInt64Array) {
      for (let i = 0; i < stored.length; i++) {
        const value = Number(stored[i]);
        out[i] = blank !== undefined && value === blank ? Number.NaN : bzero + bscale * value;
      }
    } else scalePixels(stored, out, bzero, bscale, blank);
    return out;
  }

  /**
   * Rows [first, first + count) of an image as stored (native byte order, not yet scaled: the
   * physical value is bzero + bscale × stored, NaN where stored equals `blank`). For readers that
   * touch only some pixels of a large image: it saves converting every pixel. With `inPlace` an
   * in-memory file's bytes are byte-swapped where they lie instead of copied, so these rows must not
   * be read from this FitsFile again.
   */
  readStoredRows(hdu: Hdu, first: number, count: number, options: { inPlace?: boolean } = {}): StoredImageRows {
    if (hdu.kind !== "image") throw new FitsError(`${this.path}: HDU ${hdu.index} is not an image`, "FITS_UNSUPPORTED");
    const shape = imageShape(hdu);
    const rowLength = shape[0] ?? 0;
    const bitpix = hdu.header.number("BITPIX") as number;
    const bytesPerPixel = Math.abs(bitpix) / 8;
    const totalRows = shape.length >= 2 ? shape.slice(1).reduce((a, b) => a * b, 1) : 1;
    if (first < 0 || first + count > totalRows) {
      throw new FitsError(
        `${this.path}: rows ${first}..${first + count} outside HDU ${hdu.index} (${totalRows} rows)`,
        "FITS_UNSUPPORTED",
      );
    }
    if (![8, 16, 32, 64, -32, -64].includes(bitpix)) {
      throw new FitsError(
        `${this.path}: HDU ${hdu.index} has invalid BITPIX ${bitpix}`,
        "FITS_INVALID_HEADER",
        "BITPIX",
      );
    }
    const pixels = rowLength * count;
    const bytes = this.read(hdu.dataOffset + first * rowLength * bytesPerPixel, pixels * bytesPerPixel);
    // Big-endian → native in one native pass over an aligned copy (every byte is overwritten) or
    // over the bytes themselves, then a typed-array view.
    const aligned = bytes.byteOffset % bytesPerPixel === 0;
    const native =
      options.inPlace && this.source.kind === "buffer" && aligned ? bytes : Buffer.allocUnsafeSlow(bytes.length);
    if (native !== bytes) bytes.copy(native);
    if (bytesPerPixel === 2) native.swap16();
    else if (bytesPerPixel === 4) native.swap32();
    else if (bytesPerPixel === 8) native.swap64();
    const stored =
      bitpix === 8
        ? new Uint8Array(native.buffer, native.byteOffset, pixels)
        : bitpix === 16
          ? new Int16Array(native.buffer, native.byteOffset, pixels)
          : bitpix === 32
            ? new Int32Array(native.buffer, native.byteOffset, pixels)
            : bitpix === 64
              ? new BigInt64Array(native.buffer, native.byteOffset, pixels)
              : bitpix === -32
                ? new Float32Array(native.buffer, native.byteOffset, pixels)
                : new Float64Array(native.buffer, native.byteOffset, pixels);
    return {
      stored,
      bitpix,
      bzero: hdu.header.number("BZERO") ?? 0,
      bscale: hdu.header.number("BSCALE") ?? 1,
      blank: bitpix > 0 ? hdu.header.number("BLANK") : undefined,
    };
  }

  /** Opens a binary-table HDU. */
  readTable(hdu: Hdu): FitsTable {
    if (hdu.kind !== "bintable")
      throw new FitsError(`${this.path}: HDU ${hdu.index} is not a binary table`, "FITS_UNSUPPORTED");
    const header = hdu.header;
    const rowBytes = header.number("NAXIS1") ?? 0;
    const rows = header.number("NAXIS2") ?? 0;
    const fields = header.number("TFIELDS") ?? 0;
    const columns: TableColumnInfo[] = [];
    let offset = 0;
    for (let n = 1; n <= fields; n++) {
      const form = header.string(`TFORM${n}`);
      const match = form?.match(/^\s*(\d*)([LXBIJKAEDCMPQ])([EDIJKBLA])?/i);
      if (!form || !match)
        throw new FitsError(
          `${this.path}: HDU ${hdu.index} has invalid TFORM${n} '${form ?? ""}'`,
          "FITS_INVALID_HEADER",
          `TFORM${n}`,
        );
      const repeat = match[1] === "" ? 1 : Number(match[1]);
      const code = (match[2] as string).toUpperCase();
      const heap = code === "P" || code === "Q" ? code : undefined;
      const type = heap ? (match[3] ?? "B").toUpperCase() : code;
      columns.push({
        name: header.string(`TTYPE${n}`) ?? `COL${n}`,
        type,
        repeat,
        heap,
        offset,
        unit: header.string(`TUNIT${n}`),
      });
      offset += heap ? (heap === "P" ? 8 : 16) * repeat : fieldBytes(code, repeat);
    }
    if (offset !== rowBytes) {
      throw new FitsError(
        `${this.path}: HDU ${hdu.index} columns add up to ${offset} bytes but NAXIS1 is ${rowBytes}`,
        "FITS_INVALID_HEADER",
        "NAXIS1",
      );
    }
    const table = this.read(hdu.dataOffset, hdu.dataBytes);
    const heapStart = header.number("THEAP") ?? rowBytes * rows;
    return {
      rows,
      columns,
      column: (name: string) => {
        const index = columns.findIndex((column) => column.name.toUpperCase() === name.toUpperCase());
        const column = columns[index];
        if (!column)
          throw new FitsError(`${this.path}: HDU ${hdu.index} has no column ${name}`, "FITS_UNSUPPORTED", name);
        const zero = header.number(`TZERO${index + 1}`) ?? 0;
        const scale = header.number(`TSCAL${index + 1}`) ?? 1;
        const values: ColumnValues = [];
        for (let row = 0; row < rows; row++) {
          const at = row * rowBytes + column.offset;
          if (column.heap) {
            const long = column.heap === "Q";
            const length = long ? Number(table.readBigInt64BE(at)) : table.readInt32BE(at);
            const heapOffset = long ? Number(table.readBigInt64BE(at + 8)) : table.readInt32BE(at + 4);
            const start = heapStart + heapOffset;
            if (start + length * elementBytes(column.type) > table.length) {
              throw new FitsError(
                `${this.path}: HDU ${hdu.index} column ${column.name} row ${row} points past the heap`,
                "FITS_TRUNCATED",
                column.name,
              );
            }
            values.push(decodeVector(table, start, column.type, length, zero, scale));
          } else if (column.type === "A") {
            values.push(table.toString("latin1", at, at + column.repeat).replace(/[\0 ]+$/, ""));
          } else if (column.repeat === 1 && column.type !== "X") {
            values.push(decodeScalar(table, at, column.type, zero, scale));
          } else {
            values.push(
              decodeVector(
                table,
                at,
                column.type,
                column.type === "X" ? Math.ceil(column.repeat / 8) : column.repeat,
                zero,
                scale,
              ),
            );
          }
        }
        return values;
      },
    };
  }

  private scan(): void {
    const size = this.size();
    let offset = 0;
    while (offset < size) {
      const index = this.hdus.length;
      const { header, bytes } = this.readHeader(offset, index);
      const dataOffset = offset + bytes;
      const dataBytes = dataSize(header, this.path, index);
      const padded = Math.ceil(dataBytes / BLOCK_BYTES) * BLOCK_BYTES;
      if (dataOffset + dataBytes > size) {
        throw new FitsError(
          `${this.path}: truncated: HDU ${index} needs ${dataBytes} data bytes from offset ${dataOffset}, the file has ${size - dataOffset}`,
          "FITS_TRUNCATED",
          `HDU${index}`,
        );
      }
      const xtension = header.string("XTENSION")?.toUpperCase();
      const kind =
        index === 0 ? "image" : xtension === "BINTABLE" ? "bintable" : xtension === "TABLE" ? "table" : "image";
      this.hdus.push({
        index,
        kind,
        name: header.string("EXTNAME") ?? (index === 0 ? "PRIMARY" : undefined),
        header,
        dataOffset,
        dataBytes,
      });
      offset = dataOffset + padded;
      // Trailing zero padding or junk shorter than a block after the last HDU is tolerated.
      if (size - offset < BLOCK_BYTES || !this.read(offset, 8).toString("latin1").startsWith("XTENSION")) break;
    }
  }

  private readHeader(offset: number, index: number): { header: FitsHeader; bytes: number } {
    const values = new Map<string, CardValue>();
    const comments: string[] = [];
    const size = this.size();
    let position = offset;
    let pendingContinue: string | undefined;
    for (;;) {
      if (position + BLOCK_BYTES > size) {
        throw new FitsError(
          `${this.path}: truncated header in HDU ${index} (no END card)`,
          "FITS_TRUNCATED",
          `HDU${index}`,
        );
      }
      const block = this.read(position, BLOCK_BYTES).toString("latin1");
      position += BLOCK_BYTES;
      for (let c = 0; c < BLOCK_BYTES; c += 80) {
        const card = block.slice(c, c + 80);
        const key = card.slice(0, 8).trim();
        if (index === 0 && position === offset + BLOCK_BYTES && c === 0 && key !== "SIMPLE") {
          throw new FitsError(`${this.path}: not a FITS file (first card is not SIMPLE)`, "FITS_NOT_FITS");
        }
        if (key === "END") return { header: new FitsHeader(values, comments), bytes: position - offset };
        if (key === "COMMENT" || key === "HISTORY" || key === "") {
          if (card.trim()) comments.push(card.slice(8).trimEnd());
          continue;
        }
        if (key === "CONTINUE" && pendingContinue) {
          const more = parseValue(card.slice(8), this.path, pendingContinue);
          const previous = values.get(pendingContinue);
          if (typeof previous === "string" && typeof more === "string") {
            values.set(pendingContinue, previous.replace(/&$/, "") + more);
            pendingContinue = more.endsWith("&") ? pendingContinue : undefined;
          }
          continue;
        }
        if (card.slice(8, 10) !== "= ") continue;
        const value = parseValue(card.slice(10), this.path, key);
        if (!values.has(key)) values.set(key, value);
        pendingContinue = typeof value === "string" && value.endsWith("&") ? key : undefined;
      }
    }
  }

  private size(): number {
    return this.source.kind === "fd" ? this.source.size : this.source.buffer.length;
  }

  private read(offset: number, length: number): Buffer {
    if (this.source.kind === "buffer") return this.source.buffer.subarray(offset, offset + length);
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const read = readSync(this.source.fd, buffer, done, length - done, offset + done);
      if (read === 0) throw new FitsError(`${this.path}: truncated at byte ${offset + done}`, "FITS_TRUNCATED");
      done += read;
    }
    return buffer;
  }
}

/** Reads every HDU header of a file (convenience for inspection). */
export function withFits<T>(path: string, work: (file: FitsFile) => T): T {
  const file = FitsFile.open(path);
  try {
    return work(file);
  } finally {
    file.close();
  }
}
