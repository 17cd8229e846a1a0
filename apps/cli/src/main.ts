import { Command } from "commander";
import { registerBenchCommand } from "./commands/bench.ts";
import { registerClassifyCommand } from "./commands/classify.ts";
import { registerDatasetCommand } from "./commands/dataset.ts";
import { registerDbCommands } from "./commands/db.ts";
import { registerEvaluateCommand } from "./commands/evaluate.ts";
import { registerGradCamCommand } from "./commands/gradcam.ts";
import { registerIngestCommand } from "./commands/ingest.ts";
import { registerJobsCommands, registerWorkerCommand } from "./commands/jobs.ts";
import { registerModelCommands } from "./commands/model.ts";
import { registerServeCommand } from "./commands/serve.ts";
import { registerSimulateCommand } from "./commands/simulate.ts";
import { registerStartCommand } from "./commands/start.ts";
import { registerSweepCommand } from "./commands/sweep.ts";
import { registerTrainCommand } from "./commands/train.ts";
import { registerUserCommands } from "./commands/user.ts";
import { type CliEnv, parseEnv } from "./env.ts";
import { reportError } from "./output.ts";

let env: CliEnv | undefined;
const getEnv = (): CliEnv => {
  env ??= parseEnv();
  return env;
};

const program = new Command("macnet")
  .description("MAC-Net platform: survey data, MAC-Net classifiers, API and dashboard")
  .exitOverride();

registerDbCommands(program, getEnv);
registerUserCommands(program, getEnv);
registerStartCommand(program, getEnv);
registerSimulateCommand(program);
registerIngestCommand(program, getEnv);
registerDatasetCommand(program, getEnv);
registerTrainCommand(program, getEnv);
registerEvaluateCommand(program, getEnv);
registerClassifyCommand(program, getEnv);
registerGradCamCommand(program, getEnv);
registerSweepCommand(program, getEnv);
registerModelCommands(program, getEnv);
registerJobsCommands(program, getEnv);
registerWorkerCommand(program, getEnv);
registerBenchCommand(program, getEnv);
registerServeCommand(program, getEnv);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportError(error, env?.debug ?? false);
}
