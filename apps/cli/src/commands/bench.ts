import { resolve } from "node:path";
import {
  type ModelBenchResult,
  machineLine,
  runApiBenchmark,
  runIngestBenchmark,
  runModelBenchmark,
  runScaleBenchmark,
  runStartBenchmark,
} from "@macnet/bench";
import { MacnetError } from "@macnet/db";
import { ARCHITECTURES, type Architecture } from "@macnet/model";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { positiveInteger } from "../options.ts";
import { printJson, say } from "../output.ts";
import { cliEntry, defaultMigrationsDir } from "../paths.ts";

/** `macnet bench <what>`: benchmarks with a baseline measured in the same run. */
export function registerBenchCommand(program: Command, env: () => CliEnv): void {
  const bench = program.command("bench").description("Benchmarks with a baseline measured in the same run");
  bench
    .command("ingest")
    .description(
      "Ingest a simulated survey into a fresh database and compare its throughput with a COPY of the same bytes",
    )
    .option("--objects <n>", "objects in the simulated survey", positiveInteger("--objects"), 400)
    .option("--seed <s>", "survey seed", positiveInteger("--seed"), 1)
    .option(
      "--repeats <n>",
      "rounds of ingest + COPY, each into a fresh database (the figures are medians)",
      positiveInteger("--repeats"),
      3,
    )
    .option("--json", "print the figures as JSON on the last line")
    .action(async (options: { objects: number; seed: number; repeats: number; json?: boolean }) => {
      const result = await runIngestBenchmark({
        serverUrl: env().databaseUrl,
        migrationsDir: defaultMigrationsDir,
        objects: options.objects,
        seed: options.seed,
        repeats: options.repeats,
        onStage: (stage) => options.json || process.stderr.write(`${stage}…\n`),
      });
      if (options.json) {
        printJson(result);
        return;
      }
      say(
        `ingest of ${result.objects} objects (${result.files} files, ${result.inputMB} MB, ${result.payloadMB} MB stored) on ${result.database} PostgreSQL, ${machineLine(result.machine)}:`,
      );
      say(
        `  ingest: ${result.ingest.seconds} s, ${result.ingest.objectsPerS} objects/s, ${result.ingest.inputMBPerS} MB/s of files, ${result.ingest.payloadMBPerS} MB/s stored`,
      );
      say(`  COPY of the same bytes: ${result.copy.seconds} s, ${result.copy.payloadMBPerS} MB/s`);
      say(
        `  ratio to COPY: ${result.ratioToCopy} (goal ≥ 0.8; medians of ${result.repeats} rounds: ${result.rounds.map((round) => round.ratioToCopy).join(", ")})`,
      );
    });
  for (const mode of ["infer", "train"] as const) {
    bench
      .command(mode)
      .description(
        mode === "infer"
          ? "Inference of the MAC-Net family on random data: ms/sample at batch 1, samples/s at batch 32, vs onnxruntime-node and PyTorch"
          : "Training steps of the MAC-Net family on random data: samples/s at batch 4 and 32 and peak RSS, vs PyTorch",
      )
      .option(
        "--arch <list>",
        `comma-separated architectures or "all" (${ARCHITECTURES.join(", ")})`,
        parseArchitectures,
        ["MAC_NET"] as Architecture[],
      )
      .option("--compact", "the compact CPU configuration instead of the paper's full size")
      .option("--repeats <n>", "timed repetitions per figure (median)", positiveInteger("--repeats"))
      .option("--profile", "add TensorFlow.js's time per kernel to the figures")
      .option("--json", "print the figures as JSON on the last line")
      .action(
        async (options: {
          arch: Architecture[];
          compact?: boolean;
          repeats?: number;
          profile?: boolean;
          json?: boolean;
        }) => {
          const result = await runModelBenchmark({
            mode,
            archs: options.arch,
            compact: options.compact,
            repeats: options.repeats,
            profile: options.profile,
            onStage: (stage) => options.json || process.stderr.write(`${stage}…\n`),
          });
          if (options.json) printJson(result);
          else printModelTable(result);
        },
      );
  }
  bench
    .command("api")
    .description(
      "The GraphQL API under autocannon load (objects page with predictions, cone search) vs PostGraphile on the same tables",
    )
    .option("--objects <n>", "objects in the throw-away database", positiveInteger("--objects"), 20000)
    .option("--models <n>", "models with a prediction for every object", positiveInteger("--models"), 3)
    .option("--connections <n>", "concurrent connections", positiveInteger("--connections"), 16)
    .option("--duration <s>", "seconds of load per server and scenario", positiveInteger("--duration"), 10)
    .option("--json", "print the figures as JSON on the last line")
    .action(
      async (options: { objects: number; models: number; connections: number; duration: number; json?: boolean }) => {
        if (!env().databaseUrl) {
          throw new MacnetError(
            "bench api needs a PostgreSQL server: set DATABASE_URL (it makes a throw-away database there)",
            "SERVER_REQUIRED",
          );
        }
        const result = await runApiBenchmark({
          serverUrl: env().databaseUrl,
          migrationsDir: defaultMigrationsDir,
          cliEntry,
          objects: options.objects,
          models: options.models,
          connections: options.connections,
          durationS: options.duration,
          onStage: (stage) => options.json || process.stderr.write(`${stage}…\n`),
        });
        if (options.json) {
          printJson(result);
          return;
        }
        say(
          `GraphQL under load: ${result.objects} objects × ${result.models} models, ${result.connections} connections, ${result.durationS} s each`,
        );
        for (const row of result.rows) {
          const f = (x: typeof row.macnet) => `${x.reqPerS} req/s, p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms`;
          say(
            `  ${row.scenario}: platform ${f(row.macnet)} · PostGraphile ${f(row.postgraphile)} → ratio ${row.ratio}`,
          );
        }
      },
    );
  bench
    .command("scale")
    .description(
      "Fill a fresh database with N catalogue objects (macnet ingest), a model's predictions and a dataset, then measure cones, pages, exports, migrations and disk through the API",
    )
    .requiredOption("--objects <n>", "catalogue objects (e.g. 100000, 1000000, 10000000)", positiveInteger("--objects"))
    .option("--samples <n>", "sequential requests per latency scenario", positiveInteger("--samples"), 50)
    .option("--seed <s>", "catalogue seed", positiveInteger("--seed"), 1)
    .option("--embedded", "an embedded PostgreSQL server of its own even when DATABASE_URL is set")
    .option("--json", "print the figures as JSON on the last line")
    .action(async (options: { objects: number; samples: number; seed: number; embedded?: boolean; json?: boolean }) => {
      const result = await runScaleBenchmark({
        serverUrl: options.embedded ? undefined : env().databaseUrl,
        migrationsDir: defaultMigrationsDir,
        cliEntry,
        objects: options.objects,
        samples: options.samples,
        seed: options.seed,
        onStage: (stage) => process.stderr.write(`${stage}\n`),
      });
      if (options.json) {
        printJson(result);
        return;
      }
      say(
        `${result.objects} objects on ${result.database} PostgreSQL ${result.postgres} (${machineLine(result.machine)})`,
      );
      say(
        `  ingest ${result.ingest.rowsPerS} rows/s (peak ${result.ingest.peakRssMB} MB), predictions ${result.predictions.rowsPerS} rows/s, dataset ${result.dataset.seconds} s, ${result.disk.bytesPerObject} B/object`,
      );
      for (const l of result.latency)
        say(
          `  ${l.scenario}: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms${l.rowsRead === undefined ? "" : `, ${l.rows} rows, ${l.rowsRead} read`}`,
        );
      for (const e of result.exports) say(`  export ${e.scenario}: ${e.rowsPerS} rows/s`);
      say(`  server peak RSS ${result.serverPeakRssMB} MB; goals: ${JSON.stringify(result.goals)}`);
    });
  bench
    .command("start")
    .description(
      "A first `macnet start` in a fresh home (embedded PostgreSQL, the demo), then `jobs list` and the dashboard's objects page while a compact MAC-Net job trains vs idle, and the peak memory of the whole process tree",
    )
    .option("--objects <n>", "simulated demo objects", positiveInteger("--objects"), 600)
    .option("--epochs <n>", "demo training epochs", positiveInteger("--epochs"), 12)
    .option("--real-data <dir>", "real sample files the demo ingests too ('none': without)", "none")
    .option("--samples <n>", "requests of each kind, idle and while training", positiveInteger("--samples"), 5)
    .option("--json", "print the figures as JSON on the last line")
    .action(async (options: { objects: number; epochs: number; realData: string; samples: number; json?: boolean }) => {
      const result = await runStartBenchmark({
        cliEntry,
        realData: options.realData === "none" ? null : resolve(options.realData),
        objects: options.objects,
        epochs: options.epochs,
        samples: options.samples,
        onStage: (stage) => options.json || process.stderr.write(`${stage}…\n`),
      });
      if (options.json) {
        printJson(result);
        return;
      }
      const t = (x: { medianS: number; maxS: number }) => `median ${x.medianS} s, max ${x.maxS} s`;
      say(`macnet start on ${machineLine(result.machine)}, demo of ${result.demo.objects} objects:`);
      say(`  first start: ${result.firstStartS} s (${result.phases})`);
      say(`  peak memory of the process tree (PSS): ${result.peakMB} MB`);
      say(`  jobs list: idle ${t(result.idle.jobsList)}; while training ${t(result.whileTraining.jobsList)}`);
      say(`  objects page: idle ${t(result.idle.objectsPage)}; while training ${t(result.whileTraining.objectsPage)}`);
      say(`  goals: ${JSON.stringify(result.goals)}`);
    });
}

