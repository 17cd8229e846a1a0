// The HTTP side: Apollo Server 5 at /graphql (POST and GET, CSRF prevention on; served from node:http
// by http-graphql.ts, operations executed by graphql-jit unless configured otherwise), graphql-ws on
// the same path (ws-graphql.ts), both through one pipeline (pipeline.ts: validation rules, limits,
// error formatting, logging), /healthz on Express, and the per-request authentication (API key
// header or session cookie) that builds each request's context.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { authenticateApiKey, authenticateSession, type PrismaClient, verifyPasswordOrDummy } from "@macnet/db";
import express from "express";
import { GraphQLError } from "graphql";
import { clientAddressOf } from "./client-address.ts";
import type { Context, Viewer } from "./context.ts";
import { CredentialCache } from "./credential-cache.ts";
import type { ApiConfig } from "./env.ts";
import { refusal } from "./errors.ts";
import { graphqlHttpHandler, sessionCookie } from "./http-graphql.ts";
import { jitGateway } from "./jit-executor.ts";
import { ListSizeCache } from "./list-sizes.ts";
import { createLoaders } from "./loaders.ts";
import { LoginThrottle } from "./modules/auth/login-throttle.ts";
import { JobEvents } from "./modules/jobs/job-events.ts";
import { type Admission, callerOf, OperationGate } from "./operation-gate.ts";
import {
  createErrorFormatter,
  extraValidationRules,
  guardOperation,
  MAX_TOKENS,
  operationLogLine,
} from "./pipeline.ts";
import { buildSchema } from "./schema.ts";
import { createSqlPool } from "./sql-pool.ts";
import { TABLE_PATHS, tableRoutes } from "./table-routes.ts";
import { startWebSocketGraphql } from "./ws-graphql.ts";

export const SESSION_COOKIE = "macnet_session";

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
      throw refusal("UNAUTHENTICATED", "The API key is not valid (unknown, malformed or revoked)");
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
  const sql = createSqlPool(databaseUrl, { onQuery: options.onQuery, log });
  await jobEvents.start(databaseUrl);
  const listSizes = new ListSizeCache(sql);
  const gate = new OperationGate(config.gate);
  /** Limits, then admission: the operation's release function, or why it may not run. */
  const admit = async (
    guard: Omit<Parameters<typeof guardOperation>[0], "schema" | "config" | "sizes">,
    clientAddress: string,
  ): Promise<Admission> => {
    const outcome = guardOperation({ ...guard, schema, config, sizes: await listSizes.sizes() });
    if ("refused" in outcome) return outcome;
    // Subscriptions wait for events rather than hold answers: the socket's own limit bounds them.
    if (guard.operation.operation === "subscription") return { release: () => {}, cost: outcome.cost };
    const admitted = gate.admit(callerOf(guard.viewer, clientAddress), outcome.cost);
    return admitted instanceof GraphQLError ? { refused: admitted } : { release: admitted, cost: outcome.cost };
  };

  const signIn = { throttle: new LoginThrottle(prisma, config.loginThrottle), passwordCost: config.passwordCost };
  // The dummy hash unknown users are checked against is made now, not on the first such sign-in.
  await verifyPasswordOrDummy("", null, config.passwordCost);
  const context = (viewer: Viewer | null, request: IncomingMessage): Context => ({
    prisma,
    sql,
    databaseUrl,
    viewer,
    loaders: createLoaders(prisma, sql),
    jobEvents,
    credentials,
    clientAddress: clientAddressOf(request, config.trustProxy),
    signIn,
  });
  const ws = startWebSocketGraphql({
    httpServer,
    schema,
    config,
    log,
    authenticate: (authorization, cookie) => authenticate(prisma, credentials, authorization, cookie),
    admit: (guard, request) => admit(guard, clientAddressOf(request, config.trustProxy)),
    context,
  });

  const guard: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      const startedMs = performance.now();
      let release: (() => void) | undefined;
      let estimated: number | undefined;
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          const variables = request.variables ?? {};
          const admitted = await admit(
            { document, operation, variables, viewer: contextValue.viewer },
            contextValue.clientAddress,
          );
          if (admitted.refused) throw admitted.refused;
          release = admitted.release;
          estimated = admitted.cost;
        },
        async willSendResponse({ request, operationName, response, errors, contextValue }) {
          release?.();
          // The estimate travels with the answer, so that scripts can see how near the limit they are.
          if (estimated !== undefined && response.body.kind === "single") {
            const result = response.body.singleResult;
            result.extensions = {
              ...result.extensions,
              cost: { estimated: Math.ceil(estimated), limit: config.limits.maxCost },
            };
          }
          if (!config.requestLog) return;
          log(
            operationLogLine({
              transport: "http",
              operationName: operationName ?? request.operationName,
              viewer: contextValue.viewer,
              status: response.http.status ?? 200,
              codes: (errors ?? []).map((e) => e.extensions?.code),
              startedMs,
            }),
          );
        },
      };
    },
  };

  const apollo = new ApolloServer<Context>({
    ...(config.executor === "jit" ? { gateway: jitGateway(schema) } : { schema }),
    // Introspection is refused by the pipeline's own rule (the same over WebSocket), not by Apollo's.
    introspection: true,
    // Suggestions are removed by the pipeline's error formatter, over both transports.
    validationRules: extraValidationRules(config),
    parseOptions: { maxTokens: MAX_TOKENS },
    includeStacktraceInErrorResponses: config.debug,
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
              await ws.dispose();
            },
          };
        },
      },
      guard,
    ],
    formatError: createErrorFormatter(config, log),
  });
  await apollo.start();

  app.get("/healthz", async (_req, res) => {
    try {
      await prisma.$queryRaw`SELECT 1`;
      res.json({ status: "ok" });
    } catch (error) {
      // The cause goes to the log; callers (load balancers, anyone) learn only that it failed.
      log(`healthz: database unreachable: ${(error as Error).message}`);
      res.status(503).json({ status: "database unreachable" });
    }
  });
  const graphql = graphqlHttpHandler(apollo, {
    log,
    maxResponseBytes: config.maxResponseBytes,
    context: async (req, res): Promise<Context> => ({
      ...context(await authenticate(prisma, credentials, req.headers.authorization, req.headers.cookie), req),
      setSessionCookie: (token, expiresAt) => {
        res.appendHeader(
          "set-cookie",
          sessionCookie(SESSION_COOKIE, token, { expires: expiresAt, secure: config.production }),
        );
      },
    }),
  });
  const tables = tableRoutes({
    sql,
    config,
    log,
    authenticate: (authorization, cookie) => authenticate(prisma, credentials, authorization, cookie),
  });
  httpServer.on("request", (req, res) => {
    const path = req.url?.split("?", 1)[0];
    if (path && TABLE_PATHS.has(path)) {
      void tables(req, res);
      return;
    }
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
