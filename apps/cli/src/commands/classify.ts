import { existsSync } from "node:fs";
import { applyMigrations, createScratchDatabase, MacnetError } from "@macnet/db";
import { classifyDataset, classifyFiles } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import type { Command } from "commander";
import type { CliEnv } from "../env.ts";
import { findDataset, modelIdOption } from "../options.ts";
import { printJson, say } from "../output.ts";
import { defaultMigrationsDir } from "../paths.ts";
import { ProgressBar } from "../progress.ts";
import { withDatabase } from "../with-database.ts";

/** `macnet classify --model ID [--dataset N]`: predictions for stored objects. */
export function registerClassifyCommand(program: Command, env: () => CliEnv): void {
  program
    .command("classify")
    .description(
      "Classify the objects of a dataset with a trained model and store the predictions with their probabilities",
    )
    .requiredOption("--model <id>", "trained model id", modelIdOption)
    .option("--dataset <name>", "dataset name (latest version; default: the model's own dataset)")
    .argument("[paths...]", "files or folders to classify directly (any format ingest reads); nothing is stored")
    .option("--json", "print the summary as JSON on the last line")
    .action(async (paths: string[], options: { model: number; dataset?: string; json?: boolean }) => {
      const missing = paths.filter((path) => !existsSync(path));
      if (missing.length > 0)
        throw new MacnetError(`No such file or directory: ${missing.join(", ")}`, "PATH_NOT_FOUND");
      await selectBackend({ log: (line) => process.stderr.write(`${line}\n`) });
      if (paths.length > 0) {
        await withDatabase(
          env(),
          async ({ prisma }) => {
            // The files go through ingest into a throw-away database, never into the platform's.
            const scratch = await createScratchDatabase({ serverUrl: env().databaseUrl, prefix: "macnet_classify" });
            try {
              await applyMigrations({ databaseUrl: scratch.url, migrationsDir: defaultMigrationsDir });
              const result = await classifyFiles({
                prisma: prisma(),
                modelId: options.model,
                paths,
                scratchUrl: scratch.url,
              });
              if (options.json) {
                printJson(result);
                return;
              }
              for (const p of result.objects) {
                const probabilities = Object.entries(p.probabilities)
                  .map(([c, v]) => `${c} ${v.toFixed(3)}`)
                  .join(", ");
                say(
                  `${p.sourceFiles.join(" + ") || p.obsid}: ${p.predictedClass} (${probabilities})${p.label ? `, labelled ${p.label}` : ""}`,
                );
              }
              if (result.metrics)
                say(
                  `accuracy on the ${result.objects.filter((p) => p.label).length} labelled objects: ${result.metrics.accuracy.toFixed(3)}`,
                );
              for (const r of result.rejected) say(`rejected ${r.file}${r.field ? ` [${r.field}]` : ""}: ${r.reason}`);
            } finally {
              await scratch.dispose();
            }
          },
          { requireSchema: true },
        );
        return;
      }
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const datasetId = options.dataset ? (await findDataset(prisma(), options.dataset)).id : undefined;
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
