import { parseApiEnv, startApiServer } from "@macnet/api";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

const port = (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError("--port must be 0..65535");
  return Number(value);
};

/** `macnet serve`: the GraphQL API (and /healthz) until Ctrl-C. */
export function registerServeCommand(program: Command, env: () => CliEnv): void {
  program
    .command("serve")
    .description("Serve the GraphQL API at /graphql (subscriptions over graphql-ws) and /healthz; Ctrl-C stops")
    .option("--port <port>", "API port (0: any free port)", port, 4000)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .action(async (options: { port: number; host: string }) => {
      const config = parseApiEnv();
      await withDatabase(
        env(),
        async ({ target, prisma }) => {
          const server = await startApiServer({
            prisma: prisma(),
            databaseUrl: target.url,
            config,
            port: options.port,
            host: options.host,
          });
          say(`API: ${server.url} (health: http://${options.host}:${server.port}/healthz); Ctrl-C stops`);
          await new Promise<void>((resolve) => {
            process.once("SIGINT", resolve);
            process.once("SIGTERM", resolve);
          });
          await server.close();
        },
        { requireSchema: true },
      );
    });
}
