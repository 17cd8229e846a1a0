import { describeDevice } from "@macnet/jobs";
import { resolveConfig, trainModel } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import type { Command } from "commander";
import type { CliEnv } from "../env.ts";
import {
  addTrainOptions,
  findDataset,
  presetConfig,
  recipeOptions,
  type TrainTargetOptions,
  withPreset,
} from "../options.ts";
import { formatEpoch, printJson, say } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { whileStoppable } from "../stop-signal.ts";
import { withDatabase } from "../with-database.ts";

interface TrainCommandOptions extends TrainTargetOptions {
  resume?: string;
  json?: boolean;
}

/** `macnet train`: trains one architecture on a dataset in this process (jobs: issue #7). */
export function registerTrainCommand(program: Command, env: () => CliEnv): void {
  addTrainOptions(
    program
      .command("train")
      .description(
        "Train a MAC-Net family model on a dataset (AdaGrad, class weights balanced from the training split, early stopping, checkpoints)",
      ),
  )
    .option("--resume <dir>", "continue from this checkpoint folder (printed when a run is interrupted)")
    .option("--json", "print the run's summary as JSON on the last line")
    .action(async (typed: TrainCommandOptions, command: Command) => {
      const options = withPreset(typed, command, [typed.arch]);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const selection = await selectBackend({ log });
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const dataset = await findDataset(prisma(), options.dataset, options.datasetVersion);
          const bar = new ProgressBar("train", "batches");
          const cacheBar = new ProgressBar("cache", "objects");
          await whileStoppable(
            "Stopping after this batch (the last finished epoch is checkpointed)…",
            async (signal) => {
              const result = await trainModel({
                prisma: prisma(),
                datasetId: dataset.id,
                arch: options.arch,
                config: resolveConfig(options.compact ? "compact" : "full", presetConfig(options)),
                ...recipeOptions(options),
                seed: options.seed,
                home: env().home,
                artifactsDir: env().artifactsDir,
                checkpointDir: options.resume,
                backend: selection.description,
                device: describeDevice(selection.choice),
                signal,
                onWarning: (message) => process.stderr.write(`macnet: warning: ${message}\n`),
                onProgress: (p) => {
                  if (p.phase === "cache") cacheBar.update(p.batch, p.batches);
                  if (p.phase === "batch") {
                    bar.update(p.batch, p.batches, `epoch ${p.epoch}/${p.epochs} loss ${p.loss?.toFixed(3)}`, p.etaS);
                  }
                  if (p.phase === "epoch" && p.record && !options.json) {
                    const r = p.record;
                    say(formatEpoch(r));
                  }
                },
              });
              const summary = {
                ...result,
                dataset: { id: dataset.id, name: dataset.name, version: dataset.version },
                backend: selection.description,
              };
              if (options.json) {
                printJson(summary);
                return;
              }
              if (result.status === "cancelled") {
                say(`Interrupted after epoch ${result.epochsRun}; resume with --resume ${result.checkpointDir}`);
                return;
              }
              say(
                `Model ${result.modelId}: ${options.arch} (${result.size}, ${result.parameterCount} parameters) on ${dataset.name} v${dataset.version}, best epoch ${result.bestEpoch} of ${result.epochsRun}${result.stoppedEarly ? " (stopped early)" : ""}, saved to ${result.weightsUri}`,
              );
            },
          );
        },
        { requireSchema: true },
      );
    });
}
