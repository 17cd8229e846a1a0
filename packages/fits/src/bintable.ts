// The one FITS binary-table (BINTABLE) encoder: the header, fixed-width big-endian rows and the block
// padding, usable all at once (FitsWriter.writeTable) or streamed row chunk by row chunk with the row
// count known up front (the API's exports). FITS 4.0 §7.3.
import { BLOCK_BYTES, type Card, encodeHeader } from "./header.ts";

/** L logical, B byte, I int16, J int32, K int64, E float32, D float64, A characters. */
export type BinTableType = "L" | "B" | "I" | "J" | "K" | "E" | "D" | "A";

export interface BinTableField {
  name: string;
  type: BinTableType;
  /** Elements per cell (string length for A). */
  repeat?: number;
  unit?: string;
  /** The TTYPE card's comment (made printable ASCII and cut to fit). */
  comment?: string;
  /** For K columns: the TNULL value written for a null cell (and declared in the header). */
  nullInt?: bigint;
  /** Cards written after the field's TTYPE/TFORM/TUNIT/TNULL (e.g. a TUCD). */
  cards?: Card[];
}

/** A cell: a value, an array of `repeat` numbers, or null (NaN for reals, TNULL for K, blank text). */
export type BinTableCell = number | bigint | boolean | string | ReadonlyArray<number> | null | undefined;

const TYPE_BYTES: Record<BinTableType, number> = { L: 1, B: 1, I: 2, J: 4, K: 8, E: 4, D: 8, A: 1 };

/** Printable ASCII only (FITS text): anything else becomes '?'. */
export function asciiOf(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, "?");
}

export class BinTableEncoder {
  readonly widths: number[];
  readonly rowBytes: number;

  private readonly textPad: " " | "\0";
  private readonly scalarRepeat: boolean;

  constructor(
    readonly fields: readonly BinTableField[],
    options: {
      /**
       * How text cells are padded: spaces (the standard's convention, the default), or NULs, which
       * readers end a string at: astropy keeps trailing spaces, so a space-padded "QSO" would not
       * equal "QSO".
       */
      textPad?: " " | "\0";
      /** TFORM of a field without `repeat`: "1D" (the default) or "D" (false). */
      scalarRepeat?: boolean;
    } = {},
  ) {
    this.textPad = options.textPad ?? " ";
    this.scalarRepeat = options.scalarRepeat ?? true;
    this.widths = fields.map((field) => TYPE_BYTES[field.type] * (field.repeat ?? 1));
    this.rowBytes = this.widths.reduce((sum, width) => sum + width, 0);
  }

  /** The extension's header for `rows` rows; EXTNAME after the fields unless `extnameFirst`. */
  header(rows: number, options: { extname: string; extnameFirst?: boolean; cards?: Card[] }): Buffer {
    const extname: Card = { key: "EXTNAME", value: options.extname };
    const cards: Card[] = [
      { key: "XTENSION", value: "BINTABLE", comment: "binary table extension" },
      { key: "BITPIX", value: 8 },
      { key: "NAXIS", value: 2 },
      { key: "NAXIS1", value: this.rowBytes, comment: "bytes per row" },
      { key: "NAXIS2", value: rows, comment: "rows" },
      { key: "PCOUNT", value: 0 },
      { key: "GCOUNT", value: 1 },
      { key: "TFIELDS", value: this.fields.length },
      ...(options.extnameFirst ? [extname] : []),
      ...this.fields.flatMap((field, index) => {
        const n = index + 1;
        return [
          field.comment === undefined
            ? { key: `TTYPE${n}`, value: field.name }
            : { key: `TTYPE${n}`, value: field.name, comment: asciiOf(field.comment).slice(0, 45) },
          {
            key: `TFORM${n}`,
            value: `${field.repeat ?? (this.scalarRepeat ? 1 : "")}${field.type}`,
          },
          ...(field.unit ? [{ key: `TUNIT${n}`, value: field.unit }] : []),
          ...(field.nullInt !== undefined ? [{ key: `TNULL${n}`, value: field.nullInt }] : []),
          ...(field.cards ?? []),
        ];
      }),
      ...(options.extnameFirst ? [] : [extname]),
      ...(options.cards ?? []),
    ];
    return encodeHeader(cards);
  }

  /** Rows of cells (one per field, in order) as the table's bytes. */
  encodeRows(rows: ReadonlyArray<ReadonlyArray<BinTableCell>>): Buffer {
    const buffer = Buffer.alloc(rows.length * this.rowBytes);
    let offset = 0;
    for (const row of rows) {
      this.fields.forEach((field, index) => {
        this.encodeCell(buffer, offset, field, row[index]);
        offset += this.widths[index] as number;
      });
    }
    return buffer;
  }

  /** The zero bytes that complete `rows` rows of data to whole 2880-byte blocks. */
  padding(rows: number): Buffer {
    return Buffer.alloc((BLOCK_BYTES - ((rows * this.rowBytes) % BLOCK_BYTES)) % BLOCK_BYTES, 0);
  }

  private encodeCell(buffer: Buffer, offset: number, field: BinTableField, value: BinTableCell): void {
    const repeat = field.repeat ?? 1;
    if (field.type === "A") {
      const text = value === null || value === undefined ? "" : asciiOf(String(value)).slice(0, repeat);
      buffer.write(text.padEnd(repeat, this.textPad), offset, "latin1");
      return;
    }
    if (value === null || value === undefined) {
      if (field.type === "K" && field.nullInt !== undefined) buffer.writeBigInt64BE(field.nullInt, offset);
      else if (field.type === "E") buffer.writeFloatBE(Number.NaN, offset);
      else if (field.type === "D") buffer.writeDoubleBE(Number.NaN, offset);
      else throw new Error(`Column ${field.name} has no null value for a ${field.type} cell`);
      return;
    }
    const items = Array.isArray(value) ? value : [value];
    if (items.length !== repeat)
      throw new Error(`Column ${field.name} needs ${repeat} values per row, got ${items.length}`);
    items.forEach((item, index) => {
      const at = offset + index * TYPE_BYTES[field.type];
      switch (field.type) {
        case "L":
          buffer.write(item ? "T" : "F", at, "ascii");
          break;
        case "B":
          buffer.writeUInt8(Number(item), at);
          break;
        case "I":
          buffer.writeInt16BE(Number(item), at);
          break;
        case "J":
          buffer.writeInt32BE(Number(item), at);
          break;
        case "K":
          buffer.writeBigInt64BE(BigInt(item as number | bigint), at);
          break;
        case "E":
          buffer.writeFloatBE(Number(item), at);
          break;
        case "D":
          buffer.writeDoubleBE(Number(item), at);
          break;
      }
    });
  }
}
