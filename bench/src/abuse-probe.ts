// The API under the abuse issue #29 reported, measured: while one COLLABORATOR key floods the server
// from 8 concurrent loops — the operations that killed it (20 aliases of `objects` without `first`
// fetching strip pixels; 30 aliases of `skyMap(limit: 500000)`), and six loops of the heaviest
// strip page the cost limit allows — another key asks `{ me }` every 100 ms. Reports how the flood was answered (codes), `{ me }`'s latency and the process's peak RSS.
// On demand: `DATABASE_URL=… npx tsx bench/src/abuse-probe.ts [--objects 300000] [--seconds 20] [--json]`
// (a throw-away database on that server; the API runs in this process, as `macnet serve` would).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseApiEnv, startApiServer } from "@macnet/api";
import { applyMigrations, createPrismaClient, createScratchDatabase, createUser } from "@macnet/db";
import { newConnection } from "@macnet/db/sql";
import { ingestPaths } from "@macnet/ingest";
import { simulateSurvey } from "@macnet/survey-sim";
import { machineLine } from "./machine.ts";

const { values } = parseArgs({
  options: {
    objects: { type: "string", default: "300000" },
    seconds: { type: "string", default: "20" },
    json: { type: "boolean", default: false },
  },
});
const plainObjects = Number(values.objects);
const seconds = Number(values.seconds);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error("set DATABASE_URL to a PostgreSQL server (a throw-away database is made on it)");

const log = (line: string) => process.stderr.write(`${line}\n`);
const migrationsDir = join(import.meta.dirname, "../../prisma/migrations");
const scratch = await createScratchDatabase({ serverUrl, prefix: "macnet_abuse" });
try {
  await applyMigrations({ databaseUrl: scratch.url, migrationsDir });
  log("filling: a simulated survey with strips, and plain objects");
  const survey = mkdtempSync(join(tmpdir(), "macnet-abuse-"));
  await simulateSurvey({ outDir: survey, objects: 240, seed: 3, plans: 1, fibresPerSpectrograph: 240 });
  await ingestPaths({ databaseUrl: scratch.url, paths: [survey], source: "sim" });
  const client = newConnection(scratch.url);
  await client.connect();
  await client.query(
    `INSERT INTO celestial_object (ra_deg, dec_deg, source, catalog_class, updated_at)
     SELECT random() * 360, random() * 180 - 90, 'plain', 'STAR', now() FROM generate_series(1, $1)`,
    [plainObjects],
  );
  await client.end();
  const prisma = createPrismaClient(scratch.url);
  const attacker = (await createUser({ prisma, input: { name: "attacker", role: "COLLABORATOR" } })).apiKey;
  const bystander = (await createUser({ prisma, input: { name: "bystander", role: "SCIENTIST" } })).apiKey;
  const server = await startApiServer({
    prisma,
    databaseUrl: scratch.url,
    config: parseApiEnv({ NODE_ENV: "production", MACNET_API_LOG: "0" }),
    port: 0,
  });
  const post = async (key: string, query: string) => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    return body.errors?.[0]?.extensions?.code ?? `${response.status}`;
  };
  const floods = {
    strips: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: objects { edges { node { strips { valuesBase64 } } } }`).join(" ")} }`,
    skyMaps: `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: skyMap(limit: 500000) { raDecBase64 idsBase64 classCodes }`).join(" ")} }`,
    // The heaviest of its kind that is allowed: one page of strips, then as many as the key may run.
    allowedStrips: "{ objects(first: 35) { edges { node { strips { valuesBase64 wavelengthAngstrom } } } } }",
  };
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const answers: Record<string, Record<string, number>> = {};
  const deadline = performance.now() + seconds * 1000;
  // One loop of each refused flood and six of the heaviest allowed operation: more than the key may run at once.
  const plan: (keyof typeof floods)[] = ["strips", "skyMaps", ...Array<"allowedStrips">(6).fill("allowedStrips")];
  const loops = plan.map(async (name) => {
    answers[name] ??= {};
    while (performance.now() < deadline) {
      const code = await post(attacker, floods[name]);
      answers[name][code] = (answers[name][code] ?? 0) + 1;
    }
  });
  const meMs: number[] = [];
  const bystanderLoop = (async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const code = await post(bystander, "{ me { name } }");
      if (code !== "200") throw new Error(`{ me } answered ${code}`);
      meMs.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await Promise.all([...loops, bystanderLoop]);
  clearInterval(rssTimer);
  await server.close();
  await prisma.$disconnect();
  const sorted = [...meMs].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
  const me = { p50: at(0.5), p99: at(0.99) };
  const result = {
    machine: machineLine(),
    objects: plainObjects + 240,
    seconds,
    floods: answers,
    me: { requests: meMs.length, p50Ms: me.p50, p99Ms: me.p99, maxMs: Math.round(Math.max(...meMs) * 10) / 10 },
    peakRssMb: Math.round(peakRss / 1024 ** 2),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await scratch.dispose();
}
