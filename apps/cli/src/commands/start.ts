import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ApiServer, parseApiEnv, startApiServer } from "@macnet/api";
import {
  applyMigrations,
  disconnectPrismaClient,
  ensureAdminUser,
  getPrismaClient,
  type PrismaClient,
  resolveDatabase,
} from "@macnet/db";
import { ensureDashboardBuilt, startWebServer, type WebServer } from "@macnet/web/server";
import type { Command } from "commander";
import { setUpDemo } from "../demo.ts";
import type { CliEnv } from "../env.ts";
import { say } from "../output.ts";
import { defaultMigrationsDir } from "../paths.ts";
import { PhaseTimer } from "../phases.ts";
import { SERVING_WORKER_NICE, startWorkerProcess, type WorkerProcess } from "../worker-process.ts";
import { addPortOptions } from "./serve.ts";

interface AdminCredentials {
  name: string;
  password: string;
  apiKey: string;
}

/**
 * `macnet start` (what `npm start` runs): opens the database (embedded unless DATABASE_URL is set),
 * migrates it, makes sure an administrator exists (and prints its login at once), runs a job worker
 * in a child process, fills an empty database with the demo (simulated survey, real sample files,
 * dataset, two trained models), then serves the API and the dashboard until Ctrl-C, and prints how
 * long each phase of a first start took.
 */
/**
 * Examples that work on this platform as it is now: its own port, and a cone around its first
 * positioned object (the README's examples use the demo's field and the default port).
 */
/**
 * A cone search and an export around the data: centred on the median position of (up to 5 000 of)
 * the objects, its radius holding 90 % of them (at least 0.1°, at most 10°), so that the cone shows
 * the survey's field rather than an object at its edge.
 */
async function tryItLines(prisma: PrismaClient, port: number): Promise<string[]> {
  const [cone] = await prisma.$queryRaw<{ ra: number | null; dec: number | null; radius: number | null }[]>`
    WITH sample AS (
      SELECT ra_deg, dec_deg FROM celestial_object
      WHERE ra_deg IS NOT NULL AND dec_deg IS NOT NULL ORDER BY id LIMIT 5000),
    centre AS (
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ra_deg) AS ra,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY dec_deg) AS dec FROM sample)
    SELECT c.ra, c.dec, percentile_cont(0.9) WITHIN GROUP (ORDER BY degrees(acos(least(1, greatest(-1,
        sin(radians(s.dec_deg)) * sin(radians(c.dec))
        + cos(radians(s.dec_deg)) * cos(radians(c.dec)) * cos(radians(s.ra_deg - c.ra))))))) AS radius
    FROM sample s CROSS JOIN centre c GROUP BY c.ra, c.dec`;
  if (cone?.ra == null || cone.dec == null) return [];
  const [ra, dec] = [cone.ra.toFixed(4), cone.dec.toFixed(4)];
  const radius = Math.min(10, Math.max(0.1, Math.ceil((cone.radius ?? 2) * 10) / 10)).toFixed(1);
  return [
    `cone search (IVOA SCS for TOPCAT, pyvo; API key as the HTTP Basic password): http://127.0.0.1:${port}/scs?RA=${ra}&DEC=${dec}&SR=${radius}`,
    `export the same cone: npx macnet export --format votable --cone ${ra},${dec},${radius} --out cone.vot`,
  ];
}

