// A FITS binary table written as rows arrive: an empty primary HDU, then a BINTABLE extension whose
// header needs the row count and every text column's width up front (the snapshot's count and
// longest values), then fixed-width big-endian rows, padded to whole 2880-byte blocks. Nulls: NaN
// for reals, TNULL for integers, blanks for text (FITS 4.0 §7.3).
import { BLOCK_BYTES, type Card, encodeHeader } from "@macnet/fits";
import type { Row, TableColumn, TableStart, TableWriter } from "./object-table.ts";
import type { Sink } from "./sink.ts";

const INT64_NULL = -(2n ** 63n);

interface Layout {
  column: TableColumn;
  tform: string;
  bytes: number;
  offset: number;
}

function layoutOf(columns: TableColumn[]): { fields: Layout[]; rowBytes: number } {
  let offset = 0;
  const fields = columns.map((column) => {
    let tform: string;
    let bytes: number;
    if (column.kind === "long") [tform, bytes] = ["K", 8];
    else if (column.kind === "double") [tform, bytes] = ["D", 8];
    else if (column.kind === "float") [tform, bytes] = ["E", 4];
    else {
      bytes = Math.max(1, column.width ?? 1);
      tform = `${bytes}A`;
    }
    const field = { column, tform, bytes, offset };
    offset += bytes;
    return field;
  });
  return { fields, rowBytes: offset };
}

/** Printable ASCII only (FITS text): anything else becomes '?'. */
function asciiOf(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, "?");
}

export class FitsTableWriter implements TableWriter {
  readonly needsSizes = true;
  private fields: Layout[] = [];
  private rowBytes = 0;
  private written = 0;

  constructor(
    private readonly sink: Sink,
    /** Free text for COMMENT cards (made printable ASCII and cut to a card's width here). */
    private readonly options: { extname: string; comments?: string[] },
  ) {}

  async begin(start: TableStart): Promise<void> {
    const { fields, rowBytes } = layoutOf(start.columns);
    this.fields = fields;
    this.rowBytes = rowBytes;
    const primary = encodeHeader([
      { key: "SIMPLE", value: true, comment: "conforms to FITS 4.0" },
      { key: "BITPIX", value: 8 },
      { key: "NAXIS", value: 0 },
      { key: "EXTEND", value: true },
      { key: "ORIGIN", value: "MAC-Net platform" },
    ]);
    const cards: Card[] = [
      { key: "XTENSION", value: "BINTABLE", comment: "binary table extension" },
      { key: "BITPIX", value: 8 },
      { key: "NAXIS", value: 2 },
      { key: "NAXIS1", value: rowBytes, comment: "bytes per row" },
      { key: "NAXIS2", value: start.rowCount ?? 0, comment: "rows" },
      { key: "PCOUNT", value: 0 },
      { key: "GCOUNT", value: 1 },
      { key: "TFIELDS", value: fields.length },
      { key: "EXTNAME", value: this.options.extname },
    ];
    fields.forEach(({ column, tform }, i) => {
      const n = i + 1;
      // Descriptions name models, whose names come from dataset names: any text, FITS headers ASCII.
      cards.push({ key: `TTYPE${n}`, value: column.name, comment: asciiOf(column.description).slice(0, 45) });
      cards.push({ key: `TFORM${n}`, value: tform });
      if (column.unit) cards.push({ key: `TUNIT${n}`, value: column.unit });
      if (column.kind === "long") cards.push({ key: `TNULL${n}`, value: INT64_NULL });
      // Not a FITS reserved keyword; TOPCAT and astropy carry it through as the column's UCD.
      cards.push({ key: `TUCD${n}`, value: column.ucd });
    });
    for (const comment of this.options.comments ?? [])
      cards.push({ key: "COMMENT", value: asciiOf(comment).slice(0, 72) });
    await this.sink(Buffer.concat([primary, encodeHeader(cards)]));
  }

  async rows(rows: Row[]): Promise<void> {
    // Text is padded with NULs, which FITS readers end a string at; astropy keeps trailing spaces, so
    // a space-padded "QSO" would not equal "QSO" in `t["catalogue_class"] == "QSO"`.
    const buffer = Buffer.alloc(rows.length * this.rowBytes, 0);
    rows.forEach((row, r) => {
      const base = r * this.rowBytes;
      for (const { column, bytes, offset } of this.fields) {
        const value = row[column.name];
        const at = base + offset;
        if (column.kind === "long") {
          buffer.writeBigInt64BE(value === null || value === undefined ? INT64_NULL : BigInt(value), at);
        } else if (column.kind === "double") {
          buffer.writeDoubleBE(value === null || value === undefined ? Number.NaN : Number(value), at);
        } else if (column.kind === "float") {
          buffer.writeFloatBE(value === null || value === undefined ? Number.NaN : Number(value), at);
        } else if (value !== null && value !== undefined) {
          buffer.write(asciiOf(String(value)).slice(0, bytes), at, bytes, "latin1");
        }
      }
    });
    this.written += rows.length;
    await this.sink(buffer);
  }

  async end(result: { rowCount: number }): Promise<void> {
    if (result.rowCount !== this.written) {
      throw new Error(`FITS table: NAXIS2 was written for ${this.written} rows but ${result.rowCount} came`);
    }
    const dataBytes = this.written * this.rowBytes;
    const padding = (BLOCK_BYTES - (dataBytes % BLOCK_BYTES)) % BLOCK_BYTES;
    if (padding > 0) await this.sink(Buffer.alloc(padding, 0));
  }
}
