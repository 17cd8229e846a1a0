import { randomUUID } from "node:crypto";
import { MacnetError } from "@macnet/core";
import { openConnection } from "../sql.ts";
import { compareMigrations } from "./migration-status.ts";
import { ensureMigrationTable, MIGRATION_LOCK_KEY, readAppliedMigrations } from "./migration-table.ts";
import { readMigrations } from "./read-migrations.ts";

/** What `macnet db migrate` did. */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies pending migrations the way `prisma migrate deploy` does and records them in
 * `_prisma_migrations` with Prisma's columns and checksums. Each migration runs in its own
 * transaction together with its history row. Refuses to run while any applied migration's file has
 * changed, or a failed migration is unresolved.
 */
export async function applyMigrations(options: {
  databaseUrl: string;
  migrationsDir: string;
  onApplied?: (name: string) => void;
}): Promise<MigrateResult> {
  const local = readMigrations(options.migrationsDir);
  const client = await openConnection(options.databaseUrl);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await ensureMigrationTable(client);
    const status = compareMigrations(local, await readAppliedMigrations(client));
    const modified = status.filter((entry) => entry.state === "modified").map((entry) => entry.name);
    if (modified.length > 0) {
      throw new MacnetError(
        `Migration ${modified.join(", ")} was modified after it was applied (checksum differs from _prisma_migrations); ` +
          "restore the file or add a new migration instead",
        "MIGRATION_CHECKSUM_MISMATCH",
      );
    }
    const failed = status.filter((entry) => entry.state === "failed").map((entry) => entry.name);
    if (failed.length > 0) {
      throw new MacnetError(
        `Migration ${failed.join(", ")} started but never finished; inspect the database and mark it with ` +
          "`prisma migrate resolve` before migrating again",
        "MIGRATION_FAILED",
      );
    }
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of local) {
      const state = status.find((entry) => entry.name === migration.name)?.state;
      if (state === "applied") {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      const id = randomUUID();
      const startedAt = new Date();
      try {
        await client.query("BEGIN");
        // Authoritative re-check under a table lock: the advisory lock does not exclude a second
        // runner on PGlite, whose connections all share one session.
        await client.query('LOCK TABLE "_prisma_migrations" IN EXCLUSIVE MODE');
        const done = await client.query(
          `SELECT 1 FROM "_prisma_migrations"
            WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          [migration.name],
        );
        if (done.rowCount) {
          await client.query("COMMIT");
          result.alreadyApplied.push(migration.name);
          continue;
        }
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, $4, now(), 1)`,
          [id, migration.checksum, migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        const message = error instanceof Error ? error.message : String(error);
        // The transaction undid the migration, so it is recorded as rolled back (Prisma then retries it).
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, logs, rolled_back_at, applied_steps_count)
           VALUES ($1, $2, $3, $4, $5, now(), 0)`,
          [id, migration.checksum, migration.name, startedAt, message],
        );
        throw new MacnetError(`Migration ${migration.name} failed and was rolled back: ${message}`, "MIGRATION_ERROR");
      }
      result.applied.push(migration.name);
      options.onApplied?.(migration.name);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
