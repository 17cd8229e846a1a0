import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { applyMigrations, createScratchDatabase } from "@macnet/db";
import { binaryCopyRows, ingestPaths, listFiles } from "@macnet/ingest";
import { simulateSurvey } from "@macnet/survey-sim";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** Options of the ingest benchmark. */
export interface IngestBenchmarkOptions {
  /** The PostgreSQL server to create a throw-away database on (the COPY baseline needs a real server). */
  serverUrl: string | undefined;
  migrationsDir: string;
  objects: number;
  seed: number;
  onStage?: (stage: string) => void;
}

/** The benchmark's figures (the `--json` summary of `macnet bench ingest`). */
export interface IngestBenchmarkResult {
  database: "server";
  objects: number;
  files: number;
  inputMB: number;
  payloadMB: number;
  ingest: { seconds: number; objectsPerS: number; inputMBPerS: number; payloadMBPerS: number };
  copy: { seconds: number; payloadMBPerS: number };
  /** Ingest payload throughput ÷ COPY payload throughput (goal ≥ 0.5). */
  ratioToCopy: number;
}

const MB = 1024 * 1024;

/**
 * Simulates a survey, ingests it into a fresh database and, in the same run and database, COPYs the
 * same payload bytes (every stored strip, 1D spectrum and cutout, as binary COPY into a plain table):
 * the ratio of the two payload throughputs is how close the ingest gets to what PostgreSQL can take.
 */
export async function runIngestBenchmark(options: IngestBenchmarkOptions): Promise<IngestBenchmarkResult> {
  const work = mkdtempSync(join(tmpdir(), "macnet-bench-ingest-"));
  if (!options.serverUrl) {
    throw Object.assign(
      new Error(
        "bench ingest compares with PostgreSQL's COPY, which the embedded PGlite cannot take: set DATABASE_URL to a PostgreSQL server",
      ),
      {
        code: "BENCH_NEEDS_SERVER",
      },
    );
  }
  const database = await createScratchDatabase({ serverUrl: options.serverUrl, prefix: "macnet_bench" });
  try {
    options.onStage?.("simulating");
    const survey = join(work, "survey");
    await simulateSurvey({ outDir: survey, objects: options.objects, seed: options.seed, plans: 2 });
    const files = listFiles([survey]);
    const inputBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
    await applyMigrations({ databaseUrl: database.url, migrationsDir: options.migrationsDir });

    options.onStage?.("ingesting");
    const ingestStart = performance.now();
    const report = await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "benchmark" });
    const ingestSeconds = (performance.now() - ingestStart) / 1000;

    options.onStage?.("copying the same bytes");
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const payloads = await loadPayloads(client);
      const payloadBytes = payloads.reduce((sum, payload) => sum + payload.length, 0);
      // Same storage as the platform's array columns (uncompressed out-of-line), so only the pipeline differs.
      await client.query("CREATE TABLE bench_copy (id integer, payload bytea)");
      await client.query("ALTER TABLE bench_copy ALTER COLUMN payload SET STORAGE EXTERNAL");
      const copyStart = performance.now();
      await pipeline(
        Readable.from(binaryCopyRows(payloads)),
        client.query(copyFrom("COPY bench_copy (id, payload) FROM STDIN (FORMAT binary)")),
      );
      const copySeconds = (performance.now() - copyStart) / 1000;
      const ingestRate = payloadBytes / MB / ingestSeconds;
      const copyRate = payloadBytes / MB / copySeconds;
      return {
        database: "server",
        objects: report.objects.created,
        files: files.length,
        inputMB: round(inputBytes / MB),
        payloadMB: round(payloadBytes / MB),
        ingest: {
          seconds: round(ingestSeconds),
          objectsPerS: round(report.objects.created / ingestSeconds),
          inputMBPerS: round(inputBytes / MB / ingestSeconds),
          payloadMBPerS: round(ingestRate),
        },
        copy: { seconds: round(copySeconds), payloadMBPerS: round(copyRate) },
        ratioToCopy: round(ingestRate / copyRate),
      };
    } finally {
      await client.end();
    }
  } finally {
    await database.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

async function loadPayloads(client: pg.Client): Promise<Buffer[]> {
  const rows = (
    await client.query<{ payload: Buffer }>(
      `SELECT data AS payload FROM spectrum_2d
       UNION ALL SELECT wavelength_angstrom || flux || ivar FROM spectrum_1d
       UNION ALL SELECT rgb FROM cutout`,
    )
  ).rows;
  return rows.map((row) => row.payload);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
