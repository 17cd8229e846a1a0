// GraphQL over WebSocket (graphql-ws) on /graphql, through the same pipeline as HTTP (pipeline.ts):
// each operation is authenticated, parsed with the same token limit, validated with the same rules,
// guarded by the same limits and anonymous-caller rule, and its errors formatted and logged as over
// HTTP. A connection may run a bounded number of operations at once, and a message is bounded like
// an HTTP body.
import type { IncomingMessage, Server } from "node:http";
import {
  type DocumentNode,
  type ExecutionArgs,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Context, Viewer } from "./context.ts";
import type { ApiConfig } from "./env.ts";
import { refusal } from "./errors.ts";
import { MAX_BODY_BYTES } from "./http-graphql.ts";
import type { Admission } from "./operation-gate.ts";
import {
  asGraphQLError,
  createErrorFormatter,
  extraValidationRules,
  type guardOperation,
  MAX_TOKENS,
  operationLogLine,
} from "./pipeline.ts";

/** Operations one connection may have running at once (each subscription counts until it ends). */
export const MAX_OPERATIONS_PER_SOCKET = 20;

interface Running {
  startedMs: number;
  operationName: string | null | undefined;
  viewer: Viewer | null;
  codes: unknown[];
  /** Gives the operation's admission back (operation-gate.ts). */
  release?: () => void;
}

/** Starts graphql-ws on `httpServer`'s /graphql; returns what stops it. */
export function startWebSocketGraphql(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  config: ApiConfig;
  log: (line: string) => void;
  /** Who sent the upgrade request (connection parameters' authorization first, then its headers). */
  authenticate: (authorization: string | undefined, cookie: string | undefined) => Promise<Viewer | null>;
  /** The limits and the admission of an operation: its release function, or why it may not run. */
  admit: (
    guard: Omit<Parameters<typeof guardOperation>[0], "schema" | "config" | "sizes">,
    request: IncomingMessage,
  ) => Promise<Admission>;
  /** The context of one operation. */
  context: (viewer: Viewer | null, request: IncomingMessage) => Context;
}): { dispose(): Promise<void> } {
  const { schema, config, log } = options;
  const rules = [...specifiedRules, ...extraValidationRules(config)];
  const formatError = createErrorFormatter(config, log);
  const running = new WeakMap<object, Map<string, Running>>();
  const runningOf = (extra: object) => {
    let map = running.get(extra);
    if (!map) {
      map = new Map();
      running.set(extra, map);
    }
    return map;
  };
  const finish = (extra: object, id: string, status: string) => {
    const entry = running.get(extra)?.get(id);
    if (!entry) return;
    entry.release?.();
    running.get(extra)?.delete(id);
    if (config.requestLog) log(operationLogLine({ transport: "ws", status, ...entry }));
  };
  // As over HTTP, less the `http` extension (status and headers mean nothing on a socket).
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => {
      const { http: _http, ...extensions } = error.extensions;
      return formatError({ ...error.toJSON(), extensions }, error);
    });
  const refuse = (entry: Running, errors: GraphQLError[]) => {
    entry.codes.push(...errors.map((error) => error.extensions.code));
    return errors;
  };

  const wsServer = new WebSocketServer({ server: options.httpServer, path: "/graphql", maxPayload: MAX_BODY_BYTES });
  const cleanup = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      schema,
      onSubscribe: async (ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const entry: Running = {
          startedMs: performance.now(),
          operationName: payload.operationName,
          viewer: null,
          codes: [],
        };
        const mine = runningOf(ctx.extra);
        mine.set(id, entry);
        if (mine.size > MAX_OPERATIONS_PER_SOCKET) {
          return refuse(entry, [
            refusal(
              "TOO_MANY_OPERATIONS",
              `At most ${MAX_OPERATIONS_PER_SOCKET} operations may run at once on one connection`,
            ),
          ]);
        }
        const request = ctx.extra.request;
        try {
          const params = ctx.connectionParams as { authorization?: unknown } | undefined;
          const authorization = typeof params?.authorization === "string" ? params.authorization : undefined;
          entry.viewer = await options.authenticate(
            authorization ?? request.headers.authorization,
            request.headers.cookie,
          );
        } catch (error) {
          return refuse(entry, [asGraphQLError(error)]);
        }
        if (typeof payload.query !== "string") {
          return refuse(entry, [refusal("BAD_REQUEST", "The operation has no query text", "query")]);
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (error) {
          const parseError = asGraphQLError(error);
          return refuse(entry, [
            new GraphQLError(parseError.message, {
              nodes: parseError.nodes,
              source: parseError.source,
              positions: parseError.positions,
              extensions: { code: "GRAPHQL_PARSE_FAILED" },
            }),
          ]);
        }
        const invalid = validate(schema, document, rules);
        if (invalid.length > 0) {
          return refuse(
            entry,
            invalid.map(
              (error) =>
                new GraphQLError(error.message, {
                  nodes: error.nodes,
                  extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
                }),
            ),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        entry.operationName ??= operation?.name?.value;
        if (!operation) {
          return refuse(entry, [
            new GraphQLError("Unable to identify the operation to run (name it with operationName)", {
              extensions: { code: "OPERATION_RESOLUTION_FAILURE" },
            }),
          ]);
        }
        const variables = (payload.variables ?? {}) as Record<string, unknown>;
        const admitted = await options.admit({ document, operation, variables, viewer: entry.viewer }, request);
        if (admitted.refused) return refuse(entry, [admitted.refused]);
        entry.release = admitted.release;
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: variables,
          contextValue: options.context(entry.viewer, request),
        };
      },
      onNext: (ctx, id, _payload, _args, result): FormattedExecutionResult | undefined => {
        if (!result.errors) return undefined;
        const errors = format(result.errors);
        runningOf(ctx.extra)
          .get(id)
          ?.codes.push(...errors.map((error) => error.extensions?.code));
        return { ...result, errors };
      },
      onError: (ctx, id, _payload, errors) => {
        const formatted = format(errors);
        const entry = runningOf(ctx.extra).get(id);
        // Refusals already counted their codes; errors of a running operation are counted here.
        if (entry && entry.codes.length === 0) entry.codes.push(...formatted.map((error) => error.extensions?.code));
        finish(ctx.extra, id, "error");
        return formatted;
      },
      onComplete: (ctx, id) => finish(ctx.extra, id, "complete"),
      // A socket that goes away mid-operation gives its admissions back.
      onClose: (ctx) => {
        for (const entry of running.get(ctx.extra)?.values() ?? []) entry.release?.();
      },
    },
    wsServer,
  );
  return {
    async dispose() {
      await cleanup.dispose();
    },
  };
}
