import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedServer, startEmbeddedServer } from "./embedded-server.ts";

// The embedded server shares PGlite's one session between connections; these are the ways pools
// broke on it (graphile-worker's named statements, interleaved extended queries, transactions).
describe("embedded wire server", () => {
  let folder: string;
  let server: EmbeddedServer;
  let pool: pg.Pool;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "macnet-wire-"));
    server = await startEmbeddedServer({ dataDir: join(folder, "pgdata") });
    pool = new pg.Pool({ connectionString: server.url, max: 8 });
    await pool.query("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
    await pool.query("INSERT INTO counter VALUES (1, 0)");
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("lets every connection prepare a statement of the same name", async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
    try {
      const results = await Promise.all(
        clients.map((client, index) =>
          client.query({ name: "same_name", text: "SELECT $1::int * 2 AS v", values: [index] }),
        ),
      );
      expect(results.map((result) => result.rows[0].v)).toEqual([0, 2, 4, 6]);
      // Reused by name on the same connections afterwards.
      const again = await Promise.all(
        clients.map((client, index) =>
          client.query({ name: "same_name", text: "SELECT $1::int * 2 AS v", values: [index + 10] }),
        ),
      );
      expect(again.map((result) => result.rows[0].v)).toEqual([20, 22, 24, 26]);
    } finally {
      for (const client of clients) client.release(true);
    }
  });

  it("runs many concurrent parameterised queries without mixing their portals", async () => {
    const values = Array.from({ length: 200 }, (_, index) => index);
    const results = await Promise.all(
      values.map((value) => pool.query("SELECT $1::int AS v, repeat('x', $1::int) AS s", [value])),
    );
    expect(results.map((result) => result.rows[0].v)).toEqual(values);
    expect(results.every((result, index) => result.rows[0].s.length === index)).toBe(true);
  });

  it("keeps a transaction's session to itself until it commits", async () => {
    const increments = 20;
    await Promise.all(
      Array.from({ length: increments }, async () => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const { rows } = await client.query("SELECT n FROM counter WHERE id = 1");
          await new Promise((resolve) => setTimeout(resolve, 1));
          await client.query("UPDATE counter SET n = $1 WHERE id = 1", [rows[0].n + 1]);
          await client.query("COMMIT");
        } finally {
          client.release();
        }
      }),
    );
    const { rows } = await pool.query("SELECT n FROM counter WHERE id = 1");
    expect(rows[0].n).toBe(increments);
  });

  it("rolls back what a vanished connection left open, and a failed query does not poison others", async () => {
    const start = (await pool.query("SELECT n FROM counter WHERE id = 1")).rows[0].n;
    const client = new pg.Client({ connectionString: server.url });
    client.on("error", () => {});
    await client.connect();
    await client.query("BEGIN");
    await client.query("UPDATE counter SET n = -1 WHERE id = 1");
    const before = pool.query("SELECT n FROM counter WHERE id = 1");
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const { rows } = await before;
    expect(rows[0].n).toBe(start);

    await expect(pool.query("SELECT * FROM no_such_table")).rejects.toThrow(/no_such_table/);
    const ok = await pool.query("SELECT 1 AS one");
    expect(ok.rows[0].one).toBe(1);
  });
});
