import { gradCamForObjects } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import type { Command } from "commander";
import type { CliEnv } from "../env.ts";
import { idList, modelIdOption, type ObjectClassName, objectClassOption } from "../options.ts";
import { printJson, say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

/** `macnet gradcam --model ID --objects 1,2,3`: Grad-CAM maps, stored per model and object. */
export function registerGradCamCommand(program: Command, env: () => CliEnv): void {
  program
    .command("gradcam")
    .description(
      "Grad-CAM maps of objects: per spectral arm along the wavelength axis, and for the image; stored with the model",
    )
    .requiredOption("--model <id>", "trained model id", modelIdOption)
    .requiredOption(
      "--objects <ids>",
      "object ids (members of the model's dataset), separated by commas",
      idList("--objects"),
    )
    .option(
      "--class <class>",
      "class to explain (default: each object's predicted class)",
      objectClassOption("--class"),
    )
    .option("--json", "print the maps as JSON on the last line")
    .action(async (options: { model: number; objects: number[]; class?: ObjectClassName; json?: boolean }) => {
      await selectBackend({ log: (line) => process.stderr.write(`${line}\n`) });
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const result = await gradCamForObjects({
            prisma: prisma(),
            modelId: options.model,
            objectIds: options.objects,
            targetClass: options.class,
            home: env().home,
          });
          if (options.json) {
            printJson(result);
            return;
          }
          for (const map of result.maps) {
            const peak = map.values.indexOf(Math.max(...map.values));
            const where = map.wavelengthAngstrom ? ` peak at ${map.wavelengthAngstrom[peak]?.toFixed(0)} Å` : "";
            say(`object ${map.objectId} ${map.target} (${map.targetClass}): ${map.shape.join("×")} values${where}`);
          }
        },
        { requireSchema: true },
      );
    });
}
