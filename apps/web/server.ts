// Serves the built dashboard (Next.js, in this process) and forwards /graphql — HTTP and the
// graphql-ws upgrade —, /healthz and the table endpoints (/scs, /export) to the API, so the browser talks to one origin and the
// session cookie and CSRF rules need no cross-origin exceptions.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { createServer, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";

export const webDir = dirname(fileURLToPath(import.meta.url));
const buildIdFile = join(webDir, ".next", "BUILD_ID");
const lockFile = join(webDir, ".next-build.lock");
const PROXIED = /^\/(graphql|healthz|scs|export)(\/|\?|$)/;

function newestSourceMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSourceMtime(join(path, name))));
}

/** Whether `.next` holds a build newer than every source file of the dashboard. */
export function dashboardBuildState(): "missing" | "stale" | "fresh" {
  if (!existsSync(buildIdFile)) return "missing";
  const sources = ["src", "next.config.ts", "package.json"].map((p) => newestSourceMtime(join(webDir, p)));
  return Math.max(...sources) > statSync(buildIdFile).mtimeMs ? "stale" : "fresh";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the dashboard when it has no build or an older one than its sources (`next build`, about
 * a minute on two cores). One build at a time across processes (a lock file naming the builder).
 */
export async function ensureDashboardBuilt(log: (line: string) => void): Promise<void> {
  for (;;) {
    if (dashboardBuildState() === "fresh") return;
    let fd: number;
    try {
      fd = openSync(lockFile, "wx");
    } catch {
      const owner = Number(readFileSync(lockFile, "utf8") || 0);
      if (owner && !isAlive(owner)) unlinkSync(lockFile);
      else await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
      closeSync(fd);
      if (dashboardBuildState() === "fresh") return;
      log("dashboard: building (next build; once after install or an update)...");
      const output: string[] = [];
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [join(webDir, "build.mjs")], { cwd: webDir, stdio: "pipe" });
        child.stdout.on("data", (chunk) => output.push(String(chunk)));
        child.stderr.on("data", (chunk) => output.push(String(chunk)));
        child.on("exit", resolve);
      });
      if (code !== 0) throw new Error(`the dashboard build failed (next build exited ${code}):\n${output.join("")}`);
      log("dashboard: built");
      return;
    } finally {
      if (existsSync(lockFile)) unlinkSync(lockFile);
    }
  }
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** X-Forwarded-For with the browser's address appended (the API believes only this last entry). */
function forwardedFor(req: IncomingMessage): string {
  const previous = req.headers["x-forwarded-for"];
  const chain = Array.isArray(previous) ? previous.join(", ") : previous;
  const address = req.socket.remoteAddress ?? "unknown";
  return chain ? `${chain}, ${address}` : address;
}

/** Forwards one HTTP request to the API and streams the answer back. */
function forward(req: IncomingMessage, res: import("node:http").ServerResponse, api: { host: string; port: number }) {
  const headers = { ...req.headers, "x-forwarded-for": forwardedFor(req) };
  const upstream = request({ host: api.host, port: api.port, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        errors: [{ message: `API unreachable: ${error.message}`, extensions: { code: "BAD_GATEWAY" } }],
      }),
    );
  });
  // A browser that goes away mid-request (navigation) does not leave the API request running.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

export async function startWebServer(options: {
  apiPort: number;
  apiHost?: string;
  port?: number;
  host?: string;
}): Promise<WebServer> {
  if (dashboardBuildState() === "missing") {
    throw new Error(
      "the dashboard is not built: run `npm run build -w apps/web` (macnet start/serve build it themselves)",
    );
  }
  const host = options.host ?? "127.0.0.1";
  const api = { host: options.apiHost ?? "127.0.0.1", port: options.apiPort };
  const app = next({ dev: false, dir: webDir, hostname: host, port: options.port ?? 3000, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    if (PROXIED.test(req.url ?? "")) forward(req, res, api);
    else void handle(req, res);
  });
  // graphql-ws upgrades go through as a raw TCP pipe after the request head is replayed.
  server.on("upgrade", (req, socket, head) => {
    if (!PROXIED.test(req.url ?? "")) {
      socket.destroy();
      return;
    }
    const upstream = connect(api.port, api.host, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (req.rawHeaders[i]?.toLowerCase() !== "x-forwarded-for")
          lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      lines.push(`X-Forwarded-For: ${forwardedFor(req)}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on("error", close);
    socket.on("error", close);
    upstream.on("close", close);
    socket.on("close", close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
