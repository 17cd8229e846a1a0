import { badInput, isProcessAlive as isAlive, MacnetError, type PrismaClient } from "@macnet/db";
import {
  cancelJob,
  describeDevice,
  getJob,
  type JobParamsInput,
  type JobView,
  listJobs,
  startWorker,
  submitJob,
} from "@macnet/jobs";
import type { Split } from "@macnet/model";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import {
  addSweepOptions,
  addTrainOptions,
  findDataset,
  idList,
  modelIdOption,
  type ObjectClassName,
  objectClassOption,
  positiveInteger,
  recipeOptions,
  type SweepTargetOptions,
  split,
  sweepArchitecture,
  type TrainTargetOptions,
  withPreset,
} from "../options.ts";
import { formatEpoch, printJson, say, workerSettings } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { withDatabase } from "../with-database.ts";

const FINISHED = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

const jobId = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`job id must be a number (got "${value}")`);
  return Number(value);
};

interface SubmitOptions {
  user?: string;
  json?: boolean;
}

/** `macnet jobs submit|list|show|cancel`: the queue from the shell (jobs run in `macnet worker`). */
export function registerJobsCommands(program: Command, env: () => CliEnv): void {
  const jobs = program
    .command("jobs")
    .description("Submit, list, show and cancel training, evaluation, classification and sweep jobs");
  const submit = jobs.command("submit").description("Queue a job for the workers (npx macnet worker) and print its id");

  const submitAction =
    <T extends SubmitOptions>(
      toParams: (prisma: PrismaClient, options: T, command: Command) => Promise<JobParamsInput>,
    ) =>
    async (options: T, command: Command) => {
      await withDatabase(
        env(),
        async ({ target, prisma }) => {
          const params = await toParams(prisma(), options, command);
          const launchedById = await resolveUser(prisma(), options.user ?? env().user);
          const job = await submitJob({ prisma: prisma(), databaseUrl: target.url }, params, { launchedById });
          if (options.json) {
            printJson(job);
            return;
          }
          say(`Job ${job.id} queued (${describeParams(job)}); follow it with: npx macnet jobs show ${job.id} --follow`);
        },
        { requireSchema: true },
      );
    };
  const submitCommand = (name: string, description: string) =>
    submit
      .command(name)
      .description(description)
      .option("--user <name>", "platform user recorded as the launcher (default: $MACNET_USER)")
      .option("--json", "print the queued job as JSON on the last line");

  addTrainOptions(submitCommand("train", "Train an architecture on a dataset (options as for macnet train)")).action(
    submitAction<TrainTargetOptions & SubmitOptions>(async (prisma, typed, command) => {
      const o = withPreset(typed, command, [typed.arch]);
      if (o.modelConfig)
        throw badInput("--model-config is for macnet train and compare; a job takes a --preset", "modelConfig");
      return {
        kind: "TRAIN",
        arch: o.arch,
        datasetId: (await findDataset(prisma, o.dataset, o.datasetVersion)).id,
        seed: o.seed,
        ...recipeOptions(o),
        compact: Boolean(o.compact),
      };
    }),
  );
  submitCommand("evaluate", "Evaluate a model on a split of its dataset (as macnet evaluate)")
    .requiredOption("--model <id>", "trained model id", modelIdOption)
    .option("--split <split>", "train, val or test", split, "TEST" as Split)
    .action(
      submitAction<{ model: number; split: Split } & SubmitOptions>(async (_prisma, o) => ({
        kind: "EVALUATE",
        modelId: o.model,
        split: o.split,
      })),
    );
  submitCommand("classify", "Classify a dataset's objects with a model and store the predictions (as macnet classify)")
    .requiredOption("--model <id>", "trained model id", modelIdOption)
    .option("--dataset <name>", "dataset name (latest version; default: the model's own dataset)")
    .action(
      submitAction<{ model: number; dataset?: string } & SubmitOptions>(async (prisma, o) => ({
        kind: "CLASSIFY",
        modelId: o.model,
        ...(o.dataset ? { datasetId: (await findDataset(prisma, o.dataset)).id } : {}),
      })),
    );
  submitCommand("gradcam", "Grad-CAM maps of objects, stored with the model (as macnet gradcam)")
    .requiredOption("--model <id>", "trained model id", modelIdOption)
    .requiredOption("--objects <ids>", "object ids of the model's dataset, separated by commas", idList("--objects"))
    .option(
      "--class <class>",
      "class to explain (default: each object's predicted class)",
      objectClassOption("--class"),
    )
    .action(
      submitAction<{ model: number; objects: number[]; class?: ObjectClassName } & SubmitOptions>(
        async (_prisma, o) => ({
          kind: "GRADCAM",
          modelId: o.model,
          objectIds: o.objects,
          targetClass: o.class,
        }),
      ),
    );
  addSweepOptions(submitCommand("sweep", "Pixel-interval sweep, paper §4.5 (options as for macnet sweep)")).action(
    submitAction<SweepTargetOptions & SubmitOptions>(async (prisma, typed, command) => {
      const arch = sweepArchitecture(typed.arch);
      // No preset is for the sweep's strip networks: one given is refused here, not dropped.
      const o = withPreset(typed, command, [arch]);
      if (o.modelConfig)
        throw badInput("--model-config is for macnet train and compare; a job takes a --preset", "modelConfig");
      return {
        kind: "SWEEP",
        arch,
        datasetId: (await findDataset(prisma, o.dataset)).id,
        starts: o.windows,
        ...recipeOptions(o),
        compact: Boolean(o.compact),
      };
    }),
  );

  jobs
    .command("list")
    .description("The newest jobs first")
    .option("--status <status>", "QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED", (v) => v.toUpperCase())
    .option("--kind <kind>", "TRAIN, EVALUATE, CLASSIFY, SWEEP or GRADCAM", (v) => v.toUpperCase())
    .option("--limit <n>", "at most this many", positiveInteger("--limit"), 50)
    .option("--json", "print the list as JSON on the last line")
    .action(async (options: { status?: string; kind?: string; limit: number; json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const list = await listJobs(prisma(), {
            status: options.status as never,
            kind: options.kind as never,
            limit: options.limit,
          });
          if (options.json) {
            printJson(list);
            return;
          }
          if (list.length === 0) say("No jobs.");
          for (const job of list) {
            say(
              `${String(job.id).padStart(5)}  ${job.kind.padEnd(8)} ${job.status.padEnd(9)} ${`${Math.round(job.progress * 100)}%`.padStart(4)}  ${describeParams(job)}  queued ${job.queuedAt}${job.launchedBy ? ` by ${job.launchedBy}` : ""}`,
            );
          }
        },
        { requireSchema: true },
      );
    });

  jobs
    .command("show")
    .description("A job's status, progress, epochs and result or error")
    .argument("<id>", "job id", jobId)
    .option("--follow", "keep showing live progress until the job finishes")
    .option("--json", "print the job as JSON on the last line (with --follow: once it has finished)")
    .action(async (id: number, options: { follow?: boolean; json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          let job = await getJob(prisma(), id);
          if (options.follow) job = await follow(prisma(), job, !options.json);
          if (options.json) {
            printJson(job);
            return;
          }
          printJob(job);
        },
        { requireSchema: true },
      );
    });

  jobs
    .command("cancel")
    .description("Cancel a job: a queued one never starts, a running one stops at its next batch (checkpoint kept)")
    .argument("<id>", "job id", jobId)
    .option("--json", "print the outcome as JSON on the last line")
    .action(async (id: number, options: { json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const result = await cancelJob(prisma(), id);
          if (options.json) {
            printJson(result);
            return;
          }
          say(
            result.status === "CANCELLED"
              ? `Job ${id} cancelled before it started.`
              : `Job ${id} is running; it stops at its next batch (its checkpoint is kept).`,
          );
        },
        { requireSchema: true },
      );
    });
}

