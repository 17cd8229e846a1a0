import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, getMigrationStatus, migrationChecksum, readMigrations } from "@macnet/db";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, queryRows, type TestDatabase } from "./helpers/database.ts";
import { migrationsDir } from "./helpers/paths.ts";

const opened: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.dispose()));
});

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  opened.push(database);
  return database;
}

function copyOfMigrations(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "macnet-migrations-")), "migrations");
  cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

describe("migration runner", () => {
  it("applies every migration once and nothing on the second run", async () => {
    const { url } = await freshDatabase();
    const names = readMigrations(migrationsDir).map((migration) => migration.name);
    expect(names.length).toBeGreaterThan(0);

    const first = await applyMigrations({ databaseUrl: url, migrationsDir });
    expect(first.applied).toEqual(names);
    const second = await applyMigrations({ databaseUrl: url, migrationsDir });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(names);
    const status = await getMigrationStatus({ databaseUrl: url, migrationsDir });
    expect(status.map((entry) => entry.state)).toEqual(names.map(() => "applied"));
  });

  it("records history exactly in Prisma's _prisma_migrations layout and checksums", async () => {
    const { url } = await freshDatabase();
    await applyMigrations({ databaseUrl: url, migrationsDir });
    const columns = await queryRows<{ column_name: string; data_type: string; is_nullable: string }>(
      url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", is_nullable: "NO" },
      { column_name: "checksum", data_type: "character varying", is_nullable: "NO" },
      { column_name: "finished_at", data_type: "timestamp with time zone", is_nullable: "YES" },
      { column_name: "migration_name", data_type: "character varying", is_nullable: "NO" },
      { column_name: "logs", data_type: "text", is_nullable: "YES" },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", is_nullable: "YES" },
      { column_name: "started_at", data_type: "timestamp with time zone", is_nullable: "NO" },
      { column_name: "applied_steps_count", data_type: "integer", is_nullable: "NO" },
    ]);
    const rows = await queryRows<{ migration_name: string; checksum: string; applied_steps_count: number; id: string }>(
      url,
      `SELECT id, migration_name, checksum, applied_steps_count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
    );
    for (const migration of readMigrations(migrationsDir)) {
      const row = rows.find((candidate) => candidate.migration_name === migration.name);
      const bytes = readFileSync(join(migrationsDir, migration.name, "migration.sql"));
      expect(row?.checksum).toBe(migrationChecksum(bytes));
      expect(row?.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row?.applied_steps_count).toBe(1);
    }
  });

  it("refuses to run when an applied migration's file changed, naming it", async () => {
    const { url } = await freshDatabase();
    const dir = copyOfMigrations();
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    const [first] = readMigrations(dir);
    if (!first) throw new Error("no migrations");
    writeFileSync(join(dir, first.name, "migration.sql"), `${first.sql}\n-- edited after the fact\n`);

    await expect(applyMigrations({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(
      new RegExp(`Migration ${first.name} was modified after it was applied`),
    );
    const status = await getMigrationStatus({ databaseUrl: url, migrationsDir: dir });
    expect(status.find((entry) => entry.name === first.name)?.state).toBe("modified");
  });

  it("applies a new migration on top, and rolls back a broken one while keeping the earlier ones", async () => {
    const { url } = await freshDatabase();
    const dir = copyOfMigrations();
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });

    mkdirSync(join(dir, "29990101000000_add_note"));
    writeFileSync(
      join(dir, "29990101000000_add_note", "migration.sql"),
      'ALTER TABLE "dataset" ADD COLUMN "note" TEXT;\n',
    );
    mkdirSync(join(dir, "29990102000000_broken"));
    writeFileSync(
      join(dir, "29990102000000_broken", "migration.sql"),
      'CREATE TABLE "half_done" ("id" INTEGER);\nALTER TABLE "no_such_table" ADD COLUMN "x" TEXT;\n',
    );
    await expect(applyMigrations({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(
      /Migration 29990102000000_broken failed and was rolled back: .*no_such_table/,
    );
    const tables = await queryRows<{ name: string | null }>(url, `SELECT to_regclass('"half_done"')::text AS name`);
    expect(tables[0]?.name).toBeNull();
    const note = await queryRows(url, `SELECT "note" FROM "dataset" LIMIT 1`);
    expect(note).toEqual([]);
    const history = await queryRows<{ migration_name: string; rolled_back_at: Date | null; logs: string | null }>(
      url,
      `SELECT migration_name, rolled_back_at, logs FROM "_prisma_migrations" WHERE migration_name = '29990102000000_broken'`,
    );
    expect(history).toHaveLength(1);
    expect(history[0]?.rolled_back_at).not.toBeNull();
    expect(history[0]?.logs).toMatch(/no_such_table/);

    // Fixed file: a rolled-back migration is retried, as `prisma migrate deploy` does.
    writeFileSync(join(dir, "29990102000000_broken", "migration.sql"), 'CREATE TABLE "half_done" ("id" INTEGER);\n');
    const retried = await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    expect(retried.applied).toEqual(["29990102000000_broken"]);
  });

  it("lets concurrent runners apply each migration exactly once", async () => {
    const { url } = await freshDatabase();
    const results = await Promise.all([
      applyMigrations({ databaseUrl: url, migrationsDir }),
      applyMigrations({ databaseUrl: url, migrationsDir }),
    ]);
    const appliedCount = results.reduce((sum, result) => sum + result.applied.length, 0);
    expect(appliedCount).toBe(readMigrations(migrationsDir).length);
    const rows = await queryRows(url, `SELECT 1 FROM "_prisma_migrations"`);
    expect(rows).toHaveLength(readMigrations(migrationsDir).length);
  });
});
