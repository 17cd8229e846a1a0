import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { WireServer } from "./wire-server.ts";

/** A running embedded PostgreSQL (PGlite) served over the wire protocol on loopback. */
export interface EmbeddedServer {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** Opens (creating if needed) the PGlite data directory and serves it on 127.0.0.1. */
export async function startEmbeddedServer(options: { dataDir: string; port?: number }): Promise<EmbeddedServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(join(options.dataDir));
  const server = new WireServer(db);
  const port = await server.listen("127.0.0.1", options.port ?? 0);
  let stopped = false;
  return {
    url: embeddedUrl(port),
    port,
    dataDir: options.dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await db.close();
    },
  };
}

/** The connection string of an embedded server listening on `port`. */
export function embeddedUrl(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}