function parseArchitectures(list: string): Architecture[] {
  if (list === "all") return ["SSCNN_1D", "M_NET", "C_NET", "MC_NET", "MAC_NET"];
  return list.split(",").map((name) => {
    const arch = name.trim().toUpperCase().replace(/-/g, "_");
    if (!ARCHITECTURES.includes(arch as Architecture)) {
      throw new InvalidArgumentError(`unknown architecture "${name}" (expected ${ARCHITECTURES.join(", ")} or all)`);
    }
    return arch as Architecture;
  });
}

function printModelTable(result: ModelBenchResult): void {
  const cell = (m: ModelBenchResult["rows"][number]["tfjs"][string] | undefined, key: "msPerSample" | "samplesPerS") =>
    !m ? "–" : "unavailable" in m ? "n/a" : String(m[key]);
  say(`${result.mode} (${result.size} size) on ${machineLine(result.machine)}; TensorFlow.js: ${result.backend}`);
  for (const row of result.rows) {
    say(`${row.arch} (${row.parameters ?? "?"} parameters)`);
    for (const [engine, figures] of [
      ["tfjs", row.tfjs],
      ["onnxruntime", row.onnxruntime],
      ["pytorch", row.pytorch],
    ] as const) {
      if (!figures) continue;
      const parts = Object.entries(figures).map(([batch, m]) =>
        "unavailable" in m
          ? `${batch}: ${m.unavailable}`
          : `${batch}: ${cell(m, "msPerSample")} ms/sample, ${cell(m, "samplesPerS")} samples/s, peak ${m.peakRssMB} MB`,
      );
      say(`  ${engine.padEnd(12)} ${parts.join("; ")}`);
    }
    say(
      `  ratios: ${Object.entries(row.ratios)
        .map(([k, v]) => `${k} ${v ?? "n/a"}`)
        .join(", ")}`,
    );
  }
  for (const [name, goal] of Object.entries(result.goals)) {
    say(
      `goal ${name} ${goal.target}: ${goal.value ?? "n/a"} ${goal.met === null ? "(not measured)" : goal.met ? "met" : "NOT met"}`,
    );
  }
}
