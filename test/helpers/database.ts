import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, startEmbeddedServer } from "@macnet/db";
import pg from "pg";
import { migrationsDir } from "./paths.ts";

/** A database of this test's own, dropped (or its embedded server stopped) by `dispose`. */
export interface TestDatabase {
  url: string;
  kind: "server" | "embedded";
  dispose(): Promise<void>;
}

/** The PostgreSQL server tests run against, if one is configured; otherwise tests use the embedded PGlite. */
export function serverAdminUrl(): string | undefined {
  return process.env.MACNET_TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** Creates an empty database: a uniquely named one on the server, or a fresh embedded PGlite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = serverAdminUrl();
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), "macnet-test-pglite-"));
    const server = await startEmbeddedServer({ dataDir: join(dataDir, "pgdata") });
    return {
      url: server.url,
      kind: "embedded",
      async dispose() {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `macnet_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: "server",
    async dispose() {
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** An empty test database with every migration applied. */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir });
  return database;
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
