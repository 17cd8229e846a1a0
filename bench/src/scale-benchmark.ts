// `macnet bench scale --objects N`: the platform at survey size. A fresh database is filled through
// the platform's own write paths — `macnet ingest` of a catalogue CSV (positions on a survey-like
// footprint with clustering, classes, magnitudes, identifiers), one model's predictions through the
// upsert a classification job runs, a dataset over every object — and then measured through the API
// process (`macnet serve`): cone searches over GraphQL and /scs with the rows their plans read, object
// pages with and without totalCount, the sky map, exports with the server's peak RSS, the no-op
// migration and the cost of building the sky index, and bytes per object on disk.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { filterSql } from "@macnet/api";
import { median, OBJECT_CLASSES, percentile, seededUniform, zoneSql } from "@macnet/core";
import {
  applyMigrations,
  createPrismaClient,
  createScratchDatabase,
  createUser,
  Prisma,
  type PrismaClient,
  startEmbeddedServer,
} from "@macnet/db";
import { newConnection } from "@macnet/db/sql";
import { createDataset, type PredictionRow, storePredictions } from "@macnet/model";
import { describeMachine, type MachineInfo } from "./machine.ts";
import { startProcess } from "./processes.ts";

/** Rows per catalogue file (a larger survey is several files, as archives split their catalogues). */
const ROWS_PER_FILE = 1_000_000;
/** Radii of the measured cones, degrees: 1′, 10′, 1°. */
const CONE_RADII: [string, number][] = [
  ["1′", 1 / 60],
  ["10′", 10 / 60],
  ["1°", 1],
];
/** Class mix of the paper's sample (STAR 1202 : GALAXY 1223 : QSO 466). */
const CLASS_MIX: [string, number][] = [
  ["STAR", 1202 / 2891],
  ["GALAXY", 1223 / 2891],
  ["QSO", 466 / 2891],
];

/** The class a uniform draw `u` in [0, 1) falls on in CLASS_MIX. */
function pickClass(u: number): string {
  let below = 0;
  for (const [cls, share] of CLASS_MIX) {
    below += share;
    if (u < below) return cls;
  }
  return (CLASS_MIX.at(-1) as [string, number])[0];
}

export interface LatencyFigures {
  scenario: string;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  /** Rows the plan's scans read (index entries and heap rows before the exact test), median over centres. */
  rowsRead?: number;
  /** Shared buffers the plan touched (hit + read), median over centres. */
  buffers?: number;
  /** Rows in the answer (a cone: median over centres). */
  rows?: number;
}

export interface ScaleBenchResult {
  machine: MachineInfo;
  database: "embedded" | "server";
  postgres: string;
  objects: number;
  ingest: { files: number; rows: number; seconds: number; rowsPerS: number; peakRssMB: number };
  predictions: { rows: number; seconds: number; rowsPerS: number };
  dataset: { members: number; seconds: number };
  disk: { databaseMB: number; bytesPerObject: number };
  migrate: { noopMs: number; skyIndexBuildS: number };
  latency: LatencyFigures[];
  exports: { scenario: string; rows: number; MB: number; seconds: number; rowsPerS: number }[];
  serverPeakRssMB: number;
  goals: Record<string, boolean>;
}

export interface ScaleBenchOptions {
  /** A PostgreSQL server to create the scratch database on; absent: an embedded server of its own. */
  serverUrl: string | undefined;
  migrationsDir: string;
  cliEntry: string;
  objects: number;
  /** Sequential requests per latency scenario (after 3 unmeasured). */
  samples: number;
  seed: number;
  onStage?: (stage: string) => void;
}