/** `macnet worker`: runs queued jobs until Ctrl-C. */
export function registerWorkerCommand(program: Command, env: () => CliEnv): void {
  program
    .command("worker")
    .description(
      "Run queued jobs (start several, on one machine or many against one database); Ctrl-C returns running jobs to the queue",
    )
    .option(
      "--concurrency <n>",
      "jobs this worker runs at once (default $MACNET_WORKER_CONCURRENCY or 1)",
      positiveInteger("--concurrency"),
    )
    .action(async (options: { concurrency?: number }) => {
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      // Loaded here only: listing, showing or submitting jobs never loads TensorFlow.js.
      const { selectBackend } = await import("@macnet/tfjs-native");
      const selection = await selectBackend({ log });
      const config = env();
      await withDatabase(
        config,
        async ({ target, prisma }) => {
          const device = describeDevice(selection.choice);
          const concurrency = options.concurrency ?? config.worker.concurrency;
          const worker = await startWorker({
            prisma: prisma(),
            databaseUrl: target.url,
            ...workerSettings(config),
            concurrency,
            backend: selection.description,
            device,
            log,
          });
          log(
            `worker up on ${device} with ${selection.description}, concurrency ${concurrency}, database ${target.description}; Ctrl-C stops`,
          );
          const stop = () => {
            log("stopping: running jobs go back to the queue at their next batch…");
            void worker.stop();
          };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
          // Started by `macnet start`: stop as it would have asked if it dies without asking (kill -9).
          const parent = config.worker.parentPid;
          const watch =
            parent === undefined
              ? undefined
              : setInterval(() => {
                  if (!isAlive(parent)) {
                    log(`parent process ${parent} is gone`);
                    stop();
                  }
                }, 2000);
          try {
            await worker.done;
          } finally {
            if (watch) clearInterval(watch);
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
          }
          log("worker stopped");
        },
        { requireSchema: true },
      );
    });
}

