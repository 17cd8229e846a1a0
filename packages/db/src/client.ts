import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

/** Creates a Prisma client on the Rust-free engine, talking to PostgreSQL through `pg`. */
export function createPrismaClient(
  databaseUrl: string,
  options: {
    maxConnections?: number /** Called with each SQL statement sent (tests count them). */;
    onQuery?: (sql: string) => void;
  } = {},
): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  if (!options.onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  const onQuery = options.onQuery;
  client.$on("query", (event) => onQuery(event.query));
  return client as unknown as PrismaClient;
}

const cache = globalThis as unknown as { __macnetPrisma?: { url: string; client: PrismaClient } };

/** The process's one Prisma client for `databaseUrl` (kept on globalThis so dev reloads reuse it). */
export function getPrismaClient(databaseUrl: string): PrismaClient {
  if (cache.__macnetPrisma?.url !== databaseUrl) {
    cache.__macnetPrisma = { url: databaseUrl, client: createPrismaClient(databaseUrl) };
  }
  return cache.__macnetPrisma.client;
}

/** Disconnects and forgets the cached client, if any. */
export async function disconnectPrismaClient(): Promise<void> {
  const cached = cache.__macnetPrisma;
  cache.__macnetPrisma = undefined;
  await cached?.client.$disconnect();
}
