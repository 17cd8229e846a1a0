import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

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
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    // Queries from all connections are queued onto PGlite's single session; a connection inside
    // a transaction keeps the session until it commits (pglite-socket's query queue).
    maxConnections: 64,
  });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  let stopped = false;
  return {
    url: embeddedUrl(port),
    port,
    dataDir: options.dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

/** The connection string of an embedded server listening on `port`. */
export function embeddedUrl(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}
