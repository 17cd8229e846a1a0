// `macnet bench api`: the platform's GraphQL API against PostGraphile 4 serving the same tables of
// the same throw-away database, in the same run, each in its own process, under the same autocannon
// load on loopback: a page of 50 objects with every model's predictions, and a cone search (for
// PostGraphile through an SQL function with the band-and-haversine query the platform used before its
// sky-zone index).
import { type ChildProcess, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations, createPrismaClient, createScratchDatabase, createUser } from "@macnet/db";
import { newConnection } from "@macnet/db/sql";
import autocannon from "autocannon";
import { freePort, startProcess } from "./processes.ts";

/** PostGraphile lives in a project of its own beside this file's package (see its package.json). */
const postgraphileDir = join(dirname(fileURLToPath(import.meta.url)), "..", "postgraphile-server");

/** PostGraphile's CLI, installed from its lockfile on first use (`npm ci`, from the npm registry). */
async function ensurePostGraphile(stage: (line: string) => void): Promise<string> {
  const cli = join(postgraphileDir, "node_modules", "postgraphile", "cli.js");
  if (existsSync(cli)) return cli;
  stage(`installing PostGraphile 4 into ${postgraphileDir} (first run only)`);
  const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: postgraphileDir, encoding: "utf8" });
  if (npm.status !== 0 || !existsSync(cli)) {
    throw new Error(`Could not install PostGraphile in ${postgraphileDir}: ${(npm.stderr ?? "").slice(-1000)}`);
  }
  return cli;
}

export interface LoadFigures {
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface ApiBenchResult {
  database: string;
  objects: number;
  models: number;
  connections: number;
  durationS: number;
  rows: {
    scenario: string;
    macnet: LoadFigures;
    postgraphile: LoadFigures;
    /** macnet req/s ÷ PostGraphile req/s. */
    ratio: number;
    p99NoWorse: boolean;
  }[];
  goals: { ratio: string };
}

const CONE = { raDeg: 180, decDeg: 20, radiusDeg: 8 };

const SCENARIOS = {
  "objects page (50 with predictions)": {
    macnet: `{ objects(first: 50, filter: { source: "bench" }) { edges { node { id obsid raDeg decDeg catalogueClass
      predictions { predictedClass confidence probGalaxy probQso probStar model { name } } } } } }`,
    postgraphile: `{ allCelestialObjects(first: 50, orderBy: ID_ASC, condition: { source: "bench" }) { nodes { id obsid raDeg decDeg catalogClass
      predictionsByObjectId { nodes { predictedClass confidence probGalaxy probQso probStar trainedModelByModelId { name } } } } } }`,
    lists: { macnet: ["objects", "edges"], postgraphile: ["allCelestialObjects", "nodes"] },
  },
  "cone search (50 per page)": {
    macnet: `{ objects(first: 50, filter: { cone: { raDeg: ${CONE.raDeg}, decDeg: ${CONE.decDeg}, radiusDeg: ${CONE.radiusDeg} } }) {
      totalCount edges { node { id raDeg decDeg catalogueClass } } } }`,
    postgraphile: `{ benchCone(centerRa: ${CONE.raDeg}, centerDec: ${CONE.decDeg}, radius: ${CONE.radiusDeg}, first: 50) {
      totalCount nodes { id raDeg decDeg catalogClass } } }`,
    lists: { macnet: ["objects", "edges"], postgraphile: ["benchCone", "nodes"] },
  },
} as const;

/** The length of the list at `path` in an answer's data (-1: no list there). */
function lengthAt(data: unknown, path: readonly string[]): number {
  const list = path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], data);
  return Array.isArray(list) ? list.length : -1;
}

/**
 * Fills the scratch database: objects spread evenly over the sky (the R2 low-discrepancy sequence:
 * RA and sin(dec) each uniform and independent, so the bench cone holds ~98 of 20 000), models, a
 * prediction per model and object.
 */
