import { parseApiEnv, startApiServer } from "@macnet/api";
import { ensureDashboardBuilt, startWebServer, type WebServer } from "@macnet/web/server";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

const port = (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError("--port must be 0..65535");
  return Number(value);
};

/** `--port` and `--web-port` of `serve` and `start` (their defaults come from the environment). */
export function addPortOptions(command: Command): Command {
  return command
    .option("--port <port>", "API port, 0: any free port (default: MACNET_PORT or 4000)", port)
    .option("--web-port <port>", "dashboard port, 0: any free port (default: MACNET_WEB_PORT or 3000)", port);
}

/** The dashboard on `port`, forwarding its /graphql to the API (built first when needed). */
export async function serveDashboard(options: { apiPort: number; port: number; host: string }): Promise<WebServer> {
  await ensureDashboardBuilt(say);
  return startWebServer({ apiPort: options.apiPort, port: options.port, host: options.host });
}

/** `macnet serve`: the GraphQL API (and /healthz) and the dashboard until Ctrl-C. */
export function registerServeCommand(program: Command, env: () => CliEnv): void {
  addPortOptions(
    program
      .command("serve")
      .description(
        "Serve the GraphQL API at /graphql (subscriptions over graphql-ws), /healthz and the dashboard; Ctrl-C stops",
      ),
  )
    .option("--no-web", "serve the API only")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .action(async (options: { port?: number; webPort?: number; web: boolean; host: string }) => {
      const config = parseApiEnv();
      const { ports } = env();
      await withDatabase(
        env(),
        async ({ target, prisma }) => {
          const server = await startApiServer({
            prisma: prisma(),
            databaseUrl: target.url,
            config,
            port: options.port ?? ports.api,
            host: options.host,
          });
          say(`API: ${server.url} (health: http://${options.host}:${server.port}/healthz)`);
          const web = options.web
            ? await serveDashboard({ apiPort: server.port, port: options.webPort ?? ports.web, host: options.host })
            : undefined;
          if (web) say(`dashboard: ${web.url}`);
          say("Ctrl-C stops");
          await new Promise<void>((resolve) => {
            process.once("SIGINT", resolve);
            process.once("SIGTERM", resolve);
          });
          await web?.close();
          await server.close();
        },
        { requireSchema: true },
      );
    });
}
