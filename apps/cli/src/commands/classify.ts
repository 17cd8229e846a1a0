import { MacnetError } from "@macnet/db";
import { classifyDataset } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { printJson, say } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { withDatabase } from "../with-database.ts";

const modelId = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`--model must be a model id (got "${value}")`);
  return Number(value);
};

/** `macnet classify --model ID [--dataset N]`: predictions for stored objects. */
export function registerClassifyCommand(program: Command, env: () => CliEnv): void {
  program
    .command("classify")
    .description(
      "Classify the objects of a dataset with a trained model and store the predictions with their probabilities",
    )
    .requiredOption("--model <id>", "trained model id", modelId)
    .option("--dataset <name>", "dataset name (latest version; default: the model's own dataset)")
    .argument("[paths...]", "files to classify directly (not available yet: issue #6)")
    .option("--json", "print the summary as JSON on the last line")
    .action(async (paths: string[], options: { model: number; dataset?: string; json?: boolean }) => {
      if (paths.length > 0) {
        throw new MacnetError(
          "'macnet classify --model ID PATH…' (files given directly) is not available yet (planned in issue #6); ingest them and classify their dataset",
          "NOT_IMPLEMENTED",
        );
      }
      await selectBackend({ log: (line) => process.stderr.write(`${line}\n`) });
      await withDatabase(
        env(),
        async ({ prisma }) => {
          let datasetId: number | undefined;
          if (options.dataset) {
            const dataset = await prisma().dataset.findFirst({
              where: { name: options.dataset },
              orderBy: { version: "desc" },
            });
            if (!dataset) throw new MacnetError(`No dataset '${options.dataset}'`, "DATASET_NOT_FOUND");
            datasetId = dataset.id;
          }
          const bar = new ProgressBar("classify", "objects");
          const result = await classifyDataset({
            prisma: prisma(),
            modelId: options.model,
            datasetId,
            home: env().home,
            onProgress: (done, total) => bar.update(done, total),
          });
          if (options.json) {
            printJson(result);
            return;
          }
          say(
            `Model ${result.modelId}: ${result.stored} predictions stored for dataset ${result.datasetId} (${Object.entries(
              result.predictedCounts,
            )
              .map(([c, n]) => `${c} ${n}`)
              .join(", ")}); agreement with the catalogue ${result.metrics.accuracy.toFixed(3)}`,
          );
        },
        { requireSchema: true },
      );
    });
}
