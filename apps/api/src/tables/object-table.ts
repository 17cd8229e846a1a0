// Objects as a table for astronomers' tools: the columns (names, units, UCDs, descriptions), the
// models whose predictions ride along, and the rows read in keyset chunks from one database
// snapshot, so 100 000 rows stream out without ever being held together. The writers
// (VOTable, FITS binary table, CSV) turn these into bytes.
import { Prisma } from "@macnet/db";
import { badInput } from "../errors.ts";
import { filterSql, type TObjectFilter } from "../object-filter.ts";
import type { SqlPool } from "../sql-pool.ts";

/** Rows read per statement: bounded memory whatever the table's length. */
export const CHUNK_ROWS = 2000;
/** At most this many models' predictions in one table. */
export const MAX_TABLE_MODELS = 8;

export type ColumnKind = "long" | "double" | "float" | "char" | "unicodeChar";

export interface TableColumn {
  name: string;
  kind: ColumnKind;
  description: string;
  /** UCD1+ (the words IVOA's vocabulary holds). */
  ucd: string;
  /** The UCD a Simple Cone Search 1.03 client looks this column up by (ID_MAIN, POS_EQ_*_MAIN). */
  scsUcd?: string;
  unit?: string;
  /** The select-list expression (over `celestial_object o` and the model joins). */
  sql: string;
  /** For char columns of fixed width (FITS): the width; otherwise the snapshot's longest value. */
  width?: number;
}

export interface TableModel {
  id: number;
  name: string;
  architecture: string;
}

export type Row = Record<string, string | number | null>;

/** 1: position and id only; 2: the catalogue's class and redshift and the predictions; 3: everything. */
export type Verbosity = 1 | 2 | 3;

const CLASS_WIDTH = 6; // GALAXY

function baseColumns(verbosity: Verbosity): TableColumn[] {
  const main: TableColumn[] = [
    {
      name: "id",
      kind: "long",
      description: "MAC-Net platform object id (the dashboard's /objects/<id>)",
      ucd: "meta.id;meta.main",
      scsUcd: "ID_MAIN",
      sql: "o.id",
    },
    {
      name: "ra",
      kind: "double",
      description: "Right ascension (ICRS, J2000)",
      ucd: "pos.eq.ra;meta.main",
      scsUcd: "POS_EQ_RA_MAIN",
      unit: "deg",
      sql: "o.ra_deg",
    },
    {
      name: "dec",
      kind: "double",
      description: "Declination (ICRS, J2000)",
      ucd: "pos.eq.dec;meta.main",
      scsUcd: "POS_EQ_DEC_MAIN",
      unit: "deg",
      sql: "o.dec_deg",
    },
  ];
  if (verbosity === 1) return main;
  const standard: TableColumn[] = [
    {
      name: "designation",
      kind: "unicodeChar",
      description: "Survey designation",
      ucd: "meta.id",
      sql: "o.designation",
    },
    { name: "obsid", kind: "long", description: "LAMOST observation id", ucd: "meta.id", sql: "o.obsid" },
    {
      name: "catalogue_class",
      kind: "char",
      description: "Class in the source catalogue: GALAXY, QSO or STAR (empty: unlabelled)",
      ucd: "src.class",
      sql: "o.catalog_class::text",
      width: CLASS_WIDTH,
    },
    {
      name: "subclass",
      kind: "unicodeChar",
      description: "Subclass in the source catalogue",
      ucd: "src.spType",
      sql: "o.subclass",
    },
    { name: "redshift", kind: "double", description: "Catalogue redshift", ucd: "src.redshift", sql: "o.redshift" },
  ];
  if (verbosity === 2) return [...main, ...standard];
  return [
    ...main,
    ...standard,
    {
      name: "sdss_objid",
      kind: "long",
      description: "SDSS photometric object id",
      ucd: "meta.id.cross",
      sql: "o.sdss_objid",
    },
    { name: "source", kind: "unicodeChar", description: "Ingest source", ucd: "meta.dataset", sql: "o.source" },
    { name: "release", kind: "unicodeChar", description: "Survey data release", ucd: "meta.version", sql: "o.release" },
  ];
}

function modelColumns(model: TableModel, index: number): TableColumn[] {
  const of = `model ${model.id} (${model.name})`;
  const alias = `q${index}`;
  return [
    {
      name: `m${model.id}_class`,
      kind: "char",
      description: `Class predicted by ${of}`,
      ucd: "src.class",
      sql: `${alias}.predicted_class::text`,
      width: CLASS_WIDTH,
    },
    ...(["galaxy", "qso", "star"] as const).map(
      (name): TableColumn => ({
        name: `m${model.id}_p_${name}`,
        kind: "float",
        description: `Probability of ${name === "qso" ? "QSO" : name.toUpperCase()} by ${of}`,
        ucd: "stat.probability",
        sql: `${alias}.prob_${name}`,
      }),
    ),
  ];
}

