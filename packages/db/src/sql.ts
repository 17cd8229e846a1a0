// The one place in the project that opens plain SQL connections (issue #34). Prisma (`client.ts`)
// carries the ORM's reads and writes; what Prisma cannot do — COPY, LISTEN/NOTIFY, advisory locks,
// CREATE DATABASE, the job queue's pool, the API's prepared-statement pool — goes through the
// connections made here. No other module imports `pg` or `pg-copy-streams`
// (test/api-imports.test.ts checks this), so the driver, its settings and the way a failed connect
// is cleaned up are decided once. Imported as `@macnet/db/sql`: it loads neither Prisma nor its
// generated client.
import type { Writable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** Anything that runs statements: one connection, or a connection checked out of a pool. */
export type SqlClient = pg.ClientBase;
/** One dedicated connection (LISTEN, a session's advisory lock, a heartbeat). */
export type SqlConnection = pg.Client;
/** A pool of connections. */
export type SqlConnectionPool = pg.Pool;
/** A row as the driver returns it. */
export type SqlRow = pg.QueryResultRow;
/** How a column's text is turned into a JavaScript value (the API reads timestamps as UTC). */
export type SqlTypeParsers = NonNullable<pg.ClientConfig["types"]>;
/** The driver's own parser for a type; a custom table falls back to it. */
export const defaultTypeParser: typeof pg.types.getTypeParser = pg.types.getTypeParser;

/**
 * A connection to `databaseUrl`, not yet connected: for callers that attach handlers (notifications,
 * errors) before connecting, or that must end it whether or not connecting worked.
 */
export function newConnection(databaseUrl: string): SqlConnection {
  return new pg.Client({ connectionString: databaseUrl });
}

/** A connected connection to `databaseUrl`; one that fails to connect is ended before the error is thrown. */
export async function openConnection(databaseUrl: string): Promise<SqlConnection> {
  const client = newConnection(databaseUrl);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

/** Runs `work` on its own connection to `databaseUrl`, ended afterwards whatever happens. */
export async function withConnection<T>(databaseUrl: string, work: (client: SqlConnection) => Promise<T>): Promise<T> {
  const client = await openConnection(databaseUrl);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A pool of at most `max` connections to `databaseUrl` (connections open on first use). */
export function openPool(databaseUrl: string, options: { max: number; types?: SqlTypeParsers }): SqlConnectionPool {
  return new pg.Pool({ connectionString: databaseUrl, max: options.max, types: options.types });
}

/**
 * Starts `COPY … FROM STDIN` on `client`: the returned stream takes the rows (in the format the
 * statement names) and finishes when the server has stored them.
 */
export function copyIn(client: SqlClient, statement: string): Writable {
  return client.query(copyFrom(statement));
}
