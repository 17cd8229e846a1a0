import { evaluateModel, type Split } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import type { Command } from "commander";
import type { CliEnv } from "../env.ts";
import { modelIdOption, split } from "../options.ts";
import { printJson, say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

/** `macnet evaluate --model ID`: metrics on a split of the model's dataset, stored with the model. */
export function registerEvaluateCommand(program: Command, env: () => CliEnv): void {
  program
    .command("evaluate")
    .description(
      "Evaluate a trained model on a split of its dataset: per-class P/R/F1, accuracy, confusion matrix, timing",
    )
    .requiredOption("--model <id>", "trained model id", modelIdOption)
    .option("--split <split>", "train, val or test", split, "TEST" as Split)
    .option("--json", "print the evaluation as JSON on the last line")
    .action(async (options: { model: number; split: Split; json?: boolean }) => {
      const selection = await selectBackend({ log: (line) => process.stderr.write(`${line}\n`) });
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const result = await evaluateModel({
            prisma: prisma(),
            modelId: options.model,
            split: options.split,
            home: env().home,
            backend: selection.description,
          });
          if (options.json) {
            printJson(result);
            return;
          }
          say(
            `Model ${result.modelId} on ${result.objects} ${result.split} objects: accuracy ${result.accuracy.toFixed(3)}, ${result.inferenceMsPerObject} ms/object, ${result.parameterCount} parameters`,
          );
          say(`  class    precision recall  F1     support`);
          for (const cls of result.classOrder) {
            const m = result.perClass[cls];
            if (!m) continue;
            say(
              `  ${cls.padEnd(8)} ${m.precision.toFixed(3).padStart(9)} ${m.recall.toFixed(3).padStart(6)} ${m.f1.toFixed(3).padStart(6)} ${String(m.support).padStart(7)}`,
            );
          }
          say(
            `  confusion (rows true, columns predicted, ${result.classOrder.join("/")}): ${JSON.stringify(result.confusionMatrix)}`,
          );
        },
        { requireSchema: true },
      );
    });
}
