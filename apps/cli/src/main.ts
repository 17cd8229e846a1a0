import { Command } from "commander";
import { type CliEnv, parseEnv } from "./env.ts";
import { reportError } from "./output.ts";

let env: CliEnv | undefined;
const getEnv = (): CliEnv => {
  env ??= parseEnv();
  return env;
};

type Register = (program: Command, env: () => CliEnv) => void;

/**
 * Each top-level command and the module that registers it. Only the module of the command being run
 * is loaded (`macnet jobs list` does not load TensorFlow.js, Apollo Server or Next.js: it starts in a
 * fraction of the time); `macnet --help` and anything unknown load them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  db: async () => (await import("./commands/db.ts")).registerDbCommands,
  user: async () => (await import("./commands/user.ts")).registerUserCommands,
  start: async () => (await import("./commands/start.ts")).registerStartCommand,
  simulate: async () => (await import("./commands/simulate.ts")).registerSimulateCommand,
  ingest: async () => (await import("./commands/ingest.ts")).registerIngestCommand,
  dataset: async () => (await import("./commands/dataset.ts")).registerDatasetCommand,
  train: async () => (await import("./commands/train.ts")).registerTrainCommand,
  evaluate: async () => (await import("./commands/evaluate.ts")).registerEvaluateCommand,
  classify: async () => (await import("./commands/classify.ts")).registerClassifyCommand,
  gradcam: async () => (await import("./commands/gradcam.ts")).registerGradCamCommand,
  sweep: async () => (await import("./commands/sweep.ts")).registerSweepCommand,
  audit: async () => (await import("./commands/audit.ts")).registerAuditCommand,
  review: async () => (await import("./commands/review.ts")).registerReviewCommands,
  compare: async () => (await import("./commands/compare.ts")).registerCompareCommand,
  model: async () => (await import("./commands/model.ts")).registerModelCommands,
  jobs: async () => (await import("./commands/jobs.ts")).registerJobsCommands,
  worker: async () => (await import("./commands/jobs.ts")).registerWorkerCommand,
  export: async () => (await import("./commands/export.ts")).registerExportCommand,
  bench: async () => (await import("./commands/bench.ts")).registerBenchCommand,
  serve: async () => (await import("./commands/serve.ts")).registerServeCommand,
};

const program = new Command("macnet")
  .description("MAC-Net platform: survey data, MAC-Net classifiers, API and dashboard")
  .exitOverride()
  // Usage errors keep the CLI's one contract: `macnet: error: …` on stderr, exit status 2.
  .configureOutput({ outputError: (text, write) => write(`macnet: ${text}`) });

try {
  const name = process.argv[2];
  const wanted = name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS);
  for (const command of wanted) (await (COMMANDS[command] as () => Promise<Register>)())(program, getEnv);
  await program.parseAsync(process.argv);
} catch (error) {
  reportError(error, env?.debug ?? false);
}
