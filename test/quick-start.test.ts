import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { transformSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/paths.ts";

// The README's quick start, literally: its first command run by bash in a clean copy of the working
// tree (what `git ls-files` lists, nothing built, no node_modules), with no DATABASE_URL, a small
// demo survey and free ports. It must install, build, fill the embedded database with the demo, train
// two models through the job system, and serve the API and the dashboard; a second `npm start`
// reuses the data.

const copy = mkdtempSync(join(tmpdir(), "macnet-quick-start-"));
// Searchable by others, as a clone under a home folder is: run as root, the embedded PostgreSQL runs
// as its own unprivileged user, which must reach .macnet/pgdata.
chmodSync(copy, 0o755);
let running: ChildProcess | undefined;

afterAll(() => {
  if (running?.pid) {
    try {
      process.kill(-running.pid, "SIGKILL");
    } catch {}
  }
  rmSync(copy, { recursive: true, force: true });
});

/** The commands of the README's "Quick start" block. */
function quickStartCommands(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const block = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("README.md has no ```sh block under '## Quick start'");
  return (block[1] as string).trim().split("\n");
}

/** The working tree as a fresh clone would hold it (tracked and untracked, minus ignored files). */
function cleanCopy() {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: repoRoot })
    .toString("utf8")
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    const from = join(repoRoot, file);
    let mode: number;
    try {
      mode = statSync(from).mode;
    } catch {
      continue; // deleted in the working tree, not yet staged
    }
    const to = join(copy, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    chmodSync(to, mode);
  }
}

interface Example {
  file: string;
  language: "sh" | "python" | "ts";
  code: string;
}

/** The code blocks of the README and docs/api.md that talk to a running platform (they name MACNET_PORT). */
function documentedExamples(): Example[] {
  const examples: Example[] = [];
  for (const file of ["README.md", "docs/api.md"]) {
    const text = readFileSync(join(repoRoot, file), "utf8");
    for (const match of text.matchAll(/```(sh|python|ts)\n([\s\S]*?)```/g)) {
      const code = match[2] as string;
      if (code.includes("MACNET_PORT")) examples.push({ file, language: match[1] as Example["language"], code });
    }
  }
  return examples;
}

/** Runs an example as a user would (bash, Debian's python3 with pyvo, Node for TypeScript); its stdout. */
function runExample(example: Example, env: Record<string, string>): string {
  const options = { env: { ...process.env, ...env }, encoding: "utf8" as const, timeout: 60_000 };
  if (example.language === "sh") return execFileSync("bash", ["-c", example.code], options);
  if (example.language === "python") return execFileSync("/usr/bin/python3", ["-c", example.code], options);
  const script = join(copy, `example-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(script, transformSync(example.code, { loader: "ts", format: "esm" }).code);
  return execFileSync(process.execPath, [script], options);
}

/** Runs a README command in the copy; resolves once the platform printed its URLs and is serving. */
function run(command: string) {
  const env: Record<string, string | undefined> = {};
  // Nothing of this test run's npm leaks in (npm_config_local_prefix would point npm at the repo).
  for (const [key, value] of Object.entries(process.env)) {
    // NODE_ENV=test (set by vitest) would also hide what users get: Apollo's signal handlers are off then.
    if (!/^npm_|^INIT_CWD$|^DATABASE_URL$|^MACNET_|^NODE_OPTIONS$|^NODE_ENV$|^VITEST/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    // Pinned: a ../shared beside the temporary copy must not turn the 40-object demo into 15 000.
    MACNET_DEMO_REAL_DATA: "none",
    MACNET_DEMO_OBJECTS: "40",
    MACNET_DEMO_EPOCHS: "2",
    MACNET_PORT: "0",
    MACNET_WEB_PORT: "0",
    MACNET_API_LOG: "0",
  });
  const child = spawn("bash", ["-c", command], { cwd: copy, env: env as NodeJS.ProcessEnv, detached: true });
  running = child;
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  let output = "";
  const printed = () => output;
  return new Promise<{
    output: string;
    printed: () => string;
    apiUrl: string;
    webUrl: string;
    exited: Promise<unknown>;
  }>((resolve, reject) => {
    const guard = setTimeout(
      () => reject(new Error(`\`${command}\` did not come up; it printed:\n${output}`)),
      840_000,
    );
    const collect = (chunk: Buffer) => {
      output += chunk;
      const api = /API: (http:\S+)/.exec(output);
      const web = /dashboard: (http:\S+)/.exec(output);
      if (api && web && output.includes("Press Ctrl-C to stop.")) {
        clearTimeout(guard);
        resolve({ output, printed, apiUrl: api[1] as string, webUrl: web[1] as string, exited });
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.on("exit", (code) => {
      clearTimeout(guard);
      reject(new Error(`\`${command}\` exited early (${code}):\n${output}`));
    });
  });
}

/**
 * Ctrl-C as a terminal sends it, to the whole process group (bash, npm, macnet); npm itself dies of
 * the signal, so what counts is that macnet stopped cleanly: it said so and released the database.
 */
async function stop(started: { exited: Promise<unknown>; printed: () => string }) {
  if (running?.pid) process.kill(-running.pid, "SIGINT");
  await started.exited;
  expect(started.printed()).toContain("stopping...");
  expect(existsSync(join(copy, ".macnet", "embedded.lock"))).toBe(false);
}