export function registerStartCommand(program: Command, env: () => CliEnv): void {
  const command = program
    .command("start")
    .description(
      "Start the platform: database (embedded by default), migrations, admin login, worker, demo data on first run, API and dashboard; Ctrl-C stops",
    )
    .option("--once", "exit after setting up (and running the demo on an empty database) instead of serving");
  addPortOptions(command).action(async (options: { once?: boolean; port?: number; webPort?: number }) => {
    const config = env();
    const target = await resolveDatabase({
      databaseUrl: config.databaseUrl,
      home: config.home,
      embeddedPort: config.embeddedPort,
      serviceUser: config.embeddedUser,
    });
    // A database server that dies under `start` is restarted; when it cannot be, everything stops.
    let lost: ((message: string) => void) | undefined;
    const databaseLost = new Promise<string>((resolve) => {
      lost = resolve;
    });
    target.supervise?.({
      restarted: (line) => process.stderr.write(`macnet: ${line}\n`),
      failed: (message) => lost?.(message),
    });
    let worker: WorkerProcess | undefined;
    let api: ApiServer | undefined;
    let web: WebServer | undefined;
    const phases = new PhaseTimer();
    try {
      const migrated = await applyMigrations({ databaseUrl: target.url, migrationsDir: defaultMigrationsDir });
      say(`database: ${target.description}`);
      say(`migrations: ${migrated.applied.length} applied now, ${migrated.alreadyApplied.length} already applied`);
      // Printed as soon as it exists: the first start takes minutes before the dashboard is up.
      const credentials = await adminCredentials(config.home, target.url);
      say(credentials);
      const prisma = getPrismaClient(target.url);
      const empty = (await prisma.celestialObject.count()) === 0;
      const runDemo = empty && config.demo.objects > 0;
      // The dashboard is built (once after install) while the demo simulates and ingests: the build's
      // memory peak does not meet the training's, and the minutes overlap.
      const built = options.once ? undefined : phases.time("dashboard build", () => ensureDashboardBuilt(say));
      built?.catch(() => {}); // awaited below; a failure is reported there
      const launchWorker = (nice?: number) =>
        startWorkerProcess({
          databaseUrl: target.url,
          env: process.env,
          log: config.debug ? (line) => process.stderr.write(`worker: ${line}\n`) : () => {},
          nice,
        });
      if (runDemo) {
        // Nothing is served yet while the demo trains: its worker runs at normal priority, so that
        // unrelated load on the machine does not starve it; the serving worker below is niced.
        worker = launchWorker(0);
        say(`job worker: process ${worker.pid ?? "?"} (\`macnet worker\`, normal priority while the demo is set up)`);
        await setUpDemo({
          prisma,
          databaseUrl: target.url,
          home: config.home,
          objects: config.demo.objects,
          epochs: config.demo.epochs,
          realData: config.demo.realData,
          phases,
        });
        await worker.stop();
        worker = undefined;
      }
      if (!options.once) {
        worker = launchWorker();
        say(
          `job worker: process ${worker.pid ?? "?"} (\`macnet worker\`, nice ${SERVING_WORKER_NICE}: the API goes first)`,
        );
      }
      if (options.once) {
        if (runDemo) say(phases.summary());
        say(credentials);
        return;
      }
      api = await startApiServer({
        prisma,
        databaseUrl: target.url,
        config: parseApiEnv(),
        port: options.port ?? config.ports.api,
      });
      say(`API: ${api.url} (health: http://127.0.0.1:${api.port}/healthz)`);
      for (const line of await tryItLines(prisma, api.port)) say(line);
      const webPort = options.webPort ?? config.ports.web;
      const apiPort = api.port;
      await built;
      web = await startWebServer({ apiPort, port: webPort, host: "127.0.0.1" });
      say(`dashboard: ${web.url}`);
      if (runDemo) say(phases.summary());
      say(credentials);
      say("Press Ctrl-C to stop.");
      const lostWith = await Promise.race([waitForSignal().then(() => undefined), databaseLost]);
      if (lostWith) {
        process.stderr.write(`macnet: error: ${lostWith}\n`);
        process.exitCode = 1;
      }
      say("stopping...");
    } finally {
      await worker?.stop();
      await web?.close();
      await api?.close();
      await disconnectPrismaClient();
      await target.close();
    }
  });
}

async function adminCredentials(home: string, databaseUrl: string): Promise<string> {
  const file = join(home, "admin-credentials.json");
  const ensured = await ensureAdminUser({ prisma: getPrismaClient(databaseUrl), name: "admin" });
  if (ensured.created) {
    const credentials: AdminCredentials = {
      name: ensured.user.name,
      password: ensured.password,
      apiKey: ensured.user.apiKey,
    };
    writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as AdminCredentials;
    if (ensured.created || saved.name === ensured.name) {
      return `admin login: user '${saved.name}', password '${saved.password}', API key ${saved.apiKey} (saved in ${file})`;
    }
  }
  return `admin login: user '${ensured.created ? ensured.user.name : ensured.name}' (credentials were set outside \`npm start\`)`;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
