import {
  type DatabaseTarget,
  disconnectPrismaClient,
  getMigrationStatus,
  getPrismaClient,
  MacnetError,
  type PrismaClient,
  resolveDatabase,
} from "@macnet/db";
import type { CliEnv } from "./env.ts";
import { defaultMigrationsDir } from "./paths.ts";

/** Runs `work` against the configured database (embedded when DATABASE_URL is unset), then releases it. */
export async function withDatabase<T>(
  env: CliEnv,
  work: (database: { target: DatabaseTarget; prisma: () => PrismaClient }) => Promise<T>,
  options: { requireSchema?: boolean } = {},
): Promise<T> {
  const target = await resolveDatabase({
    databaseUrl: env.databaseUrl,
    home: env.home,
    embeddedPort: env.embeddedPort,
    serviceUser: env.embeddedUser,
  });
  try {
    if (options.requireSchema) await requireMigrated(target);
    return await work({ target, prisma: () => getPrismaClient(target.url) });
  } finally {
    await disconnectPrismaClient();
    await target.close();
  }
}

/** Fails with one clear line when the database lacks migrations, instead of an SQL error later. */
async function requireMigrated(target: DatabaseTarget): Promise<void> {
  const status = await getMigrationStatus({ databaseUrl: target.url, migrationsDir: defaultMigrationsDir });
  const pending = status.filter((entry) => entry.state !== "applied");
  if (pending.length > 0) {
    throw new MacnetError(
      `The database (${target.description}) is not up to date (${pending.map((entry) => `${entry.name}: ${entry.state}`).join(", ")}); run \`npx macnet db migrate\` first`,
      "DATABASE_NOT_MIGRATED",
    );
  }
}
