import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describeDevice } from "@macnet/jobs";
import { type ComparisonResult, type ComparisonSummary, compareArchitectures, type MeanStd } from "@macnet/model";
import { ARCHITECTURES, type Architecture } from "@macnet/model/names";
import { selectBackend } from "@macnet/tfjs-native";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { lossCurvesSvg } from "../loss-curves.ts";
import {
  addHyperParameterOptions,
  architecture,
  findDataset,
  type HyperParameterOptions,
  positiveInteger,
  presetConfig,
  recipeOptions,
  withPreset,
} from "../options.ts";
import { formatEpoch, printJson, say } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { whileStoppable } from "../stop-signal.ts";
import { withDatabase } from "../with-database.ts";

interface CompareOptions extends HyperParameterOptions {
  /** false with --no-train: report the recorded runs only. */
  train: boolean;
  dataset: string;
  datasetVersion?: number;
  archs: Architecture[];
  seeds: number[];
  out: string;
  /** Another version of the dataset: compare the two (issue #33). */
  versus?: number;
  json?: boolean;
}

const archList = (value: string): Architecture[] => value.split(",").map((v) => architecture(v));
const seedList = (value: string): number[] => {
  const seeds = value.split(",").map((v) => v.trim());
  if (seeds.length === 0 || seeds.some((v) => !/^\d+$/.test(v) || Number(v) < 1)) {
    throw new InvalidArgumentError(`--seeds must be positive integers separated by commas (got "${value}")`);
  }
  return [...new Set(seeds.map(Number))];
};

const fmt = (m: MeanStd, digits = 3) =>
  m.n === 0 ? "–" : m.n > 1 ? `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}` : m.mean.toFixed(digits);

