import {
  type DatabaseTarget,
  disconnectPrismaClient,
  getPrismaClient,
  type PrismaClient,
  resolveDatabase,
} from "@macnet/db";
import type { CliEnv } from "./env.ts";

/** Runs `work` against the configured database (embedded when DATABASE_URL is unset), then releases it. */
export async function withDatabase<T>(
  env: CliEnv,
  work: (database: { target: DatabaseTarget; prisma: () => PrismaClient }) => Promise<T>,
): Promise<T> {
  const target = await resolveDatabase({
    databaseUrl: env.databaseUrl,
    home: env.home,
    embeddedPort: env.embeddedPort,
  });
  try {
    return await work({ target, prisma: () => getPrismaClient(target.url) });
  } finally {
    await disconnectPrismaClient();
    await target.close();
  }
}
