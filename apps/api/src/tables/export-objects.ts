// One entry point for every objects table (the API's /scs and /export, the CLI's `macnet export`):
// pick the writer for the format and stream the rows through it.
import type { SqlPool } from "../sql-pool.ts";
import { type ObjectTableSpec, streamObjectTable, type TableWriter } from "./object-table.ts";
import type { Sink } from "./sink.ts";
import { CsvWriter } from "./write-csv.ts";
import { FitsTableWriter } from "./write-fits-table.ts";
import { VoTableWriter } from "./write-votable.ts";

export const TABLE_FORMATS = ["votable", "fits", "csv"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export const TABLE_MEDIA: Record<TableFormat, { contentType: string; extension: string }> = {
  votable: { contentType: "application/x-votable+xml; charset=utf-8", extension: "vot" },
  fits: { contentType: "application/fits", extension: "fits" },
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv" },
};

export function tableWriter(
  format: TableFormat,
  sink: Sink,
  meta: { description: string; infos: [string, string][]; ucdStyle?: "ucd1+" | "scs" },
): TableWriter {
  if (format === "csv") return new CsvWriter(sink);
  if (format === "fits") {
    const comments = meta.infos.map(([name, value]) => `${name}: ${value}`);
    return new FitsTableWriter(sink, { extname: "OBJECTS", comments });
  }
  return new VoTableWriter(sink, {
    description: meta.description,
    tableName: "objects",
    infos: meta.infos,
    ucdStyle: meta.ucdStyle ?? "ucd1+",
  });
}

/** The INFO lines every table carries: where it came from and whose predictions it holds. */
export function tableInfos(spec: ObjectTableSpec, extra: [string, string][] = []): [string, string][] {
  return [
    ["service", "MAC-Net platform"],
    ["generated", new Date().toISOString()],
    ...extra,
    ...spec.models.map((model): [string, string] => [`model_${model.id}`, `${model.name} (${model.architecture})`]),
    ...(spec.dataset
      ? [
          [
            "labels",
            `dataset ${spec.dataset.name} v${spec.dataset.version} (id ${spec.dataset.id})${spec.dataset.reviewRule ? `: ${spec.dataset.corrections} labels corrected by review (${spec.dataset.reviewRule})` : ": catalogue labels"}`,
          ] as [string, string],
        ]
      : []),
  ];
}

export async function exportObjects(options: {
  sql: SqlPool;
  spec: ObjectTableSpec;
  format: TableFormat;
  sink: Sink;
  description: string;
  infos?: [string, string][];
  ucdStyle?: "ucd1+" | "scs";
  aborted?: () => boolean;
  onRows?: (written: number) => void;
}): Promise<{ rowCount: number; overflow: boolean }> {
  const writer = tableWriter(options.format, options.sink, {
    description: options.description,
    infos: tableInfos(options.spec, options.infos),
    ucdStyle: options.ucdStyle,
  });
  return streamObjectTable({
    sql: options.sql,
    spec: options.spec,
    writer,
    aborted: options.aborted,
    onRows: options.onRows,
  });
}
