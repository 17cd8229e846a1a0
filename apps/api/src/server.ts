// The HTTP side: Apollo Server 5 at /graphql (POST and GET, CSRF prevention on; served from node:http
// by http-graphql.ts, operations executed by graphql-jit unless configured otherwise), graphql-ws
// subscriptions on the same path, /healthz on Express, and the per-request authentication (API key
// header or session cookie) that builds each request's context.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { authenticateApiKey, authenticateSession, MacnetError, type PrismaClient } from "@macnet/db";
import express from "express";
import { GraphQLError, Kind } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Context, Viewer } from "./context.ts";
import { CredentialCache } from "./credential-cache.ts";
import type { ApiConfig } from "./env.ts";
import { unauthenticated } from "./errors.ts";
import { graphqlHttpHandler, sessionCookie } from "./http-graphql.ts";
import { jitGateway } from "./jit-executor.ts";
import { checkOperationLimits } from "./limits.ts";
import { createLoaders } from "./loaders.ts";
import { JobEvents } from "./modules/jobs/job-events.ts";
import { buildSchema } from "./schema.ts";
import { createSqlPool } from "./sql-pool.ts";

export const SESSION_COOKIE = "macnet_session";
/** Root fields a caller without credentials may use. */
const OPEN_FIELDS = new Set(["login", "me", "__typename"]);

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

async function viewerOfKey(prisma: PrismaClient, apiKey: string): Promise<Viewer | null> {
  const user = await authenticateApiKey({ prisma, apiKey });
  if (!user) return null;
  const { apiKeyId, ...rest } = user;
  return { ...rest, via: { kind: "apiKey", apiKeyId } };
}

async function viewerOfSession(prisma: PrismaClient, token: string): Promise<Viewer | null> {
  const user = await authenticateSession({ prisma, token });
  if (!user) return null;
  const { sessionId, ...rest } = user;
  return { ...rest, via: { kind: "session", sessionId } };
}

/** Who sent a request: a Bearer API key (a bad one is refused), else a session cookie, else nobody. */
async function authenticate(
  prisma: PrismaClient,
  cache: CredentialCache,
  authorization: string | undefined,
  cookie: string | undefined,
): Promise<Viewer | null> {
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const apiKey = match?.[1];
    const viewer = apiKey ? await cache.lookup("key", apiKey, () => viewerOfKey(prisma, apiKey)) : null;
    if (!viewer) {
      throw new GraphQLError("The API key is not valid (unknown, malformed or revoked)", {
        extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
      });
    }
    return viewer;
  }
  const token = cookieValue(cookie, SESSION_COOKIE);
  if (!token) return null;
  return cache.lookup("session", token, () => viewerOfSession(prisma, token));
}

export async function startApiServer(options: {
  prisma: PrismaClient;
  databaseUrl: string;
  config: ApiConfig;
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /** Called with each SQL statement the API's own pool sends (tests count them; Prisma's have their own hook). */
  onQuery?: (sql: string) => void;
}): Promise<ApiServer> {
  const { prisma, databaseUrl, config } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const schema = buildSchema();
  const app = express();
  // Express answers /healthz and unknown paths only; a health check is never revalidated: no ETag.
  app.disable("etag");
  app.disable("x-powered-by");
  // Requests to /graphql go straight to Apollo Server (http-graphql.ts); everything else to Express.
  const httpServer = createServer();
  const jobEvents = new JobEvents(log);
  const credentials = new CredentialCache(config.authCacheMs);
  const sql = createSqlPool(databaseUrl, { onQuery: options.onQuery });
  await jobEvents.start(databaseUrl);

  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const wsCleanup = useServer(
    {
      schema,
      context: async (ctx): Promise<Context> => {
        const request = ctx.extra.request as IncomingMessage;
        const params = ctx.connectionParams as { authorization?: string } | undefined;
        const viewer = await authenticate(
          prisma,
          credentials,
          params?.authorization ?? request.headers.authorization,
          request.headers.cookie,
        );
        return { prisma, sql, databaseUrl, viewer, loaders: createLoaders(prisma, sql), jobEvents, credentials };
      },
    },
    wsServer,
  );

  const guard: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          const limitError = checkOperationLimits(document, operation, request.variables ?? {}, config.limits);
          if (limitError) throw limitError;
          if (!contextValue.viewer) {
            const open = operation.selectionSet.selections.every(
              (s) => s.kind === Kind.FIELD && OPEN_FIELDS.has(s.name.value),
            );
            if (!open) throw unauthenticated();
          }
        },
        async willSendResponse({ request, response, errors, contextValue }) {
          if (!config.requestLog) return;
          const ms = (performance.now() - started).toFixed(1);
          const codes = [...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? "ERROR")))];
          const who = contextValue.viewer ? contextValue.viewer.name : "anonymous";
          const status = response.http.status ?? 200;
          log(
            `graphql ${request.operationName ?? "-"} by ${who}: ${status} ${codes.length ? codes.join(",") : "ok"} in ${ms} ms`,
          );
        },
      };
    },
  };

  const apollo = new ApolloServer<Context>({
    ...(config.executor === "jit" ? { gateway: jitGateway(schema) } : { schema }),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: !config.production,
    csrfPrevention: true,
    // Compact JSON: Apollo's default pretty-prints every response with two-space indentation, which
    // made a page of 50 objects with predictions ~2× the bytes to build, write and parse.
    stringifyResult: (result) => JSON.stringify(result),
    // The CLI owns SIGINT/SIGTERM and stops everything in order; Apollo's own handler would stop the
    // server and re-raise the signal, killing the process before the database is closed.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No HTTP caching of GraphQL answers here; without this plugin's per-field hooks every resolver runs faster.
      ApolloServerPluginCacheControlDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
      guard,
    ],
    formatError: (formatted, error) => {
      const original = unwrapResolverError(error);
      if (original instanceof MacnetError) {
        return {
          ...formatted,
          message: original.message,
          extensions: { ...formatted.extensions, code: original.code },
        };
      }
      if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR") {
        log(`graphql internal error: ${(original as Error)?.stack ?? String(original)}`);
        if (config.production)
          return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
      }
      return formatted;
    },
  });
  await apollo.start();

  app.get("/healthz", async (_req, res) => {
    try {
      await prisma.$queryRaw`SELECT 1`;
      res.json({ status: "ok" });
    } catch (error) {
      res.status(503).json({ status: "database unreachable", error: (error as Error).message });
    }
  });
  const graphql = graphqlHttpHandler(apollo, {
    log,
    context: async (req, res): Promise<Context> => ({
      prisma,
      sql,
      databaseUrl,
      viewer: await authenticate(prisma, credentials, req.headers.authorization, req.headers.cookie),
      loaders: createLoaders(prisma, sql),
      jobEvents,
      credentials,
      setSessionCookie: (token, expiresAt) => {
        res.appendHeader(
          "set-cookie",
          sessionCookie(SESSION_COOKIE, token, { expires: expiresAt, secure: config.production }),
        );
      },
    }),
  });
  httpServer.on("request", (req, res) => {
    const path = req.url?.split("?", 1)[0];
    if (path !== "/graphql" && path !== "/graphql/") {
      app(req, res);
      return;
    }
    graphql(req, res).catch((error: Error) => {
      log(`http 500: ${error.stack ?? error.message}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end(
        JSON.stringify({
          errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
        }),
      );
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(options.port ?? 4000, options.host ?? "127.0.0.1", resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}/graphql`,
    port,
    async close() {
      await apollo.stop();
      await jobEvents.stop();
      await sql.end();
    },
  };
}
