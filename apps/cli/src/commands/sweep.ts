import { MacnetError } from "@macnet/db";
import { ARCHITECTURES, type Architecture, PAPER_WINDOW_STARTS, resolveConfig, sweepIntervals } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { positiveInteger } from "../options.ts";
import { printJson, say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

const starts = (value: string) => {
  const list = value.split(",").map((v) => v.trim());
  if (list.some((v) => !/^\d+$/.test(v))) {
    throw new InvalidArgumentError(`--windows must be window starts separated by commas (got "${value}")`);
  }
  return list.map(Number);
};

/** `macnet sweep --dataset N`: the paper's pixel-interval sweep (§4.5). */
export function registerSweepCommand(program: Command, env: () => CliEnv): void {
  program
    .command("sweep")
    .description(
      "Pixel-interval sweep (paper §4.5): C-Net on four windows per arm, the other arm fixed; per-class precision and F1 per window",
    )
    .requiredOption("--dataset <name>", "base dataset (its latest version): split, seed and the fixed arm's window")
    .option("--arch <arch>", "architecture with both 2D arms", "C_NET")
    .option(
      "--windows <starts>",
      "window starts (each as wide as the base dataset's window)",
      starts,
      PAPER_WINDOW_STARTS,
    )
    .option("--epochs <n>", "maximum epochs per run", positiveInteger("--epochs"), 300)
    .option("--batch <n>", "batch size", positiveInteger("--batch"), 4)
    .option("--lr <rate>", "AdaGrad learning rate", Number, 0.001)
    .option("--patience <n>", "early-stopping patience", positiveInteger("--patience"), 50)
    .option("--compact", "the compact configuration (docs/model.md)")
    .option("--json", "print the table as JSON on the last line")
    .action(
      async (options: {
        dataset: string;
        arch: string;
        windows: number[];
        epochs: number;
        batch: number;
        lr: number;
        patience: number;
        compact?: boolean;
        json?: boolean;
      }) => {
        const arch = options.arch.toUpperCase().replace(/-/g, "_") as Architecture;
        if (!["C_NET", "MC_NET", "MAC_NET"].includes(arch) || !ARCHITECTURES.includes(arch)) {
          throw new MacnetError(
            `--arch must be one with both 2D arms: C_NET, MC_NET or MAC_NET (got "${options.arch}")`,
            "BAD_ARCH",
          );
        }
        const selection = await selectBackend({ log: (line) => process.stderr.write(`${line}\n`) });
        await withDatabase(
          env(),
          async ({ prisma }) => {
            const base = await prisma().dataset.findFirst({
              where: { name: options.dataset },
              orderBy: { version: "desc" },
            });
            if (!base) throw new MacnetError(`No dataset '${options.dataset}'`, "DATASET_NOT_FOUND");
            const result = await sweepIntervals({
              prisma: prisma(),
              datasetId: base.id,
              arch,
              config: resolveConfig(options.compact ? "compact" : "full"),
              home: env().home,
              starts: options.windows,
              epochs: options.epochs,
              batchSize: options.batch,
              learningRate: options.lr,
              patience: options.patience,
              backend: selection.description,
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
      },
    );
}
