// What a FITS file reads as: its errors, parsed headers, HDUs, images and binary-table columns.
import type { CardValue } from "./header.ts";

/** A FITS file that cannot be read, with the file, the HDU and the keyword or place at fault. */
export class FitsError extends Error {
  constructor(
    message: string,
    readonly code: "FITS_NOT_FITS" | "FITS_TRUNCATED" | "FITS_INVALID_HEADER" | "FITS_UNSUPPORTED",
    readonly field?: string,
  ) {
    super(message);
    this.name = "FitsError";
  }
}

/** A parsed header: keyword → value (first occurrence), plus COMMENT/HISTORY text. */
export class FitsHeader {
  constructor(
    readonly values: ReadonlyMap<string, CardValue>,
    readonly comments: readonly string[],
  ) {}

  get(key: string): CardValue | undefined {
    return this.values.get(key.toUpperCase());
  }

  has(key: string): boolean {
    return this.values.has(key.toUpperCase());
  }

  /** A numeric keyword, or undefined. */
  number(key: string): number | undefined {
    const value = this.get(key);
    if (typeof value === "number") return value;
    if (typeof value === "bigint") return Number(value);
    return undefined;
  }

  /** A string keyword with trailing blanks removed, or undefined. */
  string(key: string): string | undefined {
    const value = this.get(key);
    return typeof value === "string" ? value.trimEnd() : undefined;
  }
}

/** Where one HDU lives in the file and what it holds. */
export interface Hdu {
  index: number;
  kind: "image" | "bintable" | "table";
  name: string | undefined;
  header: FitsHeader;
  dataOffset: number;
  dataBytes: number;
}

/** An image read with physical values (BZERO/BSCALE applied, BLANK → NaN), axes fastest first. */
export interface FitsImage {
  shape: number[];
  data: Float64Array | Float32Array;
}

/** A column of a binary table. */
export interface TableColumnInfo {
  name: string;
  type: string;
  repeat: number;
  /** Heap descriptor (P: 32-bit, Q: 64-bit) when each cell is a variable-length array. */
  heap: "P" | "Q" | undefined;
  offset: number;
  unit: string | undefined;
}

/** A column's values: one number/bigint/boolean/string per row, or one array per row for vectors. */
export type ColumnValues = Array<number | bigint | boolean | string | Float64Array>;

/** A binary table: its columns and rows, values decoded on demand. */
export interface FitsTable {
  rows: number;
  columns: TableColumnInfo[];
  column(name: string): ColumnValues;
}
