import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authenticateApiKey, createPrismaClient, readMigrations } from "@macnet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/database.ts";
import { migrationsDir } from "./helpers/paths.ts";

// The CLI as users' scripts see it: a real process, real database, JSON summary on the last line.

/** Every migration folder, in order. */
const MIGRATIONS = readMigrations(migrationsDir).map((m) => m.name);

let database: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
});

afterAll(async () => {
  await database?.dispose();
});

describe("macnet CLI", () => {
  it("migrates an empty database, then applies nothing on the second run", async () => {
    const first = await runCli(["db", "migrate", "--json"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({
      applied: MIGRATIONS,
      alreadyApplied: [],
    });

    const second = await runCli(["db", "migrate", "--json"], env);
    expect(second.code).toBe(0);
    expect(second.json).toMatchObject({
      applied: [],
      alreadyApplied: MIGRATIONS,
    });

    const status = await runCli(["db", "status", "--json"], env);
    expect(status.json).toMatchObject({
      mode: "server",
      upToDate: true,
      migrations: MIGRATIONS.map((name) => ({ name, state: "applied" })),
    });
  });

  it("refuses with one line naming the migration when an applied file was changed", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "macnet-cli-migrations-")), "migrations");
    cpSync(migrationsDir, dir, { recursive: true });
    writeFileSync(join(dir, "20261125170000_init", "migration.sql"), "-- tampered\n", { flag: "a" });
    const result = await runCli(["db", "migrate", "--migrations", dir, "--json"], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^macnet: error: Migration 20261125170000_init was modified after it was applied/);
  });

  it("creates a user whose printed API key authenticates", async () => {
    const result = await runCli(["user", "create", "--name", "script-bot", "--role", "COLLABORATOR", "--json"], env);
    expect(result.code).toBe(0);
    const summary = result.json as { id: number; name: string; role: string; apiKey: string };
    expect(summary).toMatchObject({ name: "script-bot", role: "COLLABORATOR" });
    const prisma = createPrismaClient(database.url);
    try {
      expect(await authenticateApiKey({ prisma, apiKey: summary.apiKey })).toMatchObject({ id: summary.id });
    } finally {
      await prisma.$disconnect();
    }
    const human = await runCli(["user", "create", "--name", "person", "--role", "SCIENTIST"], env);
    expect(human.stdout).toMatch(/API key \(shown once, store it now\): mk_/);
  });

  it("fails with a single clear stderr line and a non-zero exit on bad input", async () => {
    const duplicate = await runCli(["user", "create", "--name", "script-bot", "--role", "ADMIN"], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe("macnet: error: A user named 'script-bot' already exists\n");

    const badRole = await runCli(["user", "create", "--name", "x", "--role", "KING"], env);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(badRole.stderr).toMatch(/--role.*KING.*COLLABORATOR, SCIENTIST, ADMIN/);

    // Usage errors (commander's own checks) keep the contract: `macnet: error: …`, exit 2.
    const typo = await runCli(["gradcam", "--object", "1"], env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("macnet: error: required option '--model <id>' not specified\n");
    const missing = await runCli(["gradcam", "--model", "1"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("macnet: error: required option '--objects <ids>' not specified\n");
    const unknownOption = await runCli(["gradcam", "--model", "1", "--objects", "1", "--object", "1"], env);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toBe("macnet: error: unknown option '--object'\n(Did you mean --objects?)\n");

    const badUrl = await runCli(["db", "status"], { DATABASE_URL: "mysql://nope" });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/DATABASE_URL: must be a postgresql:\/\/ connection string/);

    const unreachable = await runCli(["db", "status"], { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("offers --help for every command", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    for (const command of [
      "db",
      "user",
      "start",
      "simulate",
      "ingest",
      "dataset",
      "train",
      "evaluate",
      "classify",
      "jobs",
      "worker",
      "model",
      "serve",
      "bench",
    ]) {
      expect(top.stdout).toContain(command);
      const help = await runCli([command, "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(/^Usage: macnet /);
    }
    const serverless = await runCli(["bench", "api", "--json"], { ...env, DATABASE_URL: "" });
    expect(serverless.code).toBe(1);
    expect(serverless.stderr).toMatch(/^macnet: error: bench api needs a PostgreSQL server: set DATABASE_URL/);
  });
});

describe("macnet bench infer", () => {
  it("measures the compact MAC-Net and prints the JSON contract", { timeout: 300_000 }, async () => {
    const result = await runCli(["bench", "infer", "--compact", "--repeats", "1", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split("\n").pop() as string);
    expect(summary).toMatchObject({ mode: "infer", size: "compact", rows: [{ arch: "MAC_NET", parameters: 680_649 }] });
    const row = summary.rows[0];
    for (const batch of ["b1", "b32"]) {
      expect(row.tfjs[batch].msPerSample).toBeGreaterThan(0);
      expect(row.tfjs[batch].peakRssMB).toBeGreaterThan(0);
      // The yardsticks either ran or say why not (no python3-torch on the machine).
      for (const engine of ["pytorch", "onnxruntime"]) {
        const figure = row[engine][batch];
        expect(figure.unavailable ?? figure.samplesPerS).toBeTruthy();
      }
    }
    if (process.env.MACNET_REQUIRE_NATIVE === "1") expect(summary.backend).toMatch(/onednn/);
    expect(Object.keys(summary.goals)).toEqual(["latencyB1VsOnnxruntime", "throughputB32VsOnnxruntime"]);
  });

  it("rejects an unknown architecture by name", async () => {
    const result = await runCli(["bench", "train", "--arch", "MAC_NET,NOPE"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/--arch.*unknown architecture "NOPE"/);
  });
});
