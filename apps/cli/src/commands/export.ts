import { createWriteStream, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { finished } from "node:stream/promises";
import { badInput } from "@macnet/db";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { CliEnv } from "../env.ts";
import { modelIdOption, type ObjectClassName, objectClassOption, split } from "../options.ts";
import { printJson, say } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { withDatabase } from "../with-database.ts";

/** `--cone RA,DEC,RADIUS` in degrees. */
const cone = (value: string) => {
  const parts = value.split(",").map((part) => Number(part.trim()));
  if (parts.length !== 3 || parts.some((part) => !Number.isFinite(part))) {
    throw new InvalidArgumentError(`--cone must be RA,DEC,RADIUS in degrees (got "${value}")`);
  }
  const [raDeg, decDeg, radiusDeg] = parts as [number, number, number];
  return { raDeg, decDeg, radiusDeg };
};

/** `--models 3,5` or `--models none`. */
const modelList = (value: string) => {
  if (value.trim().toLowerCase() === "none") return [];
  const list = value.split(",").map((v) => v.trim());
  if (list.some((v) => !/^\d+$/.test(v))) {
    throw new InvalidArgumentError(`--models must be model ids separated by commas, or none (got "${value}")`);
  }
  return list.map(Number);
};

const wholeNumber = (flag: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} must be a whole number`);
  return Number(value);
};

interface ExportOptions {
  format: "votable" | "fits" | "csv";
  out: string;
  class?: ObjectClassName;
  model?: number;
  predicted?: ObjectClassName;
  disagreement?: boolean;
  dataset?: number;
  split?: "TRAIN" | "VAL" | "TEST";
  source?: string;
  cone?: { raDeg: number; decDeg: number; radiusDeg: number };
  models?: number[];
  verb: number;
  limit?: number;
  json?: boolean;
}

/** `macnet export`: objects (any filter the API takes) as a VOTable, FITS binary table or CSV file. */
export function registerExportCommand(program: Command, env: () => CliEnv): void {
  program
    .command("export")
    .description(
      "Write objects matching a filter, with models' predictions, as a VOTable, FITS binary table or CSV (streamed)",
    )
    .addOption(
      new Option("--format <format>", "table format").choices(["votable", "fits", "csv"]).makeOptionMandatory(),
    )
    .requiredOption("--out <file>", "the file to write (- for standard output)")
    .option("--class <class>", "catalogue class GALAXY, QSO or STAR", objectClassOption("--class"))
    .option("--model <id>", "with --predicted or --disagreement: whose predictions to filter on", modelIdOption)
    .option("--predicted <class>", "objects --model predicted as this class", objectClassOption("--predicted"))
    .option("--disagreement", "objects whose catalogue class --model contradicts")
    .option("--dataset <id>", "members of this dataset", modelIdOption)
    .option("--split <split>", "with --dataset: train, val or test", split)
    .option("--source <name>", "objects of this ingest source")
    .option("--cone <ra,dec,radius>", "objects within a cone (degrees)", cone)
    .option(
      "--models <ids>",
      "models whose predictions to add as columns (default: --model, else the best evaluated model; none for none)",
      modelList,
    )
    .option(
      "--verb <level>",
      "columns: 1 position and id, 2 with class and redshift, 3 everything",
      wholeNumber("--verb"),
      3,
    )
    .option("--limit <rows>", "at most this many rows", wholeNumber("--limit"))
    .option("--json", "print a JSON summary as the last line")
    .action(async (options: ExportOptions) => {
      if (![1, 2, 3].includes(options.verb)) throw badInput("--verb must be 1, 2 or 3", "--verb");
      const tables = await import("@macnet/api/tables");
      await withDatabase(
        env(),
        async ({ target }) => {
          const sql = tables.createSqlPool(target.url, { max: 2 });
          const toStdout = options.out === "-";
          const path = toStdout ? "-" : resolve(options.out);
          // Written next to the target and renamed at the end: a failed export leaves no partial file.
          const partial = toStdout ? "" : join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
          try {
            const filter = {
              catalogueClass: options.class,
              modelId: options.model ?? null,
              predictedClass: options.predicted,
              disagreement: options.disagreement ?? false,
              datasetId: options.dataset ?? null,
              split: options.split,
              source: options.source,
              cone: options.cone,
            };
            const spec = {
              filter,
              models: await tables.chooseTableModels(sql, options.models, filter),
              dataset: await tables.tableDataset(sql, filter),
              verbosity: options.verb as 1 | 2 | 3,
              limit: options.limit ?? Number.MAX_SAFE_INTEGER,
            };
            const total = await tables.countObjectTable(sql, spec);
            const bar = new ProgressBar("export", "rows", { plain: !toStdout });
            const stream = toStdout ? process.stdout : createWriteStream(partial, { mode: 0o644 });
            const result = await tables.exportObjects({
              sql,
              spec,
              format: options.format,
              sink: tables.sinkOf(stream),
              description: "MAC-Net platform objects export",
              infos: [["command", `macnet ${process.argv.slice(2).join(" ")}`.slice(0, 200)]],
              onRows: (written) => bar.update(written, total),
            });
            bar.update(result.rowCount, result.rowCount);
            if (!toStdout) {
              stream.end();
              await finished(stream);
              renameSync(partial, path);
            }
            const summary = {
              format: options.format,
              out: path,
              rows: result.rowCount,
              overflow: result.overflow,
              models: spec.models.map((model) => model.id),
            };
            if (options.json) printJson(summary);
            else if (!toStdout) {
              say(
                `wrote ${result.rowCount} objects to ${path} (${options.format})${result.overflow ? `; more match than --limit ${options.limit}` : ""}`,
              );
            }
          } catch (error) {
            if (partial) rmSync(partial, { force: true });
            throw error;
          } finally {
            await sql.end();
          }
        },
        { requireSchema: true },
      );
    });
}
