import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyMigrations, disconnectPrismaClient, ensureAdminUser, getPrismaClient, resolveDatabase } from "@macnet/db";
import type { Command } from "commander";
import type { CliEnv } from "../env.ts";
import { say } from "../output.ts";
import { defaultMigrationsDir } from "../paths.ts";

interface AdminCredentials {
  name: string;
  password: string;
  apiKey: string;
}

/**
 * `macnet start` (what `npm start` runs): opens the database (embedded unless DATABASE_URL is set),
 * migrates it, makes sure an administrator exists and keeps the platform up until Ctrl-C.
 * Later issues add the demo survey, training and the API/dashboard to this sequence.
 */
export function registerStartCommand(program: Command, env: () => CliEnv): void {
  program
    .command("start")
    .description("Start the platform: database (embedded by default), migrations, admin login; Ctrl-C stops")
    .option("--once", "exit after setting up instead of staying up")
    .action(async (options: { once?: boolean }) => {
      const config = env();
      const target = await resolveDatabase({
        databaseUrl: config.databaseUrl,
        home: config.home,
        embeddedPort: config.embeddedPort,
      });
      try {
        const migrated = await applyMigrations({ databaseUrl: target.url, migrationsDir: defaultMigrationsDir });
        say(`database: ${target.description}`);
        say(`migrations: ${migrated.applied.length} applied now, ${migrated.alreadyApplied.length} already applied`);
        const credentials = await adminCredentials(config.home, target.url);
        say(credentials);
        await disconnectPrismaClient();
        if (options.once) return;
        say("API and dashboard: not available yet (issues #8 and #9). Press Ctrl-C to stop.");
        await waitForSignal();
        say("stopping...");
      } finally {
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
