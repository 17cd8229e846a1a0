// Processes that start together on a fresh database (two workers, an API and a worker) each install
// the job queue's schema; graphile-worker's own migration raced on CREATE SCHEMA (seen once in CI:
// "duplicate key value violates unique constraint pg_namespace_nspname_index").
import { migrateQueue } from "@macnet/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedTestDatabase, queryRows, type TestDatabase } from "./helpers/database.ts";

describe("installing the job queue's schema", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createMigratedTestDatabase();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("succeeds when several installers start at once on a fresh database", async () => {
    // Different spellings of the same database, so that no installer skips as already done.
    const urls = Array.from({ length: 6 }, (_, i) => {
      const url = new URL(database.url);
      url.searchParams.set("application_name", `installer-${i}`);
      return url.toString();
    });
    const results = await Promise.allSettled(urls.map((url) => migrateQueue(url)));
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    const schemas = await queryRows<{ n: string }>(
      database.url,
      "SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'graphile_worker'",
    );
    expect(Number(schemas[0]?.n)).toBe(1);
  });
});
