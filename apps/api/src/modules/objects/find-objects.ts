// The objects connection: the object filter (../../object-filter.ts) with keyset pagination by opaque
// cursors, the total count, and the sky map's packed positions.

import { Prisma } from "@macnet/db";
import { badInput } from "../../errors.ts";
import type { CelestialObject } from "../../mappers.ts";
import { filterSql, type TObjectFilter, whereAll } from "../../object-filter.ts";
import type { SqlPool } from "../../sql-pool.ts";

export type { TObjectFilter };

export const MAX_PAGE_SIZE = 200;

/**
 * The CelestialObject fields read straight from a celestial_object column, and the column (under the
 * field's name in the row). 64-bit ids travel as text: the page comes back as JSON.
 */
const OBJECT_COLUMNS: Record<string, string> = {
  obsid: "o.obsid::text",
  designation: "o.designation",
  sdssObjId: "o.sdss_objid::text",
  raDeg: "o.ra_deg",
  decDeg: "o.dec_deg",
  subclass: "o.subclass",
  redshift: "o.redshift",
  source: "o.source",
  release: "o.release",
  magnitudes: "o.magnitudes",
  missingModalities: "COALESCE(o.missing_modalities, '{}')",
};

/** The select list for these CelestialObject fields; id and catalogue class always come along. */
function objectColumns(fields: ReadonlySet<string> | null): Prisma.Sql {
  const wanted = Object.entries(OBJECT_COLUMNS).filter(([field]) => !fields || fields.has(field));
  return Prisma.raw(
    ['o.id, o.catalog_class AS "catalogClass"', ...wanted.map(([field, column]) => `${column} AS "${field}"`)].join(
      ", ",
    ),
  );
}

/** A row of the page (as CelestialObject) and its rank, the cursor made when it is asked for. */
class ObjectEdge {
  constructor(
    readonly node: CelestialObject & { rank?: number },
    private readonly ranked: boolean,
  ) {}
  get cursor(): string {
    return encodeCursor(this.ranked ? [this.node.rank as number, this.node.id] : [this.node.id]);
  }
}

/** The total of a page: exact up to EXACT_COUNT_LIMIT matches, else PostgreSQL's estimate. */
export interface ObjectCount {
  count: number;
  exact: boolean;
}

export interface ObjectPage {
  edges: ObjectEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Counted only when asked for (the count is the dearer half of a page). */
  countAll: () => Promise<ObjectCount>;
}

/**
 * Matches counted exactly; beyond them the total is the planner's estimate, so that no page counts
 * millions of rows (an exact count(*) of 10⁷ objects takes seconds on every page that asks for it).
 */
export const EXACT_COUNT_LIMIT = 10_000;
/**
 * The same for disagreements: they are found by a test after the join (the model's class differs
 * from the catalogue's), a few per hundred predictions, so each one counted costs tens of rows read.
 */
export const EXACT_DISAGREEMENT_COUNT_LIMIT = 1_000;

function encodeCursor(values: (number | string)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

function decodeCursor(cursor: string, length: number): (number | string)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === "number")) return values;
  } catch {}
  throw badInput("after is not a cursor from this connection", "after");
}

export const MAX_SKY_MAP = 500_000;

/** Rows the sky map reads per statement: what it holds besides the packed arrays. */
const SKY_MAP_CHUNK = 20_000;

/**
 * Positions, ids and class letters of the objects matching a filter, packed for a sky plot. Read in
 * chunks by id within one snapshot, so that no more than a chunk of rows is held besides the packed
 * arrays (about 32 bytes per object with their base64): the API's cost estimate counts on it.
 */
export async function skyMap(options: { sql: SqlPool; filter: TObjectFilter; limit: number }) {
  if (!Number.isInteger(options.limit) || options.limit < 0 || options.limit > MAX_SKY_MAP) {
    throw badInput(`limit must be between 0 and ${MAX_SKY_MAP}`, "limit");
  }
  const { join, conditions } = filterSql(options.filter);
  const raDec = new Float32Array(options.limit * 2);
  const ids = new Uint32Array(options.limit);
  const codes: string[] = [];
  let count = 0;
  let truncated = false;
  await options.sql.snapshot(async (query) => {
    let lastId = 0;
    for (;;) {
      const want = Math.min(SKY_MAP_CHUNK, options.limit + 1 - count);
      const all = whereAll([
        ...conditions,
        Prisma.sql`o.ra_deg IS NOT NULL AND o.dec_deg IS NOT NULL AND o.id > ${lastId}`,
      ]);
      const rows = await query<{ id: number; ra: number; dec: number; c: string | null }>(Prisma.sql`
        SELECT o.id, o.ra_deg AS ra, o.dec_deg AS dec, left(o.catalog_class::text, 1) AS c
        FROM celestial_object o ${join} ${all} ORDER BY o.id LIMIT ${want}`);
      let chunk = "";
      for (const row of rows) {
        if (count === options.limit) {
          truncated = true;
          break;
        }
        raDec[2 * count] = row.ra;
        raDec[2 * count + 1] = row.dec;
        ids[count] = row.id;
        chunk += row.c ?? "-";
        count++;
      }
      codes.push(chunk);
      if (truncated || rows.length < want) return;
      lastId = (rows.at(-1) as { id: number }).id;
    }
  });
  return {
    count,
    truncated,
    raDecBase64: Buffer.from(raDec.buffer, 0, count * 8).toString("base64"),
    idsBase64: Buffer.from(ids.buffer, 0, count * 4).toString("base64"),
    classCodes: codes.join(""),
  };
}

