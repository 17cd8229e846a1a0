import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrismaClient, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import type { JobView } from "@macnet/jobs";
import { checkpointedEpoch, createDataset } from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CliProcess, runCli, startCli } from "./helpers/cli.ts";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";
import { waitForJob as waitForJobRow } from "./helpers/jobs.ts";

// The job system as users run it: `macnet jobs …` and `macnet worker` processes against a real
// PostgreSQL, including a worker killed with SIGKILL in the middle of training.

let database: TestDatabase;
let prisma: PrismaClient;
let env: Record<string, string>;
let home: string;
const workers: Worker[] = [];

type Worker = CliProcess;

/** `macnet worker` as a child process, what it prints collected. */
function startWorker(extraEnv: Record<string, string> = {}): Worker {
  const worker = startCli(["worker"], { ...env, ...extraEnv });
  workers.push(worker);
  return worker;
}

async function stopWorkers(): Promise<void> {
  for (const w of workers.splice(0)) {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
    await w.exited;
  }
}

const waitForJob = (id: number, done: (job: JobView) => boolean) => waitForJobRow(prisma, id, done);

async function submit(args: string[]): Promise<JobView> {
  const result = await runCli(["jobs", "submit", ...args, "--json"], env);
  expect(result.code, result.stderr).toBe(0);
  return result.json as JobView;
}

const trainArgs = (epochs: number, dataset = "jobs") => [
  "train",
  "--arch",
  "C_NET",
  "--compact",
  "--dataset",
  dataset,
  "--epochs",
  String(epochs),
  "--batch",
  "4",
  "--lr",
  "0.01",
  "--patience",
  "100",
];

beforeAll(async () => {
  const survey = mkdtempSync(join(tmpdir(), "macnet-jobs-sim-"));
  await simulateSurvey({ outDir: survey, objects: 48, seed: 11, plans: 1, fibresPerSpectrograph: 48 });
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "sim" });
  await createDataset(prisma, { name: "jobs", seed: 3, ratios: [6, 2, 2] });
  home = mkdtempSync(join(tmpdir(), "macnet-jobs-home-"));
  env = {
    DATABASE_URL: database.url,
    MACNET_HOME: home,
    MACNET_JOB_LEASE_S: "3",
    MACNET_JOB_HEARTBEAT_S: "0.5",
    MACNET_JOB_PROGRESS_MS: "0",
  };
  await prisma.user.create({ data: { name: "ada", role: "ADMIN", passwordHash: "x" } });
}, 300_000);

afterEach(async (context) => {
  // A failing test shows what its workers logged.
  if (context.task.result?.state === "fail") for (const w of workers) console.error(w.log());
  await stopWorkers();
});

afterAll(async () => {
  await stopWorkers();
  await prisma?.$disconnect();
  await database?.dispose();
});

