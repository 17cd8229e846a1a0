import { openConnection } from "../sql.ts";
import { type AppliedMigrationRow, readAppliedMigrations } from "./migration-table.ts";
import { type LocalMigration, readMigrations } from "./read-migrations.ts";

/** Where one migration stands against the database. */
export type MigrationState = "applied" | "pending" | "modified" | "failed" | "missing-locally";

/** One line of `macnet db status`. */
export interface MigrationStatusEntry {
  name: string;
  state: MigrationState;
  appliedAt: string | null;
}

/** Compares the migrations on disk with `_prisma_migrations` without changing anything. */
export async function getMigrationStatus(options: {
  databaseUrl: string;
  migrationsDir: string;
}): Promise<MigrationStatusEntry[]> {
  const local = readMigrations(options.migrationsDir);
  const client = await openConnection(options.databaseUrl);
  try {
    return compareMigrations(local, await readAppliedMigrations(client));
  } finally {
    await client.end();
  }
}

/** Classifies each migration: applied, pending, modified since applied, failed, or known only to the database. */
export function compareMigrations(local: LocalMigration[], rows: AppliedMigrationRow[]): MigrationStatusEntry[] {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const entries: MigrationStatusEntry[] = local.map((migration) => {
    const row = live.find((candidate) => candidate.migration_name === migration.name);
    if (!row) return { name: migration.name, state: "pending", appliedAt: null };
    if (row.finished_at === null) return { name: migration.name, state: "failed", appliedAt: null };
    return {
      name: migration.name,
      state: row.checksum === migration.checksum ? "applied" : "modified",
      appliedAt: row.finished_at.toISOString(),
    };
  });
  for (const row of live) {
    if (!local.some((migration) => migration.name === row.migration_name)) {
      entries.push({
        name: row.migration_name,
        state: "missing-locally",
        appliedAt: row.finished_at?.toISOString() ?? null,
      });
    }
  }
  return entries;
}
