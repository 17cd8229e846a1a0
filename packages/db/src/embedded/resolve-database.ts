import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import {
  type EmbeddedServer,
  embeddedPassword,
  embeddedUrl,
  isLegacyPgliteFolder,
  legacyFolderError,
  startEmbeddedServer,
  stopOrphanedPostmaster,
} from "./embedded-server.ts";
import { isProcessAlive as isAlive } from "./process-alive.ts";

/** Where the platform's database is and who owns it. */
export interface DatabaseTarget {
  url: string;
  /** "server" for DATABASE_URL, "embedded-owner" when this process runs the embedded server, "embedded-client" when another does. */
  mode: "server" | "embedded-owner" | "embedded-client";
  /** Human-readable description with any password masked. */
  description: string;
  /** Stops the embedded server if this process owns it. */
  close(): Promise<void>;
  /**
   * For the owner of the embedded server: restarts it on the same port when it dies (so every pool's
   * URL stays right), at most MAX_RESTARTS times in RESTART_WINDOW_MS; `failed` when that is not
   * possible, with why.
   */
  supervise?(events: { restarted(line: string): void; failed(message: string): void }): void;
}

/** Restarts of a dying embedded server tried within RESTART_WINDOW_MS before giving up. */
export const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 10 * 60_000;

interface LockContent {
  pid: number;
  port: number;
  startedAt: string;
}

/**
 * Resolves the database every command talks to: DATABASE_URL when given, otherwise the embedded
 * PostgreSQL server on `<home>/pgdata`. The first process to need it starts the server and records
 * its port in `<home>/embedded.lock`; other processes connect to that server (the password is in
 * `<home>/embedded-password`, 0600). The owner stops the server when it closes; a server whose owner
 * was killed is stopped and started afresh by the next process.
 */
export async function resolveDatabase(options: {
  databaseUrl?: string;
  home: string;
  embeddedPort?: number;
  /** For root processes: the unprivileged user PostgreSQL runs as. */
  serviceUser?: string;
}): Promise<DatabaseTarget> {
  if (options.databaseUrl) {
    return {
      url: options.databaseUrl,
      mode: "server",
      description: maskPassword(options.databaseUrl),
      close: async () => {},
    };
  }
  mkdirSync(options.home, { recursive: true });
  const lockPath = join(options.home, "embedded.lock");
  const dataDir = join(options.home, "pgdata");
  const passwordFile = join(options.home, "embedded-password");
  // Before anything reads the folder's postmaster.pid: a PGlite folder's is not a server's.
  if (isLegacyPgliteFolder(dataDir)) throw legacyFolderError(dataDir);
  // Run as root, the server's own user must pass through the home folder (search only, no listing).
  if (process.getuid?.() === 0) chmodSync(options.home, statSync(options.home).mode | 0o001);
  for (let attempt = 0; attempt < 600; attempt++) {
    const fd = tryCreateLock(lockPath);
    if (fd !== undefined) {
      try {
        // A server left by an owner that was killed (kill -9) still holds the folder: stop it first.
        await stopOrphanedPostmaster(dataDir);
        const start = (port: number | undefined) =>
          startEmbeddedServer({ dataDir, passwordFile, port, serviceUser: options.serviceUser });
        let server = await start(options.embeddedPort);
        let closing = false;
        const lock: LockContent = { pid: process.pid, port: server.port, startedAt: new Date().toISOString() };
        writeSync(fd, JSON.stringify(lock));
        closeSync(fd);
        const release = () => removeLockIfOurs(lockPath);
        process.once("exit", release);
        return {
          url: server.url,
          mode: "embedded-owner",
          description: `embedded PostgreSQL at ${dataDir}, serving 127.0.0.1:${server.port} (process ${server.pid})`,
          async close() {
            closing = true;
            await server.stop();
            release();
            process.removeListener("exit", release);
          },
          supervise(events) {
            const restarts: number[] = [];
            const watch = (current: EmbeddedServer) => {
              void current.died.then(async (how) => {
                if (closing) return;
                const logFile = join(options.home, "postgres.log");
                const now = Date.now();
                while (restarts.length > 0 && now - (restarts[0] as number) > RESTART_WINDOW_MS) restarts.shift();
                const what = `the embedded PostgreSQL server (process ${current.pid}) exited unexpectedly (${how}; see ${logFile})`;
                if (restarts.length >= MAX_RESTARTS) {
                  events.failed(
                    `${what}, the ${MAX_RESTARTS + 1}th time in ${RESTART_WINDOW_MS / 60_000} minutes: stopping`,
                  );
                  return;
                }
                restarts.push(now);
                try {
                  server = await start(current.port);
                  events.restarted(`${what}: restarted it as process ${server.pid} on port ${server.port}`);
                  watch(server);
                } catch (error) {
                  events.failed(`${what}, and it could not be restarted: ${(error as Error).message}`);
                }
              });
            };
            watch(server);
          },
        };
      } catch (error) {
        closeSync(fd);
        unlinkSync(lockPath);
        throw error;
      }
    }
    const lock = readLock(lockPath);
    if (lock && isAlive(lock.pid) && (await isListening(lock.port))) {
      const url = embeddedUrl(lock.port, embeddedPassword(passwordFile));
      return {
        url,
        mode: "embedded-client",
        description: `embedded PostgreSQL at ${dataDir}, served by process ${lock.pid} on 127.0.0.1:${lock.port}`,
        close: async () => {},
      };
    }
    if (lock && !isAlive(lock.pid)) {
      unlinkStale(lockPath);
      continue;
    }
    // The owner is still starting the server (initdb takes seconds the first time): wait.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Could not open or reach the embedded database at ${dataDir} (lock ${lockPath})`);
}

function tryCreateLock(lockPath: string): number | undefined {
  try {
    return openSync(lockPath, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw error;
  }
}

function readLock(lockPath: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<LockContent>;
    if (typeof parsed.pid === "number" && typeof parsed.port === "number") return parsed as LockContent;
  } catch {
    // Missing, or being written by its owner right now.
  }
  return undefined;
}

function removeLockIfOurs(lockPath: string): void {
  if (readLock(lockPath)?.pid === process.pid) unlinkStale(lockPath);
}

function unlinkStale(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch {
    // Someone else removed it first.
  }
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Replaces the password in a connection string with `***`. */
export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