const DISTANCE_COLUMN = (cone: NonNullable<TObjectFilter["cone"]>): TableColumn => ({
  name: "dist",
  kind: "double",
  description: `Angular distance from the cone's centre (${cone.raDeg}, ${cone.decDeg})`,
  ucd: "pos.angDistance",
  unit: "deg",
  // Haversine, as the cone condition (exact for small separations).
  sql: `degrees(2 * asin(sqrt(power(sin(radians(o.dec_deg - ${Number(cone.decDeg)}) / 2), 2)
    + cos(radians(o.dec_deg)) * cos(radians(${Number(cone.decDeg)}))
    * power(sin(radians(o.ra_deg - ${Number(cone.raDeg)}) / 2), 2))))`,
});

/** The models a table carries predictions of, checked to exist. */
export async function tableModels(sql: SqlPool, ids: number[]): Promise<TableModel[]> {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_TABLE_MODELS) throw badInput(`at most ${MAX_TABLE_MODELS} models per table`, "models");
  if (unique.length === 0) return [];
  const rows = await sql.query<TableModel>(
    Prisma.sql`SELECT id, name, architecture::text AS architecture FROM trained_model WHERE id IN (${Prisma.join(unique)})`,
  );
  const missing = unique.filter((id) => !rows.some((row) => row.id === id));
  if (missing.length > 0) throw badInput(`no model with id ${missing.join(", ")}`, "models");
  return unique.map((id) => rows.find((row) => row.id === id) as TableModel);
}

/** The model with the best test accuracy (the newest among equals), or null when none was evaluated. */
export async function bestEvaluatedModelId(sql: SqlPool): Promise<number | null> {
  const rows = await sql.query<{ id: number }>(Prisma.sql`
    SELECT m.id FROM trained_model m JOIN model_evaluation e ON e.model_id = m.id AND e.split = 'TEST'
    ORDER BY e.accuracy DESC, m.id DESC LIMIT 1`);
  return rows[0]?.id ?? null;
}

/**
 * Whose predictions a table carries: the models asked for, else the filter's model, else the model
 * with the best test accuracy (none when no model was evaluated).
 */
export async function chooseTableModels(
  sql: SqlPool,
  asked: number[] | undefined,
  filter: TObjectFilter,
): Promise<TableModel[]> {
  if (asked) return tableModels(sql, asked);
  if (filter.modelId) return tableModels(sql, [filter.modelId]);
  const best = await bestEvaluatedModelId(sql);
  return tableModels(sql, best === null ? [] : [best]);
}

/** The dataset version a table's filter names: its labels (reviewed corrections included) ride along. */
export interface TableDataset {
  id: number;
  name: string;
  version: number;
  reviewRule: string | null;
  corrections: number;
}

/** The dataset version of the filter (null: none named, or no such dataset: the filter matches nothing then). */
export async function tableDataset(sql: SqlPool, filter: TObjectFilter): Promise<TableDataset | null> {
  if (!filter.datasetId) return null;
  const [row] = await sql.query<TableDataset>(Prisma.sql`
    SELECT id, name, version, review_rule AS "reviewRule", corrections FROM dataset WHERE id = ${filter.datasetId}`);
  return row ?? null;
}

function labelColumns(dataset: TableDataset): TableColumn[] {
  const of = `dataset ${dataset.name} v${dataset.version}`;
  return [
    {
      name: "label",
      kind: "char",
      description: `Label in ${of}: a reviewed correction where reviewers made one, else the catalogue class`,
      ucd: "src.class",
      sql: "coalesce(dl.label, o.catalog_class)::text",
      width: CLASS_WIDTH,
    },
    {
      name: "label_source",
      kind: "char",
      description: `Where the label in ${of} comes from: catalogue, or review (corrected by reviewers' verdicts)`,
      ucd: "meta.note",
      sql: "CASE WHEN dl.label IS NULL THEN 'catalogue' ELSE 'review' END",
      width: 9,
    },
    {
      name: "label_verdicts",
      kind: "unicodeChar",
      description: "Ids of the verdicts that set a reviewed label (GraphQL labelVerdicts, macnet review list)",
      ucd: "meta.id",
      sql: "array_to_string(dl.verdict_ids, ' ')",
    },
  ];
}

export interface ObjectTableSpec {
  filter: TObjectFilter;
  models: TableModel[];
  /** The filter's dataset version, when it names one: its label columns are added (verbosity ≥ 2). */
  dataset?: TableDataset | null;
  verbosity: Verbosity;
  /** At most this many rows; one more in the database is reported as an overflow. */
  limit: number;
}

/** What a writer needs before the first row. */
export interface TableStart {
  columns: TableColumn[];
  models: TableModel[];
  /** How many rows will follow (counted in the snapshot; only when the writer asked for it). */
  rowCount?: number;
}

export interface TableWriter {
  /** Whether `begin` needs the row count and the widths of text columns (FITS does). */
  readonly needsSizes: boolean;
  begin(start: TableStart): Promise<void>;
  rows(rows: Row[]): Promise<void>;
  end(result: { rowCount: number; overflow: boolean }): Promise<void>;
}