export async function findObjects(options: {
  sql: SqlPool;
  filter: TObjectFilter;
  first: number;
  after?: string | null;
  /** The CelestialObject fields the operation reads (null: all of them). */
  fields?: ReadonlySet<string> | null;
  /** Count in the page's own statement (the operation asks for totalCount): one round trip less. */
  countNow?: boolean;
}): Promise<ObjectPage> {
  const { sql, filter } = options;
  if (!Number.isInteger(options.first) || options.first < 0 || options.first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, "first");
  }
  const { join, conditions, where } = filterSql(filter);
  const matching = Prisma.sql`SELECT 1 FROM celestial_object o ${join} ${where}`;
  const exactLimit = filter.disagreement ? EXACT_DISAGREEMENT_COUNT_LIMIT : EXACT_COUNT_LIMIT;
  const countSql = Prisma.sql`SELECT count(*) AS n FROM (${matching} LIMIT ${exactLimit + 1}) matching`;
  const total = async (counted: number): Promise<ObjectCount> => {
    if (counted <= exactLimit) return { count: counted, exact: true };
    const [plan] = await sql.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
      Prisma.sql`EXPLAIN (FORMAT JSON) ${matching}`,
    );
    const estimate = Math.round(plan?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
    return { count: Math.max(estimate, counted), exact: false };
  };
  const count = async () => {
    const rows = await sql.query<{ n: string }>(countSql);
    return total(Number(rows[0]?.n ?? 0));
  };
  let counting: Promise<ObjectCount> | undefined;
  // Disagreements are ranked by the model's confidence; everything else pages by id.
  const ranked = Boolean(filter.disagreement);
  const keyset: Prisma.Sql[] = [];
  if (options.after) {
    if (ranked) {
      const [confidence, id] = decodeCursor(options.after, 2) as [number, number];
      keyset.push(Prisma.sql`(p.confidence < ${confidence} OR (p.confidence = ${confidence} AND o.id > ${id}))`);
    } else {
      const [id] = decodeCursor(options.after, 1) as [number];
      keyset.push(Prisma.sql`o.id > ${id}`);
    }
  }
  const pageWhere = whereAll([...conditions, ...keyset]);
  const order = ranked ? Prisma.sql`ORDER BY p.confidence DESC, o.id ASC` : Prisma.sql`ORDER BY o.id ASC`;
  // The page as one JSON array built by PostgreSQL (one value to parse instead of a value per column).
  const pageSql = Prisma.sql`
    SELECT COALESCE(json_agg(page ORDER BY ${ranked ? Prisma.sql`page.rank DESC, ` : Prisma.empty}page.id), '[]') AS page FROM (
      SELECT ${objectColumns(options.fields ?? null)}${ranked ? Prisma.sql`, p.confidence AS rank` : Prisma.empty}
      FROM celestial_object o ${join} ${pageWhere} ${order} LIMIT ${options.first + 1}) page`;
  type Row = CelestialObject & { rank?: number };
  let rows: Row[];
  if (options.countNow) {
    // The count and the page in one statement.
    const [result] = await sql.query<{ n: string; page: Row[] }>(
      Prisma.sql`SELECT (${countSql}) AS n, (${pageSql}) AS page`,
    );
    counting = total(Number(result?.n ?? 0));
    rows = result?.page ?? [];
  } else {
    const [result] = await sql.query<{ page: Row[] }>(pageSql);
    rows = result?.page ?? [];
  }
  const edges = rows.slice(0, options.first).map((row) => new ObjectEdge(row, ranked));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > options.first, endCursor: edges.at(-1)?.cursor ?? null },
    countAll: () => {
      counting ??= count();
      return counting;
    },
  };
}
