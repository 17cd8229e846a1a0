import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { cliEntry, repoRoot } from "./helpers/paths.ts";

// Smoke test of the default: no DATABASE_URL → embedded PGlite under MACNET_HOME, shared by processes.

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
      applied: [
        "20261125170000_init",
        "20261125180000_object_keys",
        "20261126000000_job_results",
        "20261203080000_ingest_run_liveness",
      ],
    });
    expect(String((first.json as { database: string }).database)).toContain(join(home, "pgdata"));
    expect(existsSync(join(home, "pgdata", "PG_VERSION"))).toBe(true);
    expect(existsSync(join(home, "embedded.lock"))).toBe(false);

    const second = await runCli(["db", "migrate", "--json"], env);
    expect(second.json).toMatchObject({
      applied: [],
      alreadyApplied: [
        "20261125170000_init",
        "20261125180000_object_keys",
        "20261126000000_job_results",
        "20261203080000_ingest_run_liveness",
      ],
    });
  });

  it("lets other commands use the database while `start` holds it, and stops cleanly on SIGINT", async () => {
    const output = await startOwner();
    expect(output).toMatch(/admin login: user 'admin', password '[\w-]+', API key mk_/);
    const credentials = JSON.parse(readFileSync(join(home, "admin-credentials.json"), "utf8"));
    expect(credentials.name).toBe("admin");

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

  it("ingests a simulated survey into the embedded database (no COPY there) and reports it", async () => {
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
    const status = await runCli(["db", "status", "--json"], env);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ mode: "embedded-owner", upToDate: true });
  });
});
