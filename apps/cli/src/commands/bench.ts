import { runIngestBenchmark } from "@macnet/bench";
import { MacnetError } from "@macnet/db";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { printJson, say } from "../output.ts";
import { defaultMigrationsDir } from "../paths.ts";

const integer = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return Number(value);
};

/** `macnet bench <what>`: benchmarks with a baseline measured in the same run. */
export function registerBenchCommand(program: Command, env: () => CliEnv): void {
  const bench = program
    .command("bench")
    .description(
      "Benchmarks with a baseline measured in the same run (train, infer and api arrive with issues #5 and #8)",
    );
  bench
    .command("ingest")
    .description(
      "Ingest a simulated survey into a fresh database and compare its throughput with a COPY of the same bytes",
    )
    .option("--objects <n>", "objects in the simulated survey", integer("--objects"), 400)
    .option("--seed <s>", "survey seed", integer("--seed"), 1)
    .option("--json", "print the figures as JSON on the last line")
    .action(async (options: { objects: number; seed: number; json?: boolean }) => {
      const result = await runIngestBenchmark({
        serverUrl: env().databaseUrl,
        migrationsDir: defaultMigrationsDir,
        objects: options.objects,
        seed: options.seed,
        onStage: (stage) => options.json || process.stderr.write(`${stage}…\n`),
      });
      if (options.json) {
        printJson(result);
        return;
      }
      say(
        `ingest of ${result.objects} objects (${result.files} files, ${result.inputMB} MB, ${result.payloadMB} MB stored) on ${result.database} PostgreSQL:`,
      );
      say(
        `  ingest: ${result.ingest.seconds} s, ${result.ingest.objectsPerS} objects/s, ${result.ingest.inputMBPerS} MB/s of files, ${result.ingest.payloadMBPerS} MB/s stored`,
      );
      say(`  COPY of the same bytes: ${result.copy.seconds} s, ${result.copy.payloadMBPerS} MB/s`);
      say(`  ratio to COPY: ${result.ratioToCopy} (goal ≥ 0.5)`);
    });
  for (const [name, issue] of [
    ["train", 5],
    ["infer", 5],
    ["api", 8],
  ] as const) {
    bench
      .command(name)
      .description(`[not available yet: issue #${issue}]`)
      .allowUnknownOption()
      .action(() => {
        throw new MacnetError(
          `'macnet bench ${name}' is not available yet (planned in issue #${issue})`,
          "NOT_IMPLEMENTED",
        );
      });
  }
}