async function graphql(url: string, key: string, query: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

describe("the README's quick start", () => {
  it("installs, fills an empty platform with the demo, trains two models through the job system, serves the API and the dashboard", {
    timeout: 1_200_000,
  }, async () => {
    const commands = quickStartCommands();
    expect(commands).toEqual(["npm install && npm start", "npm test"]);
    cleanCopy();
    const first = await run(commands[0] as string);
    expect(first.output).toMatch("demo: simulating a survey of 40 objects");
    expect(first.output).toMatch(/admin login: user 'admin', password '[\w-]+', API key mk_/);
    // The login is printed as soon as it exists, before the minutes of the demo; the phases at the end.
    expect(first.output.indexOf("admin login:")).toBeLessThan(first.output.indexOf("demo: simulating"));
    const phases = /first start took [^\n]+/.exec(first.output)?.[0] ?? "";
    for (const phase of ["simulate", "ingest", "train, evaluate, classify", "dashboard build"])
      expect(phases).toMatch(new RegExp(`${phase} \\d+ (s|min)`));
    expect(first.output).not.toMatch("real sample files");
    expect(first.output).toMatch(/database: embedded PostgreSQL at/);
    const { apiKey } = JSON.parse(readFileSync(join(copy, ".macnet", "admin-credentials.json"), "utf8"));
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
    // The cone search the start printed holds objects.
    const printedCone = /cone search [^\n]*: (http:\S+)/.exec(first.output)?.[1] as string;
    const printedAnswer = await fetch(printedCone, { headers: { authorization: `Bearer ${apiKey}` } });
    // Centred on the field, not on an object at its edge: it holds most of the demo's 40 objects.
    expect(((await printedAnswer.text()).match(/<TR>/g) ?? []).length).toBeGreaterThanOrEqual(34);
    // The README's and docs/api.md's examples, run as written against the demo (its port and key).
    const port = new URL(first.apiUrl).port;
    const examples = documentedExamples();
    expect(examples.map((e) => e.language).sort()).toEqual(["python", "python", "sh", "sh", "sh", "ts"]);
    for (const example of examples) {
      const output = runExample(example, { MACNET_PORT: port, MACNET_KEY: apiKey });
      expect(output.trim(), example.code).not.toBe("");
      const total = /"totalCount":(\d+)/.exec(output);
      if (total) expect(Number(total[1]), example.code).toBeGreaterThan(0);
      if (output.includes("<TABLEDATA>")) expect(output, example.code).toContain("<TR>");
      const cone = /objects in the cone: (\d+)/.exec(output);
      if (cone) expect(Number(cone[1]), example.code).toBeGreaterThan(0);
      expect(output, example.code).not.toMatch(/"errors"|QUERY_STATUS" value="ERROR"/);
    }
    // A training job launched as the dashboard launches one: its live state, as a page sees it, is
    // never more than one progress write behind the trainer (each state carries when it was reached),
    // and when it ends it has been evaluated and its predictions stored.
    const demo = (await graphql(first.apiUrl, apiKey, "{ datasets { id } }")).data as { datasets: { id: string }[] };
    const launched = await graphql(
      first.apiUrl,
      apiKey,
      `mutation { launchTraining(input: { architecture: C_NET, datasetId: "${demo.datasets[0]?.id}", compact: true,
        epochs: 6, batchSize: 4, learningRate: 0.01, patience: 6 }) { job { id } error { message } } }`,
    );
    const jobId = (launched.data as { launchTraining: { job: { id: string } } }).launchTraining.job.id;
    const lags: number[] = [];
    let finished: {
      status: string;
      result: { classified?: { stored: number } } | null;
      models: { evaluation: { accuracy: number } | null }[];
    };
    for (;;) {
      const polled = await graphql(
        first.apiUrl,
        apiKey,
        `{ job(id: "${jobId}") { status progressDetail result models { evaluation { accuracy } } } }`,
      );
      const job = (polled.data as { job: typeof finished & { progressDetail: { at?: number; phase?: string } | null } })
        .job;
      if (job.progressDetail?.at && job.status === "RUNNING" && job.progressDetail.phase === "batch") {
        lags.push(Date.now() - job.progressDetail.at);
      }
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status)) {
        finished = job;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(finished.status).toBe("SUCCEEDED");
    expect(lags.length).toBeGreaterThan(3);
    // One write interval (1 s) plus a write and a poll; generous for a loaded machine. The queue this
    // replaced fell minutes behind.
    expect(Math.max(...lags)).toBeLessThan(10_000);
    expect(finished.models[0]?.evaluation?.accuracy).toBeGreaterThanOrEqual(0);
    expect(finished.result?.classified?.stored).toBeGreaterThanOrEqual(36); // of 40 (an object may lack an input)
    await stop(first);

    const second = await run("npm start");
    expect(second.output).not.toMatch("demo:");
    const again = await graphql(second.apiUrl, apiKey, "{ models { id } objects(first: 1) { totalCount } }");
    expect(again.data).toMatchObject({ objects: { totalCount: 40 } });
    expect((again.data as { models: unknown[] }).models).toHaveLength(3); // the demo's two and the one launched
    await stop(second);
  });
});
