import { deleteModel, listModels } from "@macnet/model";
import type { Command } from "commander";
import type { CliEnv } from "../env.ts";
import { modelIdOption } from "../options.ts";
import { printJson, say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

/** `macnet model list|delete`: trained models and their stored weights. */
export function registerModelCommands(program: Command, env: () => CliEnv): void {
  const model = program.command("model").description("List trained models, delete one with its weights");
  model
    .command("list")
    .description("Every trained model: architecture, dataset, parameters, test accuracy, where its weights are")
    .option("--json", "print the list as JSON on the last line")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const models = await listModels(prisma());
          if (options.json) {
            printJson(models);
            return;
          }
          if (models.length === 0) say("No trained models.");
          for (const m of models) {
            say(
              `${String(m.id).padStart(4)}  ${m.name.padEnd(36)} ${m.parameterCount.toLocaleString("en").padStart(11)} parameters  test accuracy ${m.testAccuracy?.toFixed(3) ?? "—"}${m.jobId ? `  (job ${m.jobId})` : ""}`,
            );
          }
        },
        { requireSchema: true },
      );
    });
  model
    .command("delete")
    .description("Delete a model, its evaluations, predictions and Grad-CAM maps, and its weights folder")
    .argument("<id>", "model id", modelIdOption)
    .option("--json", "print the outcome as JSON on the last line")
    .action(async (id: number, options: { json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const result = await deleteModel(prisma(), id);
          if (options.json) {
            printJson(result);
            return;
          }
          say(`Model ${id} deleted${result.removedFiles ? `; removed ${result.removedFiles}` : ""}.`);
        },
        { requireSchema: true },
      );
    });
}