async function seed(url: string, objects: number, models: number): Promise<void> {
  const client = newConnection(url);
  await client.connect();
  try {
    await client.query(
      `INSERT INTO celestial_object (obsid, ra_deg, dec_deg, catalog_class, source, updated_at)
       SELECT 900000000 + i, 360 * ((i * 0.7548776662466927) % 1), degrees(asin(2 * ((i * 0.5698402909980532) % 1) - 1)),
         (ARRAY['GALAXY','QSO','STAR'])[1 + i % 3]::"ObjectClass", 'bench', now()
       FROM generate_series(1, $1) AS i`,
      [objects],
    );
    for (let m = 1; m <= models; m++) {
      const { rows } = await client.query(
        `INSERT INTO trained_model (name, architecture, compact, weights_uri, parameter_count)
         VALUES ($1, 'MAC_NET', true, '', 1000) RETURNING id`,
        [`bench-model-${m}`],
      );
      await client.query(
        `INSERT INTO prediction (model_id, object_id, predicted_class, prob_galaxy, prob_qso, prob_star, confidence)
         SELECT $1, o.id, (ARRAY['GALAXY','QSO','STAR'])[1 + (o.id + $1) % 3]::"ObjectClass", 0.2, 0.2, 0.6, 0.6
         FROM celestial_object o WHERE o.source = 'bench'`,
        [rows[0].id],
      );
    }
    // PostGraphile's cone search: the same band, RA ranges and haversine as the platform's.
    await client.query(`CREATE FUNCTION bench_cone(center_ra float8, center_dec float8, radius float8)
      RETURNS SETOF celestial_object AS $$
      SELECT o.* FROM celestial_object o
      WHERE o.dec_deg BETWEEN $2 - $3 AND $2 + $3
        AND o.ra_deg BETWEEN $1 - degrees(asin(sin(radians($3)) / cos(radians($2))))
                         AND $1 + degrees(asin(sin(radians($3)) / cos(radians($2))))
        AND 2 * asin(sqrt(power(sin(radians(o.dec_deg - $2) / 2), 2)
          + cos(radians(o.dec_deg)) * cos(radians($2)) * power(sin(radians(o.ra_deg - $1) / 2), 2))) <= radians($3)
      ORDER BY o.id $$ LANGUAGE sql STABLE`);
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

async function post(url: string, query: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors) throw new Error(`${url}: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data;
}

async function load(
  url: string,
  query: string,
  headers: Record<string, string>,
  connections: number,
  durationS: number,
) {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
    connections,
    duration: durationS,
  });
  return {
    reqPerS: Math.round(result.requests.average * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  } satisfies LoadFigures;
}

export async function runApiBenchmark(options: {
  serverUrl: string | undefined;
  migrationsDir: string;
  cliEntry: string;
  objects: number;
  models: number;
  connections: number;
  durationS: number;
  onStage?: (stage: string) => void;
}): Promise<ApiBenchResult> {
  if (!options.serverUrl) {
    throw new Error("bench api needs a PostgreSQL server: set DATABASE_URL (the embedded database serves one client)");
  }
  const stage = options.onStage ?? (() => {});
  const scratch = await createScratchDatabase({ serverUrl: options.serverUrl, prefix: "macnet_bench_api" });
  const children: ChildProcess[] = [];
  try {
    await applyMigrations({ databaseUrl: scratch.url, migrationsDir: options.migrationsDir });
    stage(`seeding ${options.objects} objects × ${options.models} models`);
    await seed(scratch.url, options.objects, options.models);
    const prisma = createPrismaClient(scratch.url);
    const { apiKey } = await createUser({ prisma, input: { name: "bench", role: "COLLABORATOR" } });
    await prisma.$disconnect();

    stage("starting the platform's API and PostGraphile");
    const env = { ...process.env, DATABASE_URL: scratch.url, MACNET_API_LOG: "0", NODE_ENV: "production" as const };
    const macnetUrl = await startProcess(
      process.execPath,
      [options.cliEntry, "serve", "--port", "0", "--no-web"],
      env,
      /API: (http:\S+)/,
      children,
    );
    const postgraphileBin = await ensurePostGraphile(stage);
    const port = await freePort();
    await startProcess(
      process.execPath,
      [postgraphileBin, "-c", scratch.url, "--port", String(port), "--host", "127.0.0.1", "--disable-query-log"],
      env,
      /(GraphQL API)/,
      children,
    );
    const pgUrl = `http://127.0.0.1:${port}/graphql`;
    const auth = { authorization: `Bearer ${apiKey}` };
    const rows: ApiBenchResult["rows"] = [];
    for (const [scenario, queries] of Object.entries(SCENARIOS)) {
      // Both must answer the query before either is loaded.
      const ourRows = lengthAt(await post(macnetUrl, queries.macnet, auth), queries.lists.macnet);
      const theirRows = lengthAt(await post(pgUrl, queries.postgraphile, {}), queries.lists.postgraphile);
      if (ourRows === 0 || ourRows !== theirRows) {
        throw new Error(
          `${scenario}: the platform answered ${ourRows} objects and PostGraphile ${theirRows}; both must serve the same non-empty page`,
        );
      }
      stage(`${scenario}: platform API`);
      const ours = await load(macnetUrl, queries.macnet, auth, options.connections, options.durationS);
      stage(`${scenario}: PostGraphile`);
      const theirs = await load(pgUrl, queries.postgraphile, {}, options.connections, options.durationS);
      rows.push({
        scenario,
        macnet: ours,
        postgraphile: theirs,
        ratio: Math.round((ours.reqPerS / Math.max(theirs.reqPerS, 1e-9)) * 100) / 100,
        p99NoWorse: ours.p99Ms <= theirs.p99Ms,
      });
    }
    return {
      database: "PostgreSQL",
      objects: options.objects,
      models: options.models,
      connections: options.connections,
      durationS: options.durationS,
      rows,
      goals: { ratio: "≥ 1 on req/s at equal or better p99" },
    };
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((c) => new Promise((resolve) => (c.exitCode === null ? c.on("exit", resolve) : resolve(null)))),
    );
    await scratch.dispose();
  }
}
