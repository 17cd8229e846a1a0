import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MacnetError } from "@macnet/core";

/** A migration folder on disk in Prisma's layout: `<timestamp>_<name>/migration.sql`. */
export interface LocalMigration {
  name: string;
  sql: string;
  /** SHA-256 of the file's bytes, hex, as Prisma stores it in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** Reads every migration under `migrationsDir`, sorted by name (Prisma's order). */
export function readMigrations(migrationsDir: string): LocalMigration[] {
  if (!existsSync(migrationsDir)) {
    throw new MacnetError(`Migrations folder not found: ${migrationsDir}`, "MIGRATIONS_NOT_FOUND");
  }
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = join(migrationsDir, name, "migration.sql");
      if (!existsSync(file)) {
        throw new MacnetError(`Migration ${name} has no migration.sql (${file})`, "MIGRATION_INVALID");
      }
      const bytes = readFileSync(file);
      return { name, sql: bytes.toString("utf8"), checksum: migrationChecksum(bytes) };
    });
}

/** Prisma's migration checksum: SHA-256 over the file content, lowercase hex. */
export function migrationChecksum(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}
