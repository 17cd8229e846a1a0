import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliEntry, repoRoot } from "./helpers/paths.ts";

// `npm start` (= `macnet start`) on a fresh MACNET_HOME with no DATABASE_URL: embedded database,
// demo survey, two models trained through the job system, API up; a second start reuses it all.

const home = mkdtempSync(join(tmpdir(), "macnet-quick-start-"));
let running: ChildProcess | undefined;

afterAll(() => {
  running?.kill("SIGKILL");
});

function start(): Promise<{ output: string; apiUrl: string; webUrl: string; exited: Promise<number | null> }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MACNET_HOME: home,
    MACNET_DEMO_OBJECTS: "40",
    MACNET_DEMO_EPOCHS: "2",
    MACNET_DEMO_REAL_DATA: "none",
    MACNET_API_LOG: "0",
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [cliEntry, "start", "--port", "0", "--web-port", "0"], { cwd: repoRoot, env });
  running = child;
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return new Promise((resolve, reject) => {
    let output = "";
    // A guard, so that a hang fails with what the platform printed instead of a bare timeout.
    const guard = setTimeout(() => reject(new Error(`start did not come up; it printed:\n${output}`)), 480_000);
    child.on("exit", () => clearTimeout(guard));
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const api = /API: (http:\S+)/.exec(output);
      const web = /dashboard: (http:\S+)/.exec(output);
      if (api && web && output.includes("Press Ctrl-C to stop.")) {
        clearTimeout(guard);
        resolve({ output, apiUrl: api[1] as string, webUrl: web[1] as string, exited });
      }
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => reject(new Error(`start exited early (${code}): ${output}`)));
  });
}

async function graphql(url: string, key: string, query: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

describe("npm start", () => {
  it("fills an empty platform with the demo, trains two models through the job system, serves the API and the dashboard", {
    timeout: 600_000,
  }, async () => {
    const first = await start();
    expect(first.output).toMatch("demo: simulating a survey of 40 objects");
    expect(first.output).toMatch(/admin login: user 'admin', password '[\w-]+', API key mk_/);
    const { apiKey } = JSON.parse(readFileSync(join(home, "admin-credentials.json"), "utf8"));
    const health = await fetch(first.apiUrl.replace("/graphql", "/healthz"));
    expect(health.status).toBe(200);
    const answer = await graphql(
      first.apiUrl,
      apiKey,
      "{ models { architecture compact evaluation { accuracy } } jobs { kind status } objects(first: 1) { totalCount } }",
    );
    expect(answer.errors).toBeUndefined();
    const data = answer.data as {
      models: { architecture: string; compact: boolean; evaluation: { accuracy: number } | null }[];
      jobs: { kind: string; status: string }[];
      objects: { totalCount: number };
    };
    expect(data.models.map((m) => m.architecture)).toEqual(["MAC_NET", "C_NET"]);
    for (const m of data.models) expect(m.evaluation?.accuracy).toBeGreaterThanOrEqual(0);
    expect(data.jobs.map((j) => j.status)).toEqual(Array(6).fill("SUCCEEDED"));
    expect(data.objects.totalCount).toBe(40);
    // The dashboard serves its login page and forwards GraphQL to the API on its own origin.
    const login = await fetch(new URL("/login", first.webUrl));
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("<title>MAC-Net platform</title>");
    const viaDashboard = await graphql(new URL("/graphql", first.webUrl).href, apiKey, "{ me { name role } }");
    expect(viaDashboard.data).toEqual({ me: { name: "admin", role: "ADMIN" } });
    running?.kill("SIGINT");
    expect(await first.exited).toBe(0);

    const second = await start();
    expect(second.output).not.toMatch("demo:");
    const again = await graphql(second.apiUrl, apiKey, "{ models { id } objects(first: 1) { totalCount } }");
    expect(again.data).toMatchObject({ objects: { totalCount: 40 } });
    expect((again.data as { models: unknown[] }).models).toHaveLength(2);
    running?.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });
});
