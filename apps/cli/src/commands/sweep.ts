import { describeDevice } from "@macnet/jobs";
import { resolveConfig, sweepIntervals } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import type { Command } from "commander";
import type { CliEnv } from "../env.ts";
import {
  addSweepOptions,
  findDataset,
  presetConfig,
  recipeOptions,
  type SweepTargetOptions,
  sweepArchitecture,
  withPreset,
} from "../options.ts";
import { printJson, say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

/** `macnet sweep --dataset N`: the paper's pixel-interval sweep (§4.5). */
export function registerSweepCommand(program: Command, env: () => CliEnv): void {
  addSweepOptions(
    program
      .command("sweep")
      .description(
        "Pixel-interval sweep (paper §4.5): C-Net on four windows per arm, the other arm fixed; per-class precision and F1 per window",
      ),
  )
    .option("--json", "print the table as JSON on the last line")
    .action(async (typed: SweepTargetOptions & { json?: boolean }, command: Command) => {
      const arch = sweepArchitecture(typed.arch);
      const options = withPreset(typed, command, [arch]);
      const selection = await selectBackend({ log: (line) => process.stderr.write(`${line}\n`) });
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const base = await findDataset(prisma(), options.dataset);
          const result = await sweepIntervals({
            prisma: prisma(),
            datasetId: base.id,
            arch,
            config: resolveConfig(options.compact ? "compact" : "full", presetConfig(options)),
            home: env().home,
            artifactsDir: env().artifactsDir,
            starts: options.windows,
            recipe: recipeOptions(options),
            backend: selection.description,
            device: describeDevice(selection.choice),
            onRun: (row, index, total) =>
              process.stderr.write(
                `sweep ${index}/${total}: ${row.arm} ${row.window.join("–")} → accuracy ${row.accuracy?.toFixed(3) ?? "n/a"}\n`,
              ),
          });
          if (options.json) {
            printJson(result);
            return;
          }
          say(`arm   window      accuracy  GALAXY P/F1   QSO P/F1      STAR P/F1`);
          for (const row of result.rows) {
            const cell = (cls: string) => {
              const m = row.perClass[cls];
              return m ? `${m.precision.toFixed(3)}/${m.f1.toFixed(3)}` : "n/a";
            };
            say(
              `${row.arm.padEnd(5)} ${row.window.join("–").padEnd(11)} ${(row.accuracy?.toFixed(3) ?? "n/a").padEnd(9)} ${cell("GALAXY").padEnd(13)} ${cell("QSO").padEnd(13)} ${cell("STAR")}`,
            );
          }
        },
        { requireSchema: true },
      );
    });
}