describe("job system", () => {
  let modelId: number;

  it("runs a training job end to end: QUEUED → RUNNING → SUCCEEDED, epochs stored, model linked, checkpoint cleaned", async () => {
    const queued = await submit([...trainArgs(3), "--user", "ada", "--class-weights", "1:2.5:1"]);
    expect(queued).toMatchObject({ kind: "TRAIN", status: "QUEUED", attempts: 0, launchedBy: "ada", startedAt: null });
    expect(queued.params).toMatchObject({
      arch: "C_NET",
      compact: true,
      epochs: 3,
      batchSize: 4,
      learningRate: 0.01,
      classWeights: [1, 2.5, 1],
    });
    startWorker();
    const job = await waitForJob(queued.id, (j) => j.status === "SUCCEEDED" || j.status === "FAILED");
    expect(job.error).toBeNull();
    expect(job.status).toBe("SUCCEEDED");
    expect(job.progress).toBe(1);
    expect(job.attempts).toBe(1);
    expect(job.backend).toMatch(/onednn|cpu|tensorflow/);
    expect(job.device).toMatch(/×\d+/);
    expect(new Date(job.startedAt as string).getTime()).toBeGreaterThanOrEqual(new Date(job.queuedAt).getTime());
    expect(new Date(job.finishedAt as string).getTime()).toBeGreaterThanOrEqual(
      new Date(job.startedAt as string).getTime(),
    );
    expect(job.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const e of job.epochs) {
      expect(Number.isFinite(e.loss) && e.loss > 0).toBe(true);
      expect(e.valLoss).not.toBeNull();
      expect(e.durationMs).toBeGreaterThan(0);
    }
    expect(job.modelIds).toHaveLength(1);
    modelId = job.modelIds[0] as number;
    expect(job.result).toMatchObject({ status: "completed", modelId, epochsRun: 3, resumedFromEpoch: 0 });
    const model = await prisma.trainedModel.findUniqueOrThrow({ where: { id: modelId } });
    expect(model).toMatchObject({ jobId: job.id, backend: job.backend, device: job.device, epochsTrained: 3 });
    expect(model.hyperParameters).toMatchObject({ classWeights: [1, 2.5, 1], learningRate: 0.01 });
    expect(existsSync(join(model.weightsUri, "model.json"))).toBe(true);
    expect(model.weightsUri.startsWith(home)).toBe(true);
    expect(job.checkpointUri).toBeNull();
    expect(existsSync(join(home, "jobs", String(job.id), "checkpoint"))).toBe(false);

    const shown = await runCli(["jobs", "show", String(job.id), "--json"], env);
    expect(shown.json).toEqual(job);
    const list = await runCli(["jobs", "list", "--status", "succeeded", "--json"], env);
    expect((list.json as JobView[]).map((j) => j.id)).toContain(job.id);
  });

  it("runs evaluate, classify and sweep jobs on two workers, each job exactly once", async () => {
    const jobs = [
      await submit(["evaluate", "--model", String(modelId)]),
      await submit(["evaluate", "--model", String(modelId), "--split", "val"]),
      await submit(["classify", "--model", String(modelId)]),
      await submit(["evaluate", "--model", String(modelId), "--split", "train"]),
      await submit(["classify", "--model", String(modelId), "--dataset", "jobs"]),
      await submit([
        "sweep",
        "--dataset",
        "jobs",
        "--compact",
        "--windows",
        "1000",
        "--epochs",
        "1",
        "--batch",
        "8",
        "--lr",
        "0.01",
      ]),
    ];
    const a = startWorker({ MACNET_WORKER_CONCURRENCY: "2" });
    const b = startWorker({ MACNET_WORKER_CONCURRENCY: "2" });
    const finished = [];
    for (const job of jobs)
      finished.push(await waitForJob(job.id, (j) => j.status !== "QUEUED" && j.status !== "RUNNING"));
    for (const job of finished) {
      expect(job.error).toBeNull();
      expect(job.status).toBe("SUCCEEDED");
      expect(job.attempts).toBe(1);
    }
    // Every job started exactly once across both workers' logs.
    const logs = a.log() + b.log();
    for (const job of jobs) expect(logs.match(new RegExp(`job ${job.id} \\(\\w+\\) started`, "g"))).toHaveLength(1);

    const [testEval, valEval, classify] = finished;
    expect(testEval?.result).toMatchObject({ modelId, split: "TEST" });
    expect(valEval?.result).toMatchObject({ modelId, split: "VAL" });
    const stored = await prisma.prediction.count({ where: { modelId } });
    expect(classify?.result).toMatchObject({ modelId, stored });
    expect(stored).toBeGreaterThan(0);
    const sweep = finished[5] as JobView;
    const rows = (sweep.result as { rows: { arm: string; window: number[]; modelId: number }[] }).rows;
    expect(rows.map((r) => [r.arm, r.window])).toEqual([
      ["blue", [1000, 3000]],
      ["red", [1000, 3000]],
    ]);
    expect(sweep.modelIds).toEqual(rows.map((r) => r.modelId));
    // The outcome proves "exactly once", not a clock: a loaded machine may take minutes (seen: > 120 s).
  }, 900_000);

  it("cancels a queued job (it never starts) and a running one (it stops at the next batch, keeping its checkpoint)", async () => {
    const queued = await submit(trainArgs(2));
    const cancelled = await runCli(["jobs", "cancel", String(queued.id), "--json"], env);
    expect(cancelled.json).toEqual({ id: queued.id, status: "CANCELLED", cancelRequested: true });
    const again = await runCli(["jobs", "cancel", String(queued.id)], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(`Job ${queued.id} has already finished (CANCELLED)`);

    const long = await submit(trainArgs(200));
    startWorker();
    await waitForJob(long.id, (j) => j.status === "RUNNING" && j.epochs.length >= 1);
    const cancel = await runCli(["jobs", "cancel", String(long.id), "--json"], env);
    expect(cancel.json).toEqual({ id: long.id, status: "RUNNING", cancelRequested: true });
    const stopped = await waitForJob(long.id, (j) => j.status !== "RUNNING");
    expect(stopped.status).toBe("CANCELLED");
    expect(stopped.epochs.length).toBeLessThan(200);
    expect(stopped.modelIds).toEqual([]);
    expect(checkpointedEpoch(stopped.checkpointUri as string)).toBe(stopped.epochs.length);

    const never = await waitForJob(queued.id, () => true);
    expect(never).toMatchObject({ status: "CANCELLED", attempts: 0, startedAt: null });
  });

  it("resumes a job from its checkpoint on another worker after kill -9, training no epoch twice", async () => {
    const queued = await submit(trainArgs(12));
    const doomed = startWorker();
    await waitForJob(queued.id, (j) => j.status === "RUNNING" && j.epochs.length >= 1);
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    const checkpointDir = join(home, "jobs", String(queued.id), "checkpoint");
    const checkpointed = checkpointedEpoch(checkpointDir);
    expect(checkpointed).toBeGreaterThanOrEqual(1);
    const orphan = await runCli(["jobs", "show", String(queued.id), "--json"], env);
    expect((orphan.json as JobView).status).toBe("RUNNING"); // until its lease runs out

    const rescuer = startWorker();
    const job = await waitForJob(queued.id, (j) => j.status !== "RUNNING" && j.status !== "QUEUED");
    expect(job.error).toBeNull();
    expect(job.status).toBe("SUCCEEDED");
    expect(job.attempts).toBe(2);
    expect(rescuer.log()).toMatch(`job ${queued.id}: no heartbeat`);
    expect(job.result).toMatchObject({ resumedFromEpoch: checkpointed, epochsRun: 12 });
    expect(job.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(job.modelIds).toHaveLength(1);
    expect(job.progressDetail).toMatchObject({ recoveredFrom: expect.any(String) });
  });

  it("ends FAILED with a clear error when the job's dataset was deleted after submission", async () => {
    const dataset = await createDataset(prisma, { name: "doomed", seed: 1, ratios: [6, 2, 2] });
    const queued = await submit(trainArgs(2, "doomed"));
    await prisma.dataset.delete({ where: { id: dataset.id } });
    startWorker();
    const job = await waitForJob(queued.id, (j) => j.status !== "QUEUED" && j.status !== "RUNNING");
    expect(job.status).toBe("FAILED");
    expect(job.error).toBe(`No dataset with id ${dataset.id}`);
    expect(job.finishedAt).not.toBeNull();
  });

  it("rejects invalid submissions with the field named, and deletes a model with its weights", async () => {
    const bad = await runCli(["jobs", "submit", "train", "--arch", "C_NET", "--dataset", "nope"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch("No dataset 'nope'");
    const weights = await runCli([...["jobs", "submit"], ...trainArgs(3), "--class-weights", "1:3"], env);
    expect(weights.code).not.toBe(0);
    expect(weights.stderr).toMatch("--class-weights must be balanced, paper or three positive numbers GALAXY:QSO:STAR");
    const zero = await runCli(["jobs", "submit", "evaluate", "--model", "99999"], env);
    expect(zero.stderr).toMatch("No model with id 99999");
    // Warm-up that does not end before training: refused at submission (exit 2, a value that does not
    // fit), not first in the worker.
    const warmup = await runCli([...["jobs", "submit"], ...trainArgs(3), "--warmup", "3"], env);
    expect(warmup.code).toBe(2);
    expect(warmup.stderr).toMatch("warmupEpochs must be fewer than epochs");

    const model = await prisma.trainedModel.findUniqueOrThrow({ where: { id: modelId } });
    const deleted = await runCli(["model", "delete", String(modelId), "--json"], env);
    expect(deleted.json).toEqual({ id: modelId, removedFiles: model.weightsUri });
    expect(existsSync(model.weightsUri)).toBe(false);
    expect(await prisma.prediction.count({ where: { modelId } })).toBe(0);
  });
});