export function objectTableColumns(spec: ObjectTableSpec): TableColumn[] {
  const columns = baseColumns(spec.verbosity);
  if (spec.filter.cone) columns.splice(3, 0, DISTANCE_COLUMN(spec.filter.cone));
  if (spec.dataset && spec.verbosity > 1) columns.push(...labelColumns(spec.dataset));
  return [...columns, ...spec.models.flatMap((model, index) => modelColumns(model, index))];
}

/** How many rows a table of this spec will have (capped at its limit): for progress bars. */
export async function countObjectTable(sql: SqlPool, spec: ObjectTableSpec): Promise<number> {
  const { join, where } = filterSql(spec.filter);
  const [row] = await sql.query<{ n: string }>(Prisma.sql`
    SELECT count(*) AS n FROM (SELECT 1 FROM celestial_object o ${join} ${where} LIMIT ${spec.limit}) matching`);
  return Number(row?.n ?? 0);
}

/**
 * Streams the objects matching a filter through a writer, in id order, from one snapshot. Stops
 * early when `aborted()` turns true (the client went away).
 */
export async function streamObjectTable(options: {
  sql: SqlPool;
  spec: ObjectTableSpec;
  writer: TableWriter;
  aborted?: () => boolean;
  /** Called with the number of rows written so far, after each chunk. */
  onRows?: (written: number) => void;
}): Promise<{ rowCount: number; overflow: boolean }> {
  const { spec, writer } = options;
  if (!Number.isInteger(spec.limit) || spec.limit < 0) throw badInput("the row limit must be a whole number", "limit");
  // The filter first: it validates the cone the distance column is built from.
  const { join, conditions } = filterSql(spec.filter);
  const columns = objectTableColumns(spec);
  const modelJoins = Prisma.raw(
    [
      ...spec.models.map((model, index) => {
        const alias = `q${index}`;
        return `LEFT JOIN prediction ${alias} ON ${alias}.object_id = o.id AND ${alias}.model_id = ${Number(model.id)}`;
      }),
      ...(spec.dataset && spec.verbosity > 1
        ? [`LEFT JOIN dataset_member dl ON dl.object_id = o.id AND dl.dataset_id = ${Number(spec.dataset.id)}`]
        : []),
    ].join(" "),
  );
  const select = Prisma.raw(columns.map((column) => `${column.sql} AS "${column.name}"`).join(", "));
  const where = (extra: Prisma.Sql[]) => {
    const all = [...conditions, ...extra];
    return all.length > 0 ? Prisma.sql`WHERE ${Prisma.join(all, " AND ")}` : Prisma.empty;
  };
  return options.sql.snapshot(async (query) => {
    const start: TableStart = { columns, models: spec.models };
    if (writer.needsSizes) {
      const texts = columns.filter((column) => column.kind === "char" || column.kind === "unicodeChar");
      const widths = texts
        .filter((column) => column.width === undefined)
        .map((column) => `COALESCE(max(octet_length(page."${column.name}")), 0) AS "${column.name}"`);
      // The same rows the pages below read: the first `limit` by id.
      const [sizes] = await query<Record<string, number | string>>(Prisma.sql`
        SELECT count(*) AS "__count"${Prisma.raw(widths.map((w) => `, ${w}`).join(""))} FROM (
          SELECT ${select} FROM celestial_object o ${join} ${modelJoins} ${where([])}
          ORDER BY o.id LIMIT ${spec.limit}) page`);
      start.rowCount = Number(sizes?.__count ?? 0);
      start.columns = columns.map((column) =>
        column.kind === "char" || column.kind === "unicodeChar"
          ? { ...column, width: column.width ?? Number(sizes?.[column.name] ?? 0) }
          : column,
      );
    }
    await writer.begin(start);
    let rowCount = 0;
    let after = -1;
    let overflow = false;
    while (rowCount < spec.limit && !options.aborted?.()) {
      const take = Math.min(CHUNK_ROWS, spec.limit - rowCount);
      const rows = await query<Row & { id: number }>(Prisma.sql`
        SELECT ${select} FROM celestial_object o ${join} ${modelJoins} ${where([Prisma.sql`o.id > ${after}`])}
        ORDER BY o.id LIMIT ${take}`);
      if (rows.length === 0) break;
      await writer.rows(rows);
      rowCount += rows.length;
      options.onRows?.(rowCount);
      after = Number(rows.at(-1)?.id);
      if (rows.length < take) break;
    }
    if (rowCount === spec.limit) {
      const more = await query(Prisma.sql`
        SELECT 1 FROM celestial_object o ${join} ${where([Prisma.sql`o.id > ${after}`])} LIMIT 1`);
      overflow = more.length > 0;
    }
    await writer.end({ rowCount, overflow });
    return { rowCount, overflow };
  });
}
