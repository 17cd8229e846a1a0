import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { median } from "@macnet/core";
import { applyMigrations, createScratchDatabase } from "@macnet/db";
import { copyIn, newConnection, type SqlConnection } from "@macnet/db/sql";
import { binaryCopyRows, ingestPaths, listFiles } from "@macnet/ingest";
import { simulateSurvey } from "@macnet/survey-sim";
import { describeMachine, type MachineInfo } from "./machine.ts";

/** Options of the ingest benchmark. */
export interface IngestBenchmarkOptions {
  /** The PostgreSQL server to create throw-away databases on (the COPY baseline needs a real server). */
  serverUrl: string | undefined;
  migrationsDir: string;
  objects: number;
  seed: number;
  /** Rounds of (ingest into a fresh database, COPY of the same bytes); the figures are medians. */
  repeats?: number;
  onStage?: (stage: string) => void;
}

/** One round: an ingest into a fresh database and a COPY of its payload. */
export interface IngestBenchmarkRound {
  ingestSeconds: number;
  copySeconds: number;
  ratioToCopy: number;
}

/** The benchmark's figures (the `--json` summary of `macnet bench ingest`). */
export interface IngestBenchmarkResult {
  machine: MachineInfo;
  database: "server";
  objects: number;
  files: number;
  inputMB: number;
  payloadMB: number;
  /** Median over the rounds. */
  ingest: { seconds: number; objectsPerS: number; inputMBPerS: number; payloadMBPerS: number };
  /** Median over the rounds. */
  copy: { seconds: number; payloadMBPerS: number };
  /** Ingest payload throughput ÷ COPY payload throughput, from the medians (goal ≥ 0.8). */
  ratioToCopy: number;
  repeats: number;
  rounds: IngestBenchmarkRound[];
  /** Whether a CHECKPOINT could run before each timed phase (it needs superuser or pg_checkpoint). */
  checkpoints: boolean;
}

const MB = 1024 * 1024;

/**
 * Simulates a survey, then, `repeats` times: ingests it into a fresh database and, in the same
 * database, COPYs the same payload bytes (every stored strip, 1D spectrum and cutout, as binary COPY
 * into a plain table): the ratio of the two payload throughputs is how close the ingest gets to
 * what PostgreSQL can take. Each timed phase starts after a CHECKPOINT where allowed, so neither
 * pays for the other's dirty pages; medians, because a COPY's time varies by ±30 % run to run.
 */
export async function runIngestBenchmark(options: IngestBenchmarkOptions): Promise<IngestBenchmarkResult> {
  if (!options.serverUrl) {
    throw Object.assign(
      new Error(
        "bench ingest makes a throw-away database per round on a PostgreSQL server: set DATABASE_URL to one (a role with CREATEDB)",
      ),
      {
        code: "BENCH_NEEDS_SERVER",
      },
    );
  }
  const repeats = Math.max(1, options.repeats ?? 3);
  const work = mkdtempSync(join(tmpdir(), "macnet-bench-ingest-"));
  try {
    options.onStage?.("simulating");
    const survey = join(work, "survey");
    await simulateSurvey({ outDir: survey, objects: options.objects, seed: options.seed, plans: 2 });
    const { files } = listFiles([survey]);
    const inputBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
    const rounds: RoundFigures[] = [];
    for (let round = 1; round <= repeats; round++) {
      options.onStage?.(`round ${round} of ${repeats}: ingesting, then copying the same bytes`);
      rounds.push(await ingestAndCopy(options, survey));
    }
    const ingestSeconds = median(rounds.map((round) => round.ingestSeconds));
    const copySeconds = median(rounds.map((round) => round.copySeconds));
    const { objects, payloadBytes } = rounds[0] as RoundFigures;
    return {
      machine: describeMachine(),
      database: "server",
      objects,
      files: files.length,
      inputMB: round2(inputBytes / MB),
      payloadMB: round2(payloadBytes / MB),
      ingest: {
        seconds: round2(ingestSeconds),
        objectsPerS: round2(objects / ingestSeconds),
        inputMBPerS: round2(inputBytes / MB / ingestSeconds),
        payloadMBPerS: round2(payloadBytes / MB / ingestSeconds),
      },
      copy: { seconds: round2(copySeconds), payloadMBPerS: round2(payloadBytes / MB / copySeconds) },
      ratioToCopy: round2(copySeconds / ingestSeconds),
      repeats,
      rounds: rounds.map(({ ingestSeconds, copySeconds, ratioToCopy }) => ({
        ingestSeconds: round2(ingestSeconds),
        copySeconds: round2(copySeconds),
        ratioToCopy: round2(ratioToCopy),
      })),
      checkpoints: rounds.every((round) => round.checkpoints),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A round's figures as measured, with what the summary reports once (the same every round). */
type RoundFigures = IngestBenchmarkRound & { objects: number; payloadBytes: number; checkpoints: boolean };

async function ingestAndCopy(options: IngestBenchmarkOptions, survey: string): Promise<RoundFigures> {
  const database = await createScratchDatabase({ serverUrl: options.serverUrl as string, prefix: "macnet_bench" });
  try {
    await applyMigrations({ databaseUrl: database.url, migrationsDir: options.migrationsDir });
    const client = newConnection(database.url);
    await client.connect();
    try {
      let checkpoints = await checkpoint(client);
      const ingestStart = performance.now();
      const report = await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "benchmark" });
      const ingestSeconds = (performance.now() - ingestStart) / 1000;

      const payloads = await loadPayloads(client);
      const payloadBytes = payloads.reduce((sum, payload) => sum + payload.length, 0);
      // Same storage as the platform's array columns (uncompressed out-of-line), so only the pipeline differs.
      await client.query("CREATE TABLE bench_copy (id integer, payload bytea)");
      await client.query("ALTER TABLE bench_copy ALTER COLUMN payload SET STORAGE EXTERNAL");
      checkpoints = (await checkpoint(client)) && checkpoints;
      const copyStart = performance.now();
      await pipeline(
        Readable.from(binaryCopyRows(payloads)),
        copyIn(client, "COPY bench_copy (id, payload) FROM STDIN (FORMAT binary)"),
      );
      const copySeconds = (performance.now() - copyStart) / 1000;
      return {
        objects: report.objects.created,
        payloadBytes,
        ingestSeconds,
        copySeconds,
        ratioToCopy: copySeconds / ingestSeconds,
        checkpoints,
      };
    } finally {
      await client.end();
    }
  } finally {
    await database.dispose();
  }
}

/** Flushes dirty pages before a timed phase; false when the role may not (then the phases share that noise). */
async function checkpoint(client: SqlConnection): Promise<boolean> {
  try {
    await client.query("CHECKPOINT");
    return true;
  } catch {
    return false;
  }
}

async function loadPayloads(client: SqlConnection): Promise<Buffer[]> {
  const rows = (
    await client.query<{ payload: Buffer }>(
      `SELECT data AS payload FROM spectrum_2d
       UNION ALL SELECT wavelength_angstrom || flux || ivar FROM spectrum_1d
       UNION ALL SELECT rgb FROM cutout`,
    )
  ).rows;
  return rows.map((row) => row.payload);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
