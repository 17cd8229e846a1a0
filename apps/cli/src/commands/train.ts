import { MacnetError } from "@macnet/db";
import { ARCHITECTURES, type Architecture, resolveConfig, trainModel } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { positiveInteger } from "../options.ts";
import { printJson, say } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { withDatabase } from "../with-database.ts";

const positiveNumber = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return parsed;
};

const architecture = (value: string): Architecture => {
  const arch = value.trim().toUpperCase().replace(/-/g, "_");
  if (!ARCHITECTURES.includes(arch as Architecture)) {
    throw new InvalidArgumentError(`unknown architecture "${value}" (expected ${ARCHITECTURES.join(", ")})`);
  }
  return arch as Architecture;
};

interface TrainCommandOptions {
  arch: Architecture;
  dataset: string;
  datasetVersion?: number;
  epochs: number;
  batch: number;
  lr: number;
  patience: number;
  seed: number;
  compact?: boolean;
  resume?: string;
  json?: boolean;
}

/** `macnet train`: trains one architecture on a dataset in this process (jobs: issue #7). */
export function registerTrainCommand(program: Command, env: () => CliEnv): void {
  program
    .command("train")
    .description(
      "Train a MAC-Net family model on a dataset (AdaGrad, class weights 1:3:1, early stopping, checkpoints)",
    )
    .requiredOption("--arch <arch>", `architecture (${ARCHITECTURES.join(", ")})`, architecture)
    .requiredOption("--dataset <name>", "dataset name (its latest version unless --dataset-version)")
    .option("--dataset-version <v>", "dataset version", positiveInteger("--dataset-version"))
    .option("--epochs <n>", "maximum epochs", positiveInteger("--epochs"), 300)
    .option("--batch <n>", "batch size", positiveInteger("--batch"), 4)
    .option("--lr <rate>", "AdaGrad learning rate", positiveNumber("--lr"), 0.001)
    .option(
      "--patience <n>",
      "epochs without a lower validation loss before stopping",
      positiveInteger("--patience"),
      50,
    )
    .option("--seed <s>", "batch order seed", positiveInteger("--seed"), 1)
    .option("--compact", "the compact CPU configuration (docs/model.md) instead of the paper's full size")
    .option("--resume <dir>", "continue from this checkpoint folder (printed when a run is interrupted)")
    .option("--json", "print the run's summary as JSON on the last line")
    .action(async (options: TrainCommandOptions) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const selection = await selectBackend({ log });
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const dataset = await prisma().dataset.findFirst({
            where: { name: options.dataset, ...(options.datasetVersion ? { version: options.datasetVersion } : {}) },
            orderBy: { version: "desc" },
          });
          if (!dataset) {
            const version = options.datasetVersion ? ` version ${options.datasetVersion}` : "";
            throw new MacnetError(
              `No dataset '${options.dataset}'${version} (create it with npx macnet dataset create --name ${options.dataset})`,
              "DATASET_NOT_FOUND",
            );
          }
          const controller = new AbortController();
          const stop = () => {
            log("Stopping after this batch (the last finished epoch is checkpointed)…");
            controller.abort();
          };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
          const bar = new ProgressBar("train", "batches");
          const cacheBar = new ProgressBar("cache", "objects");
          try {
            const result = await trainModel({
              prisma: prisma(),
              datasetId: dataset.id,
              arch: options.arch,
              config: resolveConfig(options.compact ? "compact" : "full"),
              epochs: options.epochs,
              batchSize: options.batch,
              learningRate: options.lr,
              patience: options.patience,
              seed: options.seed,
              home: env().home,
              checkpointDir: options.resume,
              backend: selection.description,
              signal: controller.signal,
              onProgress: (p) => {
                if (p.phase === "cache") cacheBar.update(p.batch, p.batches);
                if (p.phase === "batch") {
                  bar.update(p.batch, p.batches, `epoch ${p.epoch}/${p.epochs} loss ${p.loss?.toFixed(3)}`);
                }
                if (p.phase === "epoch" && p.record && !options.json) {
                  const r = p.record;
                  say(
                    `epoch ${r.epoch}: loss ${r.loss.toFixed(4)} acc ${r.accuracy.toFixed(3)}${r.valLoss === null ? "" : ` · val loss ${r.valLoss.toFixed(4)} acc ${(r.valAccuracy as number).toFixed(3)}`} · ${(r.durationMs / 1000).toFixed(1)} s`,
                  );
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
          } finally {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
          }
        },
        { requireSchema: true },
      );
    });
}
