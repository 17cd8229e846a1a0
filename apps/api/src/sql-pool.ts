// The API's own connection pool for its hot read paths (the objects connection and what a page of
// objects loads with it). Statements go out as named prepared statements: PostgreSQL parses and
// plans each distinct statement text once per connection instead of on every request, and rows come
// back without the ORM's per-row mapping. Everything else goes through Prisma. The connections come
// from `@macnet/db/sql`, the one module that opens plain SQL connections.
import type { Prisma } from "@macnet/db";
import { defaultTypeParser, openPool, type SqlTypeParsers } from "@macnet/db/sql";

/** Distinct statement texts given names (the filters combine into a bounded set; more run unnamed). */
const MAX_NAMED = 500;

/** `timestamp without time zone` columns hold UTC (as Prisma reads them). */
const TIMESTAMP_OID = 1114;

export interface SqlPool {
  /** Runs a Prisma.sql statement; its values are bound as parameters. */
  query<Row>(statement: Prisma.Sql): Promise<Row[]>;
  /**
   * Runs `work` on one connection inside a read-only REPEATABLE READ transaction: every statement
   * sees the same snapshot (a count and the pages read after it agree), and nothing is held
   * beyond what each statement returns.
   */
  snapshot<T>(work: (query: <Row>(statement: Prisma.Sql) => Promise<Row[]>) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

export function createSqlPool(
  databaseUrl: string,
  options: { max?: number; onQuery?: (sql: string) => void; log?: (line: string) => void } = {},
): SqlPool {
  const types: SqlTypeParsers = {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === TIMESTAMP_OID
        ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
        : defaultTypeParser(oid, format)) as typeof defaultTypeParser,
  };
  const pool = openPool(databaseUrl, { max: options.max ?? 10, types });
  // A connection the server ends while it is idle (a restart, a dropped database) is an event, not a
  // crash: the pool discards it and opens another for the next query.
  const lost = (error: Error) => options.log?.(`sql pool: a connection was lost (${error.message})`);
  pool.on("error", lost);
  const onQuery = options.onQuery;
  const names = new Map<string, string>();
  return {
    async query<Row>(statement: Prisma.Sql) {
      const text = statement.text;
      let name = names.get(text);
      if (name === undefined && names.size < MAX_NAMED) {
        name = `macnet_api_${names.size}`;
        names.set(text, name);
      }
      onQuery?.(text);
      const result = await pool.query({ name, text, values: statement.values as unknown[] });
      return result.rows as Row[];
    },
    async snapshot(work) {
      const client = await pool.connect();
      // While checked out, a connection's own errors are not the pool's: the query in flight rejects.
      client.on("error", lost);
      let failed = false;
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        const result = await work(async <Row>(statement: Prisma.Sql) => {
          onQuery?.(statement.text);
          return (await client.query({ text: statement.text, values: statement.values as unknown[] })).rows as Row[];
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        client.off("error", lost);
        // A connection whose transaction failed half-way is closed rather than handed on.
        if (failed) client.release(true);
        else client.release();
      }
    },
    end: () => pool.end(),
  };
}
