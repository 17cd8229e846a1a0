// A FITS binary table written as rows arrive: an empty primary HDU, then a BINTABLE extension whose
// header needs the row count and every text column's width up front (the snapshot's count and
// longest values), then the rows chunk by chunk and the block padding, all through @macnet/fits's one
// BINTABLE encoder. Nulls: NaN for reals, TNULL for integers, NULs for text (FITS 4.0 §7.3).
import { asciiOf, BinTableEncoder, type BinTableField, encodeHeader } from "@macnet/fits";
import type { Row, TableColumn, TableStart, TableWriter } from "./object-table.ts";
import type { Sink } from "./sink.ts";

const INT64_NULL = -(2n ** 63n);

function fieldOf(column: TableColumn, index: number): BinTableField {
  const common = {
    name: column.name,
    unit: column.unit,
    // Descriptions name models, whose names come from dataset names: any text, FITS headers ASCII.
    comment: column.description,
    // Not a FITS reserved keyword; TOPCAT and astropy carry it through as the column's UCD.
    cards: [{ key: `TUCD${index + 1}`, value: column.ucd }],
  };
  if (column.kind === "long") return { ...common, type: "K", nullInt: INT64_NULL };
  if (column.kind === "double") return { ...common, type: "D" };
  if (column.kind === "float") return { ...common, type: "E" };
  return { ...common, type: "A", repeat: Math.max(1, column.width ?? 1) };
}

export class FitsTableWriter implements TableWriter {
  readonly needsSizes = true;
  private encoder: BinTableEncoder | undefined;
  private names: string[] = [];
  private written = 0;

  constructor(
    private readonly sink: Sink,
    /** Free text for COMMENT cards (made printable ASCII and cut to a card's width here). */
    private readonly options: { extname: string; comments?: string[] },
  ) {}

  async begin(start: TableStart): Promise<void> {
    const fields = start.columns.map(fieldOf);
    // Text is padded with NULs, which FITS readers end a string at: astropy keeps trailing spaces.
    this.encoder = new BinTableEncoder(fields, { textPad: "\0", scalarRepeat: false });
    this.names = start.columns.map((column) => column.name);
    const primary = encodeHeader([
      { key: "SIMPLE", value: true, comment: "conforms to FITS 4.0" },
      { key: "BITPIX", value: 8 },
      { key: "NAXIS", value: 0 },
      { key: "EXTEND", value: true },
      { key: "ORIGIN", value: "MAC-Net platform" },
    ]);
    const table = this.encoder.header(start.rowCount ?? 0, {
      extname: this.options.extname,
      extnameFirst: true,
      cards: (this.options.comments ?? []).map((comment) => ({ key: "COMMENT", value: asciiOf(comment).slice(0, 72) })),
    });
    await this.sink(Buffer.concat([primary, table]));
  }

  async rows(rows: Row[]): Promise<void> {
    const encoder = this.encoder as BinTableEncoder;
    const cells = rows.map((row) =>
      this.names.map((name, i) => {
        const value = row[name];
        // 64-bit ids arrive as text (pg's bigint) or numbers.
        return value !== null && value !== undefined && encoder.fields[i]?.type === "K" ? BigInt(value) : value;
      }),
    );
    this.written += rows.length;
    await this.sink(encoder.encodeRows(cells));
  }

  async end(result: { rowCount: number }): Promise<void> {
    if (result.rowCount !== this.written) {
      throw new Error(`FITS table: NAXIS2 was written for ${this.written} rows but ${result.rowCount} came`);
    }
    const padding = (this.encoder as BinTableEncoder).padding(this.written);
    if (padding.length > 0) await this.sink(padding);
  }
}
