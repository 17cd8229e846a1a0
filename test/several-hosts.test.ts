import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrismaClient, createUser, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import type { JobView } from "@macnet/jobs";
import { createDataset } from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliProcess, startCli } from "./helpers/cli.ts";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";
import { waitForJob as waitForJobRow } from "./helpers/jobs.ts";

// The deployment of README "Several hosts": one PostgreSQL server, two API processes and two
// `macnet worker` processes sharing one artifacts folder (MACNET_ARTIFACTS), all on this machine. What
// must hold across processes: jobs spread over the workers, a worker killed mid-training is replaced
// by the other from its checkpoint, a session made through one API works on the other, and
// sign-in throttling counts the attempts made through both.

let database: TestDatabase;
let prisma: PrismaClient;
let datasetId: number;
let adminKey: string;
const children: CliProcess[] = [];
const apis: string[] = [];
const env: Record<string, string> = {};

function startChild(args: string[], extraEnv: Record<string, string> = {}) {
  const started = startCli(args, { ...env, ...extraEnv });
  children.push(started);
  return started;
}

/** Waits until a child's output matches (the output decides; the test timeout bounds it). */
async function waitForOutput(started: { log: () => string; exited: Promise<unknown> }, pattern: RegExp) {
  let exited = false;
  void started.exited.then(() => {
    exited = true;
  });
  for (;;) {
    const match = pattern.exec(started.log());
    if (match) return match;
    if (exited) throw new Error(`exited before printing ${pattern}:\n${started.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const waitForJob = (id: number, done: (job: JobView) => boolean) => waitForJobRow(prisma, id, done);

async function graphql(api: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(api, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: Record<string, { error?: { code: string } | null } & Record<string, unknown>>;
    errors?: { extensions?: { code?: string } }[];
  };
  return { ...body, headers: response.headers };
}

beforeAll(async () => {
  const survey = mkdtempSync(join(tmpdir(), "macnet-hosts-sim-"));
  await simulateSurvey({ outDir: survey, objects: 48, seed: 13, plans: 1, fibresPerSpectrograph: 48 });
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "sim" });
  datasetId = (await createDataset(prisma, { name: "hosts", seed: 3, ratios: [6, 2, 2] })).id;
  adminKey = (await createUser({ prisma, input: { name: "admin", role: "ADMIN" } })).apiKey;
  for (const name of ["alice", "bob"]) {
    await createUser({ prisma, input: { name, role: "SCIENTIST", password: `${name}-password` } });
  }
  Object.assign(env, {
    DATABASE_URL: database.url,
    // The artifacts location every process shares (on several hosts: a shared mount); each has its own home.
    MACNET_ARTIFACTS: mkdtempSync(join(tmpdir(), "macnet-hosts-artifacts-")),
    MACNET_JOB_LEASE_S: "3",
    MACNET_JOB_HEARTBEAT_S: "0.5",
    MACNET_JOB_PROGRESS_MS: "0",
    MACNET_API_LOG: "0",
    MACNET_LOGIN_USER_ATTEMPTS: "4",
  });
  for (let i = 0; i < 2; i++) {
    const api = startChild(["serve", "--port", "0", "--no-web"], {
      MACNET_HOME: mkdtempSync(join(tmpdir(), "macnet-api-")),
    });
    apis.push((await waitForOutput(api, /API: (http:\S+)/))[1] as string);
  }
}, 600_000);

afterAll(async () => {
  for (const { child, exited } of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  }
  await prisma?.$disconnect();
  await database?.dispose();
});

describe("several hosts: two API processes and two workers on one database", () => {
  it("keeps a session made through one API process valid on the other, and ends it on both", async () => {
    const [one, two] = apis as [string, string];
    const login = await graphql(one, 'mutation { login(name: "bob", password: "bob-password") { user { name } } }');
    expect(login.data).toEqual({ login: { user: { name: "bob" } } });
    const cookie = (login.headers.get("set-cookie") as string).split(";")[0] as string;
    expect((await graphql(two, "{ me { name role } }", { cookie })).data).toEqual({
      me: { name: "bob", role: "SCIENTIST" },
    });
    // Ended through the other one: a process that has not cached it refuses it at once (one that has
    // refuses it within its credential cache's few seconds: README "Several hosts").
    expect((await graphql(two, "mutation { logout }", { cookie })).data).toEqual({ logout: true });
    const after = await graphql(one, "{ datasets { id } }", { cookie });
    expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("counts failed sign-ins made through both API processes against one allowance", async () => {
    const attempt = (api: string, password: string) =>
      graphql(api, `mutation { login(name: "alice", password: "${password}") { user { name } error { code } } }`);
    // Four wrong passwords, alternating between the processes: each one counts.
    for (let i = 0; i < 4; i++) {
      const wrong = await attempt(apis[i % 2] as string, "wrong");
      expect(wrong.data?.login?.error?.code).toBe("LOGIN_FAILED");
    }
    // The allowance is used up on both: even the right password is refused, whichever process asks.
    for (const api of apis) {
      expect((await attempt(api, "alice-password")).data?.login?.error?.code).toBe("TOO_MANY_ATTEMPTS");
    }
  });

  it("spreads jobs over both workers; one killed mid-training is taken over from its checkpoint", async () => {
    const workers = [0, 1].map(() =>
      startChild(["worker"], { MACNET_HOME: mkdtempSync(join(tmpdir(), "macnet-worker-home-")) }),
    );
    for (const worker of workers) await waitForOutput(worker, /worker up on/);
    // Launched through each API process in turn, as two users' dashboards would.
    const ids: number[] = [];
    for (const api of apis) {
      const launched = await graphql(
        api,
        `mutation { launchTraining(input: { architecture: C_NET, datasetId: "${datasetId}", compact: true, epochs: 8,
          batchSize: 4, learningRate: 0.01, patience: 100, evaluate: false }) { job { id } error { message } } }`,
        { authorization: `Bearer ${adminKey}` },
      );
      const job = (launched.data?.launchTraining as { job: { id: string } | null } | undefined)?.job;
      expect(job, JSON.stringify(launched)).not.toBeNull();
      ids.push(Number(job?.id));
    }
    // Each worker runs one job at a time, so the two jobs run at once, one on each.
    const running = await Promise.all(
      ids.map((id) => waitForJob(id, (j) => j.status === "RUNNING" && j.epochs.length >= 1)),
    );
    const owners = running.map((job) => job.workerId);
    expect(new Set(owners).size).toBe(2);
    const [victimJob, otherJob] = running as [JobView, JobView];
    const victim = workers.find((w) => w.log().includes(`job ${victimJob.id} (TRAIN) started`));
    const survivor = workers.find((w) => w !== victim);
    expect(victim && survivor).toBeTruthy();
    victim?.child.kill("SIGKILL");
    await victim?.exited;

    const [rescued, finished] = await Promise.all(
      [victimJob, otherJob].map((job) =>
        waitForJob(job.id, (j) => j.status !== "RUNNING" && j.status !== "QUEUED" && j.attempts >= 1),
      ),
    );
    expect(finished?.status).toBe("SUCCEEDED");
    expect(finished?.attempts).toBe(1);
    expect(rescued?.error).toBeNull();
    expect(rescued?.status).toBe("SUCCEEDED");
    expect(rescued?.attempts).toBe(2);
    expect(rescued?.workerId).toBe(finished?.workerId);
    expect(survivor?.log()).toMatch(`job ${victimJob.id}: no heartbeat`);
    expect((rescued?.result as { resumedFromEpoch?: number } | null)?.resumedFromEpoch).toBeGreaterThanOrEqual(1);
    expect(rescued?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // One model per job, the rescued one included.
    expect(rescued?.modelIds).toHaveLength(1);
    expect(await prisma.trainedModel.count({ where: { jobId: victimJob.id } })).toBe(1);
  }, 900_000);
});
