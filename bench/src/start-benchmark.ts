// `macnet bench start`: the first `macnet start` a new user runs, measured. A fresh MACNET_HOME (its
// own embedded PostgreSQL), the default demo, then — with the platform serving — how fast
// `macnet jobs list` and the dashboard's objects page answer while a compact MAC-Net job trains,
// against the same requests while it is idle, and the peak memory (PSS, so shared pages count once)
// of the whole process tree (start, its worker, PostgreSQL and its backends, the dashboard build).
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "@macnet/core";
import { describeMachine, type MachineInfo } from "./machine.ts";

export interface StartBenchOptions {
  /** The CLI's entry point (apps/cli/bin/macnet.mjs). */
  cliEntry: string;
  /** Real sample files the demo ingests too (null: none). */
  realData: string | null;
  objects: number;
  epochs: number;
  /** Requests of each kind per phase (idle, while training). */
  samples: number;
  onStage?: (line: string) => void;
}

/** Seconds of each request, with their median and maximum. */
export interface Timings {
  samplesS: number[];
  medianS: number;
  maxS: number;
}

export interface StartBenchResult {
  machine: MachineInfo;
  demo: { objects: number; epochs: number; realData: string | null };
  /** From `macnet start` to "Press Ctrl-C to stop." on an empty home. */
  firstStartS: number;
  /** The line `start` prints: each phase's time. */
  phases: string;
  /** Peak PSS of the whole process tree, over the first start and the measurements. */
  peakMB: number;
  idle: { jobsList: Timings; objectsPage: Timings };
  whileTraining: { jobId: number; jobsList: Timings; objectsPage: Timings };
  goals: { jobsListUnder2S: boolean; objectsPageUnder1S: boolean; peakUnder2GB: boolean; firstStartUnder5Min: boolean };
}

const OBJECTS_PAGE = `query ObjectsPage($first: Int) { objects(first: $first) { totalCount edges { cursor node {
  id obsid designation catalogueClass raDeg decDeg redshift source missingModalities
  predictions { model { id name } predictedClass probGalaxy probQso probStar confidence } } }
  pageInfo { hasNextPage endCursor } } }`;

/** Every process whose ancestry leads to `root` (PostgreSQL runs in its own session, still a child). */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(name), Number(fields[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

/** Proportional set size of the tree in MB (shared memory, e.g. PostgreSQL's buffers, counted once). */
function treePssMB(root: number): number {
  let kB = 0;
  for (const pid of processTree(root)) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      kB += Number(match?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kB / 1024;
}

function timings(samplesS: number[]): Timings {
  const rounded = samplesS.map((s) => Math.round(s * 1000) / 1000);
  return { samplesS: rounded, medianS: median(rounded), maxS: Math.max(...rounded) };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function runCli(cliEntry: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`macnet ${args.join(" ")} exited ${code}: ${err.trim()}`)),
    );
  });
}

export async function runStartBenchmark(options: StartBenchOptions): Promise<StartBenchResult> {
  const stage = options.onStage ?? (() => {});
  const home = mkdtempSync(join(tmpdir(), "macnet-bench-start-"));
  chmodSync(home, 0o711);
  const { DATABASE_URL: _server, NODE_ENV: _mode, ...inherited } = process.env;
  const env = {
    ...inherited,
    MACNET_HOME: home,
    MACNET_PORT: "0",
    MACNET_WEB_PORT: "0",
    MACNET_API_LOG: "0",
    MACNET_DEMO_OBJECTS: String(options.objects),
    MACNET_DEMO_EPOCHS: String(options.epochs),
    MACNET_DEMO_REAL_DATA: options.realData ?? "none",
  } as unknown as NodeJS.ProcessEnv;
  let peakMB = 0;
  let start: ChildProcess | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    stage(`first start in ${home} (demo of ${options.objects} objects${options.realData ? " + real files" : ""})`);
    const startedMs = performance.now();
    const child = spawn(process.execPath, [options.cliEntry, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
    start = child;
    sampler = setInterval(() => {
      if (child.pid) peakMB = Math.max(peakMB, treePssMB(child.pid));
    }, 1000);
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        output += chunk;
        if (output.includes("Press Ctrl-C to stop.")) resolve();
      };
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      child.once("exit", (code) => reject(new Error(`macnet start exited (${code}):\n${output.slice(-3000)}`)));
    });
    const firstStartS = (performance.now() - startedMs) / 1000;
    const phases = /first start took [^\n]+/.exec(output)?.[0] ?? "";
    const webUrl = /dashboard: (http:\S+)/.exec(output)?.[1] as string;
    const { apiKey } = JSON.parse(readFileSync(join(home, "admin-credentials.json"), "utf8")) as { apiKey: string };
    const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(new URL("/graphql", webUrl), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data as Record<string, unknown>;
    };
    // The objects page as a browser loads it: its HTML, then its query through the dashboard's origin.
    const objectsPage = () =>
      timed(async () => {
        const page = await fetch(new URL("/objects", webUrl));
        await page.text();
        await graphql(OBJECTS_PAGE, { first: 50 });
      });
    const jobsList = () => timed(() => runCli(options.cliEntry, ["jobs", "list"], env));
    const measure = async (running?: () => Promise<boolean>) => {
      const list: number[] = [];
      const page: number[] = [];
      while (list.length < options.samples || page.length < options.samples) {
        if (running && !(await running())) throw new Error("the training job ended before the measurements did");
        if (list.length < options.samples) list.push(await jobsList());
        if (page.length < options.samples) page.push(await objectsPage());
      }
      return { jobsList: timings(list), objectsPage: timings(page) };
    };
    stage("idle: jobs list and objects page");
    const idle = await measure();

    stage("training a compact MAC-Net job meanwhile");
    const submitted = await runCli(
      options.cliEntry,
      [
        "jobs",
        "submit",
        "train",
        "--arch",
        "MAC_NET",
        "--dataset",
        "demo",
        "--compact",
        "--epochs",
        "50",
        "--batch",
        "8",
        "--json",
      ],
      env,
    );
    const jobId = (JSON.parse(submitted.trim().split("\n").at(-1) as string) as { id: number }).id;
    const status = async () =>
      (await graphql(`{ job(id: ${jobId}) { status progress } }`)).job as { status: string; progress: number };
    for (;;) {
      const job = await status();
      if (job.status === "RUNNING" && job.progress > 0) break;
      if (job.status !== "QUEUED" && job.status !== "RUNNING") throw new Error(`job ${jobId} ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const whileTraining = { jobId, ...(await measure(async () => (await status()).status === "RUNNING")) };
    await runCli(options.cliEntry, ["jobs", "cancel", String(jobId)], env);
    return {
      machine: describeMachine(),
      demo: { objects: options.objects, epochs: options.epochs, realData: options.realData },
      firstStartS: Math.round(firstStartS * 10) / 10,
      phases,
      peakMB: Math.round(peakMB),
      idle,
      whileTraining,
      goals: {
        jobsListUnder2S: whileTraining.jobsList.maxS < 2,
        objectsPageUnder1S: whileTraining.objectsPage.maxS < 1,
        peakUnder2GB: peakMB < 2048,
        firstStartUnder5Min: firstStartS <= 300,
      },
    };
  } finally {
    if (sampler) clearInterval(sampler);
    if (start && start.exitCode === null) {
      const exited = new Promise((resolve) => start?.once("exit", resolve));
      start.kill("SIGINT");
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  }
}