/** Peak resident set of a live process (VmHWM), MB; 0 when it cannot be read. */
function peakRssMB(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Writes the catalogue: LAMOST-like plates (fields of 2.5° radius) over a footprint of RA 0–360°,
 * Dec −10…+60° (area-uniform), 80 % of the objects in plates and 20 % spread over the footprint.
 */
async function writeCatalogue(dir: string, objects: number, seed: number): Promise<number> {
  const next = seededUniform(seed);
  const sinLow = Math.sin((-10 * Math.PI) / 180);
  const sinHigh = Math.sin((60 * Math.PI) / 180);
  const uniformPosition = (): [number, number] => [
    next() * 360,
    (Math.asin(sinLow + next() * (sinHigh - sinLow)) * 180) / Math.PI,
  ];
  const plates = Array.from({ length: Math.max(20, Math.ceil(objects / 4000)) }, uniformPosition);
  let files = 0;
  for (let start = 0; start < objects; start += ROWS_PER_FILE) {
    const out = createWriteStream(join(dir, `catalogue-${String(files++).padStart(3, "0")}.csv`));
    out.write("obsid,designation,class,subclass,z,ra,dec,magtype,mag1,mag2,mag3,mag4,mag5\n");
    const end = Math.min(objects, start + ROWS_PER_FILE);
    let lines = "";
    for (let i = start; i < end; i++) {
      let ra: number;
      let dec: number;
      if (next() < 0.8) {
        const [pra, pdec] = plates[Math.floor(next() * plates.length)] as [number, number];
        const r = 2.5 * Math.sqrt(next());
        const angle = 2 * Math.PI * next();
        dec = Math.max(-89.9, Math.min(89.9, pdec + r * Math.sin(angle)));
        ra = (((pra + (r * Math.cos(angle)) / Math.cos((dec * Math.PI) / 180)) % 360) + 360) % 360;
      } else {
        [ra, dec] = uniformPosition();
      }
      const cls = pickClass(next());
      const z = cls === "STAR" ? 0 : cls === "GALAXY" ? 0.02 + next() * 0.3 : 0.3 + next() * 3;
      const r = 14 + next() * 4;
      const mags = [r + 2 + next(), r + 0.8, r, r - 0.3, r - 0.5].map((m) => m.toFixed(2)).join(",");
      lines += `${300_000_000 + i},J${i},${cls},,${z.toFixed(5)},${ra.toFixed(6)},${dec.toFixed(6)},ugriz,${mags}\n`;
      if (lines.length > 1 << 20) {
        if (!out.write(lines)) await once(out, "drain");
        lines = "";
      }
    }
    out.end(lines);
    await once(out, "finish");
  }
  return files;
}

/** Runs `macnet ingest` as a user would; its report, wall time and peak RSS. */
async function ingestCatalogue(cliEntry: string, dir: string, databaseUrl: string) {
  const started = performance.now();
  const child = spawn(process.execPath, [cliEntry, "ingest", dir, "--source", "scale", "--json"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let peak = 0;
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const poll = setInterval(() => {
    peak = Math.max(peak, peakRssMB(child.pid));
  }, 200);
  const [code] = (await once(child, "exit")) as [number | null];
  clearInterval(poll);
  if (code !== 0) throw new Error(`macnet ingest exited with ${code}: ${stderr}`);
  const report = JSON.parse(stdout.trim().split("\n").at(-1) as string) as { objects: { created: number } };
  return { report, seconds: (performance.now() - started) / 1000, peakRssMB: peak };
}

/** One model and a prediction per object, written through the classification job's upsert. */
async function writePredictions(prisma: PrismaClient, seed: number) {
  const model = await prisma.trainedModel.create({
    data: { name: "scale-model", architecture: "MAC_NET", compact: true, weightsUri: "", parameterCount: 1 },
  });
  const next = seededUniform(seed + 1);
  const classes = OBJECT_CLASSES;
  let rows = 0;
  let writing = 0;
  let lastId = 0;
  for (;;) {
    const objects = await prisma.$queryRaw<{ id: number; c: string | null }[]>`
      SELECT id, catalog_class::text AS c FROM celestial_object WHERE id > ${lastId} ORDER BY id LIMIT 100000`;
    if (objects.length === 0) break;
    lastId = (objects.at(-1) as { id: number }).id;
    const predictions = objects.map((o): PredictionRow => {
      // The catalogue's class 90 % of the time, so the disagreements are a tenth of the objects.
      const predicted =
        next() < 0.9 && o.c
          ? (o.c as (typeof classes)[number])
          : (classes[Math.floor(next() * 3)] as (typeof classes)[number]);
      const confidence = 0.34 + next() * 0.66;
      const rest = (1 - confidence) / 2;
      return {
        objectId: o.id,
        predictedClass: predicted,
        probGalaxy: predicted === "GALAXY" ? confidence : rest,
        probQso: predicted === "QSO" ? confidence : rest,
        probStar: predicted === "STAR" ? confidence : rest,
        confidence,
      };
    });
    const started = performance.now();
    await storePredictions(prisma, model.id, predictions);
    writing += performance.now() - started;
    rows += predictions.length;
  }
  return { modelId: model.id, rows, seconds: writing / 1000 };
}

/** The rows a plan's scans read and the buffers it touched (EXPLAIN ANALYZE, BUFFERS). */
function planReads(plan: Record<string, unknown>): { rowsRead: number; buffers: number } {
  let rowsRead = 0;
  const walk = (node: Record<string, unknown>) => {
    const type = String(node["Node Type"]);
    if (/Scan/.test(type) && type !== "Bitmap Heap Scan") {
      const loops = Number(node["Actual Loops"] ?? 1);
      rowsRead += (Number(node["Actual Rows"] ?? 0) + Number(node["Rows Removed by Filter"] ?? 0)) * loops;
    }
    if (type === "Bitmap Heap Scan") rowsRead += Number(node["Rows Removed by Index Recheck"] ?? 0);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(plan);
  return { rowsRead, buffers: Number(plan["Shared Hit Blocks"] ?? 0) + Number(plan["Shared Read Blocks"] ?? 0) };
}

export async function runScaleBenchmark(options: ScaleBenchOptions): Promise<ScaleBenchResult> {
  const stage = options.onStage ?? (() => {});
  const work = mkdtempSync(join(tmpdir(), "macnet-bench-scale-"));
  // Searchable by the service user a root process runs the embedded PostgreSQL as (mkdtemp makes 0700).
  chmodSync(work, 0o711);
  const children: ChildProcess[] = [];
  let database: { url: string; kind: "embedded" | "server"; dispose: () => Promise<void> };
  if (options.serverUrl) {
    database = await createScratchDatabase({ serverUrl: options.serverUrl, prefix: "macnet_bench_scale" });
  } else {
    // An embedded server as `npm start` runs one (fsync on), in a folder of its own.
    mkdirSync(join(work, "pg"), { mode: 0o711 });
    const server = await startEmbeddedServer({
      dataDir: join(work, "pg", "pgdata"),
      passwordFile: join(work, "pg", "embedded-password"),
    });
    database = { url: server.url, kind: "embedded", dispose: () => server.stop() };
  }
  const prisma = createPrismaClient(database.url);
  const client = newConnection(database.url);
  try {
    await client.connect();
    await applyMigrations({ databaseUrl: database.url, migrationsDir: options.migrationsDir });
    const postgres = (await client.query("SHOW server_version")).rows[0].server_version as string;

    stage(`writing a catalogue of ${options.objects} rows`);
    const catalogueDir = join(work, "catalogue");
    mkdirSync(catalogueDir);
    const files = await writeCatalogue(catalogueDir, options.objects, options.seed);
    stage(`macnet ingest of ${files} catalogue file(s)`);
    const ingested = await ingestCatalogue(options.cliEntry, catalogueDir, database.url);
    rmSync(catalogueDir, { recursive: true, force: true });
    const rows = ingested.report.objects.created;
    if (rows !== options.objects) throw new Error(`ingest created ${rows} objects of ${options.objects}`);

    stage("predictions (the classification job's upsert)");
    const predictions = await writePredictions(prisma, options.seed);
    stage("a dataset over every object");
    let started = performance.now();
    const dataset = await createDataset(prisma, { name: "scale", seed: 1, ratios: [8, 1, 1] });
    const datasetS = (performance.now() - started) / 1000;
    await client.query("ANALYZE");

    const size = await client.query<{ bytes: string }>("SELECT pg_database_size(current_database()) AS bytes");
    const databaseBytes = Number(size.rows[0]?.bytes);
    started = performance.now();
    await applyMigrations({ databaseUrl: database.url, migrationsDir: options.migrationsDir });
    const noopMs = performance.now() - started;
    stage("the cost of building the sky-zone index (its migration) on this table");
    await client.query("BEGIN");
    await client.query("DROP INDEX celestial_object_sky_zone_idx");
    started = performance.now();
    await client.query(
      `CREATE INDEX celestial_object_sky_zone_idx ON celestial_object ((${zoneSql("celestial_object")}), ra_deg)`,
    );
    const skyIndexBuildS = (performance.now() - started) / 1000;
    await client.query("ROLLBACK");

    stage("starting the API (macnet serve)");
    const { apiKey } = await createUser({ prisma, input: { name: "scale-admin", role: "ADMIN" } });
    const apiUrl = await startProcess(
      process.execPath,
      [options.cliEntry, "serve", "--port", "0", "--no-web"],
      { ...process.env, DATABASE_URL: database.url, MACNET_API_LOG: "0", NODE_ENV: "production" },
      /API: (http:\S+)/,
      children,
    );
    const base = apiUrl.replace(/\/graphql$/, "");
    const serverPid = children.at(-1)?.pid;
    const auth = { authorization: `Bearer ${apiKey}` };
    const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
      if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
      return body.data as Record<string, unknown>;
    };
    const fetchAll = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers: auth });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
      return Buffer.from(await response.arrayBuffer());
    };
    const time = async (scenario: string, run: (i: number) => Promise<unknown>): Promise<LatencyFigures> => {
      for (let i = 0; i < 3; i++) await run(-1 - i);
      const ms: number[] = [];
      for (let i = 0; i < options.samples; i++) {
        const t = performance.now();
        await run(i);
        ms.push(performance.now() - t);
      }
      stage(`  ${scenario}: p50 ${round(median(ms))} ms, p99 ${round(percentile(ms, 0.99))} ms`);
      return { scenario, samples: ms.length, p50Ms: round(median(ms)), p99Ms: round(percentile(ms, 0.99)) };
    };

    // Cone centres on objects (a cone where the data is), the same ones for every radius.
    const centres = (
      await client.query<{ ra: number; dec: number }>(
        `SELECT ra_deg AS ra, dec_deg AS dec FROM celestial_object
         WHERE id IN (SELECT (1 + floor(random() * $1))::int FROM generate_series(1, $2))`,
        [rows, options.samples + 10],
      )
    ).rows;
    const centre = (i: number) => centres[(i + centres.length) % centres.length] as { ra: number; dec: number };
    const latency: LatencyFigures[] = [];
    stage("latencies");
    const coneQuery = `query ($c: ConeInput!) { objects(first: 50, filter: { cone: $c }) {
      totalCount totalCountExact edges { node { id raDeg decDeg catalogueClass } } } }`;
    for (const [label, radius] of CONE_RADII) {
      const figures = await time(`cone ${label}, GraphQL first page + totalCount`, (i) =>
        graphql(coneQuery, { c: { raDeg: centre(i).ra, decDeg: centre(i).dec, radiusDeg: radius } }),
      );
      const reads: { rowsRead: number; buffers: number; rows: number }[] = [];
      for (let i = 0; i < 5; i++) {
        const { join: joined, where } = filterSql({
          cone: { raDeg: centre(i).ra, decDeg: centre(i).dec, radiusDeg: radius },
        });
        const [explained] = await prisma.$queryRaw<{ "QUERY PLAN": [{ Plan: Record<string, unknown> }] }[]>(
          Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT o.id FROM celestial_object o ${joined} ${where}`,
        );
        const plan = explained?.["QUERY PLAN"][0].Plan as Record<string, unknown>;
        reads.push({ ...planReads(plan), rows: Number(plan["Actual Rows"]) });
      }
      latency.push({
        ...figures,
        rowsRead: median(reads.map((r) => r.rowsRead)),
        buffers: median(reads.map((r) => r.buffers)),
        rows: median(reads.map((r) => r.rows)),
      });
      latency.push(
        await time(`cone ${label}, /scs (every row, VOTable)`, (i) =>
          fetchAll(`/scs?RA=${centre(i).ra}&DEC=${centre(i).dec}&SR=${radius}`),
        ),
      );
    }
    const classes = ["STAR", "GALAXY", "QSO"];
    const classPage = (
      count: boolean,
    ) => `query ($c: ObjectClass!) { objects(first: 50, filter: { catalogueClass: $c }) {
      ${count ? "totalCount totalCountExact" : ""} edges { node { id obsid raDeg decDeg catalogueClass } } } }`;
    latency.push(
      await time("objects page, 50 of a class", (i) => graphql(classPage(false), { c: classes[(i + 3) % 3] })),
    );
    latency.push(
      await time("objects page, 50 of a class + totalCount", (i) =>
        graphql(classPage(true), { c: classes[(i + 3) % 3] }),
      ),
    );
    const disagreements = `query ($m: ID!, $c: ObjectClass!) { objects(first: 50, filter: { modelId: $m, disagreement: true, catalogueClass: $c }) {
      totalCount totalCountExact edges { node { id catalogueClass predictions(modelId: $m) { predictedClass confidence } } } } }`;
    latency.push(
      await time("objects page, 50 of a class the model disagrees with, by confidence, + totalCount", (i) =>
        graphql(disagreements, { m: String(predictions.modelId), c: classes[(i + 3) % 3] }),
      ),
    );
    latency.push(
      await time("sky map (first 100 000 objects)", () => graphql("{ skyMap(limit: 100000) { count truncated } }")),
    );
    latency.push(await time("overview counts (objectStatistics)", () => graphql("{ objectStatistics { total } }")));

    stage("exports");
    const exports: ScaleBenchResult["exports"] = [];
    const exportRun = async (scenario: string, path: string, expectedRows: number) => {
      const t = performance.now();
      const bytes = await fetchAll(path);
      const seconds = (performance.now() - t) / 1000;
      const counted = path.includes("format=csv") ? bytes.toString("latin1").split("\n").length - 2 : expectedRows;
      exports.push({
        scenario,
        rows: counted,
        MB: round(bytes.length / 2 ** 20),
        seconds: round(seconds, 2),
        rowsPerS: Math.round(counted / seconds),
      });
      stage(`  ${scenario}: ${counted} rows in ${round(seconds, 2)} s`);
    };
    const c0 = centre(0);
    const oneDegree = (await graphql(
      `query ($c: ConeInput!) { objects(first: 0, filter: { cone: $c }) { totalCount } }`,
      {
        c: { raDeg: c0.ra, decDeg: c0.dec, radiusDeg: 1 },
      },
    )) as { objects: { totalCount: number } };
    await exportRun(
      "1° cone, CSV",
      `/export?format=csv&ra=${c0.ra}&dec=${c0.dec}&radius=1`,
      oneDegree.objects.totalCount,
    );
    const big = Math.min(1_000_000, rows);
    for (const format of ["votable", "fits", "csv"]) {
      await exportRun(`${big} rows, ${format}`, `/export?format=${format}&limit=${big}`, big);
    }
    const serverPeak = peakRssMB(serverPid);

    const cone1 = latency.find((l) => l.scenario.startsWith("cone 1′, GraphQL")) as LatencyFigures;
    const coneDeg = latency.find((l) => l.scenario.startsWith("cone 1°, GraphQL")) as LatencyFigures;
    const pages = latency.filter((l) => l.scenario.startsWith("objects page"));
    const ingestRate = rows / ingested.seconds;
    const predictionRate = predictions.rows / predictions.seconds;
    const bigExports = exports.filter((e) => !e.scenario.startsWith("1°"));
    return {
      machine: describeMachine(),
      database: database.kind,
      postgres,
      objects: rows,
      ingest: {
        files,
        rows,
        seconds: round(ingested.seconds),
        rowsPerS: Math.round(ingestRate),
        peakRssMB: ingested.peakRssMB,
      },
      predictions: {
        rows: predictions.rows,
        seconds: round(predictions.seconds),
        rowsPerS: Math.round(predictionRate),
      },
      dataset: { members: dataset.members, seconds: round(datasetS) },
      disk: { databaseMB: Math.round(databaseBytes / 2 ** 20), bytesPerObject: Math.round(databaseBytes / rows) },
      migrate: { noopMs: round(noopMs), skyIndexBuildS: round(skyIndexBuildS) },
      latency,
      exports,
      serverPeakRssMB: serverPeak,
      goals: {
        ingestAtLeast20kRowsPerS: ingestRate >= 20_000,
        cone1ArcminP99Under20Ms: cone1.p99Ms < 20,
        cone1DegFirstPageP99Under100Ms: coneDeg.p99Ms < 100,
        objectsPagesP99Under100Ms: pages.every((p) => p.p99Ms < 100),
        predictionsAtLeast100kRowsPerS: predictionRate >= 100_000,
        exportAtLeast200kRowsPerS: bigExports.every((e) => e.rowsPerS >= 200_000),
        serverRssUnder500MB: serverPeak < 500,
      },
    };
  } finally {
    for (const child of children) child.kill("SIGINT");
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : undefined)));
    await client.end().catch(() => {});
    await prisma.$disconnect();
    await database.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}
