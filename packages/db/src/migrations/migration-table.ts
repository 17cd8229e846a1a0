import type { SqlClient } from "../sql.ts";

/** A row of `_prisma_migrations`, the table Prisma Migrate keeps its history in. */
export interface AppliedMigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
  logs: string | null;
}

/** Prisma's advisory-lock key for migrations; holding it keeps `prisma migrate` and us from racing. */
export const MIGRATION_LOCK_KEY = 72707369;

/** Creates `_prisma_migrations` with exactly Prisma's PostgreSQL definition, if missing. */
export async function ensureMigrationTable(client: SqlClient): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
  )`);
}

/** Reads the history, or nothing when the table does not exist yet. */
export async function readAppliedMigrations(client: SqlClient): Promise<AppliedMigrationRow[]> {
  const exists = await client.query<{ present: string | null }>(
    `SELECT to_regclass('"_prisma_migrations"')::text AS present`,
  );
  if (!exists.rows[0]?.present) return [];
  const result = await client.query<AppliedMigrationRow>(
    `SELECT id, checksum, migration_name, finished_at, rolled_back_at, started_at, applied_steps_count, logs
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}