/** The comparison as a Markdown table (the README's Table 4 proxy is this file). */
export function comparisonTable(summary: ComparisonSummary[]): string {
  const lines = [
    "| model | accuracy | GALAXY F1 | QSO F1 | STAR F1 | ECE raw → calibrated | seeds | collapsed | best epoch | epochs run | test objects | parameters |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const row of summary) {
    lines.push(
      `| ${row.arch} | ${fmt(row.accuracy)} | ${fmt(row.f1.GALAXY as MeanStd)} | ${fmt(row.f1.QSO as MeanStd)} | ${fmt(row.f1.STAR as MeanStd)} | ${fmt(row.eceUncalibrated)} → ${fmt(row.ece)} | ${row.seeds.join(", ")} | ${row.collapsed} | ${fmt(row.bestEpoch, 1)} | ${fmt(row.epochsRun, 1)} | ${row.testObjects} | ${row.parameterCount} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Two dataset versions side by side: accuracy against each version's labels, the catalogue and the truth. */
export function versionsTable(
  rows: Array<{ version: number; corrections: number; summary: ComparisonSummary[] }>,
): string {
  const lines = [
    "| version | corrections | model | seeds | accuracy (own labels) | accuracy (catalogue) | accuracy (truth) |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    for (const s of row.summary) {
      lines.push(
        `| v${row.version} | ${row.corrections} | ${s.arch} | ${s.seeds.join(", ")} | ${fmt(s.accuracy)} | ${fmt(s.accuracyCatalogue)} | ${fmt(s.accuracyTruth)} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function writeOutputs(out: string, archs: readonly Architecture[], result: ComparisonResult, title: string): void {
  writeFileSync(join(out, "table.md"), comparisonTable(result.summary));
  writeFileSync(join(out, "loss-curves.svg"), lossCurvesSvg(archs, result.runs, title));
}

/** `macnet compare`: each architecture × seed trained and tested on one dataset; mean ± std, curves. */
export function registerCompareCommand(program: Command, env: () => CliEnv): void {
  addHyperParameterOptions(
    program
      .command("compare")
      .description(
        "Train several architectures with several seeds on one dataset split and report test accuracy and F1 as mean ± std, with loss curves",
      )
      .requiredOption("--dataset <name>", "dataset name (its latest version unless --dataset-version)")
      .option("--dataset-version <v>", "dataset version", positiveInteger("--dataset-version"))
      .option("--archs <list>", "architectures, separated by commas", archList, [...ARCHITECTURES])
      .option("--seeds <list>", "training seeds (batch order, augmentation), separated by commas", seedList, [1, 2, 3])
      .requiredOption(
        "--out <dir>",
        "folder for runs.json (resumes: finished runs of the same recipe are kept), table.md and loss-curves.svg",
      )
      .option("--no-train", "train nothing: write the table and curves of the runs runs.json holds")
      .option(
        "--versus <version>",
        "also run the comparison on this other version of the dataset (e.g. one made with --apply-reviews) and score both against the truth file and the catalogue; each version's runs go in --out/v<N>",
        positiveInteger("--versus"),
      )
      .option("--json", "print the comparison as JSON on the last line"),
  ).action(async (typed: CompareOptions, command: Command) => {
    const options = withPreset(typed, command, typed.archs);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const selection = await selectBackend({ log });
    const out = resolve(options.out);
    mkdirSync(out, { recursive: true });
    await withDatabase(
      env(),
      async ({ prisma }) => {
        const first = await findDataset(prisma(), options.dataset, options.datasetVersion);
        const datasets =
          options.versus === undefined
            ? [first]
            : [first, await findDataset(prisma(), options.dataset, options.versus)];
        const size = options.compact ? "compact" : "full";
        const stopping = "Stopping after this batch; finished runs are kept in runs.json and a rerun resumes…";
        await whileStoppable(stopping, async (signal) => {
          const done: Array<{
            dataset: (typeof datasets)[number];
            dir: string;
            result: ComparisonResult & { complete: boolean };
          }> = [];
          for (const dataset of datasets) {
            // Two versions: each keeps its own runs.json, table and curves (a recipe names its dataset).
            const dir = options.versus === undefined ? out : join(out, `v${dataset.version}`);
            mkdirSync(dir, { recursive: true });
            const bar = new ProgressBar("train", "batches");
            const title = `${options.archs.length} architecture${options.archs.length > 1 ? "s" : ""} × seeds ${options.seeds.join(", ")} on ${dataset.name} v${dataset.version} (${size}, ≤ ${options.epochs} epochs, batch ${options.batch}, lr ${options.lr}, patience ${options.patience})`;
            let current = "";
            const result = await compareArchitectures({
              prisma: prisma(),
              datasetId: dataset.id,
              archs: options.archs,
              seeds: options.seeds,
              size,
              train: recipeOptions(options),
              config: presetConfig(options),
              home: env().home,
              artifactsDir: env().artifactsDir,
              backend: selection.description,
              device: describeDevice(selection.choice),
              resultsFile: join(dir, "runs.json"),
              trainMissing: options.train,
              scoreTruth: options.versus !== undefined,
              signal,
              onRunStart: (arch, seed, index, total) => {
                current = `${arch} seed ${seed} (${index + 1}/${total}) on v${dataset.version}`;
                if (!options.json) say(`${current}: training`);
              },
              onProgress: (p) => {
                if (p.phase === "batch") bar.update(p.batch, p.batches, `${current} epoch ${p.epoch}/${p.epochs}`);
                if (p.phase === "epoch" && p.record && !options.json) say(`  ${formatEpoch(p.record)}`);
              },
              onRun: (run, reused) => {
                if (!options.json)
                  say(
                    `${run.arch} seed ${run.seed} on v${dataset.version}: model ${run.modelId}, test accuracy ${run.accuracy.toFixed(3)}${run.accuracyTruth === undefined ? "" : ` (truth ${run.accuracyTruth.toFixed(3)})`}, best epoch ${run.bestEpoch} of ${run.epochsRun}${reused ? " (from runs.json)" : ""}`,
                  );
              },
              onWarning: (message) => process.stderr.write(`macnet: warning: ${message}\n`),
            });
            writeOutputs(dir, options.archs, result, title);
            done.push({ dataset, dir, result });
            if (!options.json) {
              say("");
              say(comparisonTable(result.summary).trimEnd());
              say(
                `${result.complete ? "Done" : `${result.runs.length} of ${options.archs.length * options.seeds.length} runs recorded (rerun${options.train ? "" : " without --no-train"} to train the rest)`}: ${join(dir, "table.md")}, ${join(dir, "loss-curves.svg")}, ${join(dir, "runs.json")}`,
              );
            }
            if (!result.complete && options.train) break;
          }
          const brief = ({ dataset, dir, result }: (typeof done)[number]) => {
            const { runs, ...rest } = result;
            return {
              ...rest,
              dataset: {
                id: dataset.id,
                name: dataset.name,
                version: dataset.version,
                corrections: dataset.corrections,
              },
              out: dir,
              runs: runs.map(({ history, ...run }) => run),
            };
          };
          if (options.versus === undefined) {
            if (options.json) printJson(brief(done[0] as (typeof done)[number]));
            return;
          }
          const table = versionsTable(
            done.map(({ dataset, result }) => ({
              version: dataset.version,
              corrections: dataset.corrections,
              summary: result.summary,
            })),
          );
          writeFileSync(join(out, "versions.md"), table);
          if (options.json) {
            printJson({
              versions: done.map(brief),
              complete: done.length === 2 && done.every((d) => d.result.complete),
              out,
            });
            return;
          }
          say("");
          say(table.trimEnd());
          say(`Versions side by side: ${join(out, "versions.md")}`);
        });
      },
      { requireSchema: true },
    );
  });
}
