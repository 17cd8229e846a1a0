import { applyMigrations, createScratchDatabase, type ScratchDatabase } from "@macnet/db";
import { newConnection, type SqlRow } from "@macnet/db/sql";
import { migrationsDir } from "./paths.ts";

/** A database of this test's own, dropped (or its embedded server stopped) by `dispose`. */
export type TestDatabase = ScratchDatabase;

/** The PostgreSQL server tests run against, if one is configured; otherwise tests use the embedded PGlite. */
export function serverAdminUrl(): string | undefined {
  return process.env.MACNET_TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** Creates an empty database: a uniquely named one on the server, or a fresh embedded PGlite. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase({ serverUrl: serverAdminUrl(), prefix: "macnet_test" });
}

/** An empty test database with every migration applied. */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir });
  return database;
}

/** Runs one query on its own connection and returns the rows (for assertions on what was stored). */
export async function queryRows<T extends SqlRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = newConnection(url);
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}
