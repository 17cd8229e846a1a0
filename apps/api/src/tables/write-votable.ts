// VOTable 1.4 (TABLEDATA serialization) written as rows arrive: the header (RESOURCE with the DALI
// QUERY_STATUS, INFOs, FIELDs with units, UCDs and descriptions), then one TR per row, then the
// closing tags and, when rows were left out, a trailing QUERY_STATUS=OVERFLOW INFO (DALI 1.1 §4.4).
import type { Row, TableColumn, TableStart, TableWriter } from "./object-table.ts";
import type { Sink } from "./sink.ts";

const NAMESPACE = "http://www.ivoa.net/xml/VOTable/v1.3";

/** Text for XML: escaped, and without the characters XML 1.0 cannot hold at all. */
export function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function fieldXml(column: TableColumn, ucdStyle: "ucd1+" | "scs"): string {
  const ucd = ucdStyle === "scs" ? (column.scsUcd ?? column.ucd) : column.ucd;
  const size = column.kind === "char" || column.kind === "unicodeChar" ? ' arraysize="*"' : "";
  const unit = column.unit ? ` unit="${column.unit}"` : "";
  const frame = column.ucd.startsWith("pos.eq.") ? ' ref="icrs"' : "";
  return `<FIELD name="${column.name}" ID="${column.name}" datatype="${column.kind}"${size}${unit}${frame} ucd="${ucd}"><DESCRIPTION>${xmlText(column.description)}</DESCRIPTION></FIELD>\n`;
}

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "<TD/>";
  if (typeof value === "number") return Number.isFinite(value) ? `<TD>${value}</TD>` : "<TD/>";
  return `<TD>${xmlText(value)}</TD>`;
}

export interface VoTableOptions {
  /** The RESOURCE's and TABLE's description. */
  description: string;
  tableName: string;
  /** INFO elements (name, value) at the top of the RESOURCE, after QUERY_STATUS. */
  infos?: [string, string][];
  /** scs: the three main columns carry SCS 1.03's UCD1 names; ucd1+: every column UCD1+. */
  ucdStyle: "ucd1+" | "scs";
}

export class VoTableWriter implements TableWriter {
  readonly needsSizes = false;
  private columns: TableColumn[] = [];

  constructor(
    private readonly sink: Sink,
    private readonly options: VoTableOptions,
  ) {}

  async begin(start: TableStart): Promise<void> {
    this.columns = start.columns;
    const infos = (this.options.infos ?? [])
      .map(([name, value]) => `<INFO name="${xmlText(name)}" value="${xmlText(value)}"/>\n`)
      .join("");
    await this.sink(
      `<?xml version="1.0" encoding="UTF-8"?>\n<VOTABLE version="1.4" xmlns="${NAMESPACE}">\n` +
        `<RESOURCE type="results">\n<DESCRIPTION>${xmlText(this.options.description)}</DESCRIPTION>\n` +
        `<INFO name="QUERY_STATUS" value="OK"/>\n${infos}` +
        `<COOSYS ID="icrs" system="ICRS" epoch="J2000"/>\n` +
        `<TABLE name="${xmlText(this.options.tableName)}">\n` +
        start.columns.map((column) => fieldXml(column, this.options.ucdStyle)).join("") +
        "<DATA><TABLEDATA>\n",
    );
  }

  async rows(rows: Row[]): Promise<void> {
    let text = "";
    for (const row of rows) {
      text += "<TR>";
      for (const column of this.columns) text += cell(row[column.name]);
      text += "</TR>\n";
    }
    await this.sink(text);
  }

  async end(result: { rowCount: number; overflow: boolean }): Promise<void> {
    const overflow = result.overflow
      ? `<INFO name="QUERY_STATUS" value="OVERFLOW">More objects match than the ${result.rowCount} returned</INFO>\n`
      : "";
    await this.sink(`</TABLEDATA></DATA>\n</TABLE>\n${overflow}</RESOURCE>\n</VOTABLE>\n`);
  }
}

/**
 * An error as a VOTable: DALI's QUERY_STATUS=ERROR (what pyvo and TOPCAT read) and SCS 1.03's
 * INFO named Error.
 */
export function voTableError(message: string): string {
  const text = xmlText(message);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<VOTABLE version="1.4" xmlns="${NAMESPACE}">\n` +
    `<RESOURCE type="results">\n<INFO name="QUERY_STATUS" value="ERROR">${text}</INFO>\n` +
    `<INFO name="Error" ID="Error" value="${text}"/>\n</RESOURCE>\n</VOTABLE>\n`
  );
}