async function resolveUser(prisma: PrismaClient, name: string | undefined): Promise<number | undefined> {
  if (!name) return undefined;
  const user = await prisma.user.findUnique({ where: { name } });
  if (!user) throw new MacnetError(`No platform user '${name}' (--user / MACNET_USER)`, "USER_NOT_FOUND");
  return user.id;
}

function describeParams(job: Pick<JobView, "params">): string {
  const p = job.params;
  switch (p.kind) {
    case "TRAIN":
      return `${p.arch}${p.compact ? " (compact)" : ""} on dataset ${p.datasetId}, ${p.epochs} epochs, batch ${p.batchSize}, lr ${p.learningRate}`;
    case "EVALUATE":
      return `model ${p.modelId} on ${p.split}`;
    case "CLASSIFY":
      return `model ${p.modelId} over ${p.datasetId ? `dataset ${p.datasetId}` : "its dataset"}`;
    case "GRADCAM":
      return `model ${p.modelId} on object${p.objectIds.length > 1 ? "s" : ""} ${p.objectIds.join(",")}`;
    case "SWEEP":
      return `${p.arch}${p.compact ? " (compact)" : ""} windows ${p.starts.join(",")} on dataset ${p.datasetId}`;
  }
}

function printJob(job: JobView): void {
  say(`Job ${job.id}: ${job.kind} ${describeParams(job)}`);
  say(
    `  status ${job.status}${job.cancelRequested && job.status === "RUNNING" ? " (cancel requested)" : ""}, progress ${Math.round(job.progress * 100)}%, attempts ${job.attempts}`,
  );
  say(`  queued ${job.queuedAt}${job.launchedBy ? ` by ${job.launchedBy}` : ""}`);
  if (job.startedAt) say(`  started ${job.startedAt} on ${job.device ?? "?"} (${job.backend ?? "?"})`);
  if (job.finishedAt) say(`  finished ${job.finishedAt}`);
  for (const e of job.epochs) {
    say(`  ${formatEpoch(e)}`);
  }
  if (job.modelIds.length > 0) say(`  models: ${job.modelIds.join(", ")}`);
  if (job.checkpointUri) say(`  checkpoint: ${job.checkpointUri}`);
  if (job.error) say(`  error: ${job.error}`);
}

/** Polls the job once a second, drawing its progress, until it finishes. */
async function follow(prisma: PrismaClient, initial: JobView, print: boolean): Promise<JobView> {
  const bar = new ProgressBar(`job ${initial.id}`, "‰");
  let job = initial;
  let shownEpochs = 0;
  for (;;) {
    const d = job.progressDetail ?? {};
    const label =
      d.epoch !== undefined
        ? `job ${job.id} epoch ${d.epoch}/${d.epochs}${d.run ? ` run ${d.run}/${d.runs}` : ""}${typeof d.loss === "number" ? ` loss ${d.loss.toFixed(3)}` : ""}`
        : `job ${job.id} ${job.status.toLowerCase()}`;
    bar.update(Math.round(job.progress * 1000), 1000, label, typeof d.etaS === "number" ? d.etaS : undefined);
    if (print) {
      for (const e of job.epochs.slice(shownEpochs)) {
        say(formatEpoch(e));
      }
    }
    shownEpochs = job.epochs.length;
    if (FINISHED.has(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    job = await getJob(prisma, job.id);
  }
}
