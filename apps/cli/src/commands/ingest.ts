import { existsSync } from "node:fs";
import { MacnetError } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { printJson, say } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { withDatabase } from "../with-database.ts";

const positive = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0`);
  return parsed;
};

/** Exit status of `ingest --strict` when some input was rejected (1 stays "the command failed"). */
export const STRICT_EXIT_CODE = 3;

/** `macnet ingest PATH...`: survey files into the database. */
export function registerIngestCommand(program: Command, env: () => CliEnv): void {
  program
    .command("ingest")
    .description(
      "Ingest survey files (FITS frames/strips/1D spectra, JPEG/PNG cutouts, catalogue CSVs; kinds recognised by content)",
    )
    .argument("<paths...>", "files or directories (walked recursively)")
    .option("--source <name>", "source name stored on new objects (default: the first path's name)")
    .option(
      "--match-arcsec <r>",
      "position cross-match radius for objects no identifier links",
      positive("--match-arcsec"),
      1,
    )
    .option(
      "--batch <n>",
      "objects per transaction (a killed run resumes after the last committed batch)",
      positive("--batch"),
      400,
    )
    .option(
      "--strict",
      `exit with status ${STRICT_EXIT_CODE} when anything was rejected (everything good is still stored)`,
    )
    .option("--json", "print the run's report as JSON on the last line")
    .action(
      async (
        paths: string[],
        options: { source?: string; matchArcsec: number; batch: number; strict?: boolean; json?: boolean },
      ) => {
        const missing = paths.filter((path) => !existsSync(path));
        if (missing.length > 0)
          throw new MacnetError(`No such file or directory: ${missing.join(", ")}`, "PATH_NOT_FOUND");
        await withDatabase(
          env(),
          async ({ target }) => {
            const bar = new ProgressBar("ingest", "files");
            const report = await ingestPaths({
              databaseUrl: target.url,
              paths,
              source: options.source,
              matchToleranceArcsec: options.matchArcsec,
              batchObjects: Math.max(1, Math.round(options.batch)),
              onProgress: (progress) =>
                bar.update(progress.filesDone, progress.filesTotal, `ingest (${progress.objects} objects)`),
            });
            if (options.strict && report.rejectedCount > 0) process.exitCode = STRICT_EXIT_CODE;
            if (options.json) {
              printJson(report);
              return;
            }
            for (const run of report.resumed) {
              say(
                `Resumed interrupted run ${run.runId} (started ${run.startedAt}, stopped before it finished): its ${run.filesCommitted} committed files are not read again`,
              );
            }
            say(
              `Ingest run ${report.runId} (source '${report.source}') in ${report.durationS} s: ${report.files.total} files, ${report.files.alreadyIngested} already ingested`,
            );
            say(
              `  objects: ${report.objects.created} created, ${report.objects.updated} updated (${report.objects.positionMatches} matched by position, ${report.objects.merged} merged)`,
            );
            say(
              `  stored: ${report.stored.strips} strips, ${report.stored.spectra1d} 1D spectra, ${report.stored.cutouts} cutouts${report.stored.truthLabels > 0 ? `, ${report.stored.truthLabels} truth labels (kept apart: for label audits only)` : ""}`,
            );
            say(
              `  missing modalities: 2D ${report.missingModalities.SPECTRUM_2D}, 1D ${report.missingModalities.SPECTRUM_1D}, cutout ${report.missingModalities.CUTOUT}`,
            );
            say(
              `  rejected: ${report.rejectedCount}${report.rejectedCount > 0 ? ` (first ones below; all are stored with the run in ingest_rejection)` : ""}`,
            );
            for (const rejection of report.rejected.slice(0, 10))
              say(`    ${rejection.file}${rejection.field ? ` [${rejection.field}]` : ""}: ${rejection.reason}`);
          },
          { requireSchema: true },
        );
      },
    );
}
