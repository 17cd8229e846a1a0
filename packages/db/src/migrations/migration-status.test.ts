import { describe, expect, it } from "vitest";
import { compareMigrations } from "./migration-status.ts";
import type { AppliedMigrationRow } from "./migration-table.ts";
import { migrationChecksum } from "./read-migrations.ts";

const local = (name: string, sql: string) => ({ name, sql, checksum: migrationChecksum(sql) });
const row = (name: string, sql: string, overrides: Partial<AppliedMigrationRow> = {}): AppliedMigrationRow => ({
  id: `id-${name}`,
  checksum: migrationChecksum(sql),
  migration_name: name,
  finished_at: new Date("2026-01-01T00:00:00Z"),
  rolled_back_at: null,
  started_at: new Date("2026-01-01T00:00:00Z"),
  applied_steps_count: 1,
  logs: null,
  ...overrides,
});

describe("migrationChecksum", () => {
  it("is Prisma's SHA-256 hex of the file bytes", () => {
    expect(migrationChecksum("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(migrationChecksum(Buffer.from("SELECT 1;\n"))).toBe(migrationChecksum("SELECT 1;\n"));
  });
});

describe("compareMigrations", () => {
  it("classifies applied, pending, modified, failed and unknown migrations", () => {
    const status = compareMigrations(
      [local("1_a", "A"), local("2_b", "B"), local("3_c", "C"), local("4_d", "D")],
      [row("1_a", "A"), row("2_b", "B-original"), row("3_c", "C", { finished_at: null }), row("9_gone", "X")],
    );
    expect(status.map((entry) => [entry.name, entry.state])).toEqual([
      ["1_a", "applied"],
      ["2_b", "modified"],
      ["3_c", "failed"],
      ["4_d", "pending"],
      ["9_gone", "missing-locally"],
    ]);
    expect(status[0]?.appliedAt).toBe("2026-01-01T00:00:00.000Z");
  });

  it("treats a rolled-back attempt as not applied", () => {
    const status = compareMigrations(
      [local("1_a", "A")],
      [row("1_a", "A", { finished_at: null, rolled_back_at: new Date() })],
    );
    expect(status).toEqual([{ name: "1_a", state: "pending", appliedAt: null }]);
  });
});
