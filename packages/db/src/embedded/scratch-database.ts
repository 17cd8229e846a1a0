import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withConnection } from "../sql.ts";
import { startEmbeddedServer } from "./embedded-server.ts";

/** A throw-away database (for tests and benchmarks); `dispose` drops it or stops its embedded server. */
export interface ScratchDatabase {
  url: string;
  kind: "server" | "embedded";
  dispose(): Promise<void>;
}

/**
 * Creates an empty database: a uniquely named one on the server `serverUrl` points at (the role needs
 * CREATEDB), or, without a server, a fresh embedded PostgreSQL server in a temporary folder (no fsync:
 * it is thrown away).
 */
export async function createScratchDatabase(options: {
  serverUrl: string | undefined;
  prefix: string;
}): Promise<ScratchDatabase> {
  if (!options.serverUrl) {
    const folder = mkdtempSync(join(tmpdir(), `${options.prefix}-pg-`));
    // Searchable by the service user a root process runs PostgreSQL as (mkdtemp makes it 0700).
    chmodSync(folder, 0o711);
    const server = await startEmbeddedServer({
      dataDir: join(folder, "pgdata"),
      passwordFile: join(folder, "embedded-password"),
      volatile: true,
    });
    return {
      url: server.url,
      kind: "embedded",
      async dispose() {
        await server.stop();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = options.serverUrl;
  const name = `${options.prefix.replace(/\W/g, "_")}_${randomBytes(6).toString("hex")}`;
  await withConnection(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: "server",
    async dispose() {
      await withConnection(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
