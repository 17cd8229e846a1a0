// CSV (RFC 4180): a header row of column names, then one line per row; empty cells are nulls.
import type { Row, TableColumn, TableStart, TableWriter } from "./object-table.ts";
import type { Sink } from "./sink.ts";

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

export class CsvWriter implements TableWriter {
  readonly needsSizes = false;
  private columns: TableColumn[] = [];

  constructor(private readonly sink: Sink) {}

  async begin(start: TableStart): Promise<void> {
    this.columns = start.columns;
    await this.sink(`${start.columns.map((column) => column.name).join(",")}\r\n`);
  }

  async rows(rows: Row[]): Promise<void> {
    let text = "";
    for (const row of rows) text += `${this.columns.map((column) => csvCell(row[column.name])).join(",")}\r\n`;
    await this.sink(text);
  }

  async end(): Promise<void> {}
}
