// The one request pipeline every GraphQL operation goes through, whatever the transport (HTTP through
// Apollo Server, WebSocket through graphql-ws): the extra validation rules (no introspection when it
// is off), the operation limits and the anonymous-caller rule, error formatting (internal errors
// masked unless MACNET_API_DEBUG=1, schema suggestions hidden, codes on every error) and the one log line per
// operation. server.ts wires it into Apollo, ws-graphql.ts into graphql-ws.
import { unwrapResolverError } from "@apollo/server/errors";
import { MacnetError } from "@macnet/db";
import {
  BREAK,
  type DocumentNode,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type ValidationRule,
  visit,
} from "graphql";
import { ZodError } from "zod";
import type { Viewer } from "./context.ts";
import type { ApiConfig } from "./env.ts";
import { refusal, unauthenticated, zodProblem } from "./errors.ts";
import { estimateOperation, type ListSizes, limitError } from "./limits.ts";

/**
 * Most lexical tokens one operation may have: the parser stops there, before building a syntax tree
 * for a megabyte of fields (the dashboard's largest operation has a few hundred).
 */
export const MAX_TOKENS = 10_000;

/** Root fields a caller without credentials may use. */
const OPEN_FIELDS = new Set(["login", "me", "__typename"]);

/** Refuses `__schema` and `__type` (each once), for servers with introspection off. */
const NoIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === "__schema" || node.name.value === "__type") {
      context.reportError(
        new GraphQLError("Introspection is switched off on this server (MACNET_API_INTROSPECTION=1 allows it)", {
          nodes: [node],
        }),
      );
    }
  },
});

/** Validation rules added to graphql's own: introspection refused unless it is switched on. */
export function extraValidationRules(config: ApiConfig): ValidationRule[] {
  return config.introspection ? [] : [NoIntrospection];
}

/**
 * Why an operation that passed validation may not run: over a limit (depth, aliases, cost), or
 * anything but the open fields for a caller without credentials; else its estimated cost (limits.ts).
 */
export function guardOperation(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  viewer: Viewer | null;
  config: ApiConfig;
  sizes: ListSizes;
}): { refused: GraphQLError } | { cost: number } {
  const deep = deepVariable(options.variables);
  if (deep) {
    return {
      refused: refusal(
        "BAD_USER_INPUT",
        `Variable "$${deep}" is nested deeper than ${MAX_VARIABLE_DEPTH} levels`,
        deep,
      ),
    };
  }
  const estimate = estimateOperation({ ...options, limits: options.config.limits });
  const overLimit = limitError(estimate, options.config.limits);
  if (overLimit) return { refused: overLimit };
  const nul = nulInput(options.document, options.variables);
  if (nul) {
    return {
      refused: refusal("BAD_USER_INPUT", `${nul} holds a NUL character, which no text field may contain`, nul),
    };
  }
  if (!options.viewer) {
    const open = options.operation.selectionSet.selections.every(
      (s) => s.kind === Kind.FIELD && OPEN_FIELDS.has(s.name.value),
    );
    if (!open) return { refused: unauthenticated() };
  }
  return { cost: estimate.cost };
}

/** Deepest nesting of lists and objects a variable's value may have (the schema's inputs need 3). */
export const MAX_VARIABLE_DEPTH = 32;

/**
 * The variable whose value is nested deeper than MAX_VARIABLE_DEPTH, if any; walked without
 * recursion, so that 300 000 nested arrays (under 1 MB of JSON) cannot overflow the stack here or in
 * graphql's coercion after.
 */
function deepVariable(variables: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(variables)) {
    const stack: [unknown, number][] = [[value, 0]];
    while (stack.length > 0) {
      const [item, depth] = stack.pop() as [unknown, number];
      if (item === null || typeof item !== "object") continue;
      if (depth >= MAX_VARIABLE_DEPTH) return name;
      for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/** The variable or argument whose text holds a NUL character (PostgreSQL text cannot store one), if any. */
function nulInput(document: DocumentNode, variables: Record<string, unknown>): string | undefined {
  const holdsNul = (value: unknown): boolean => {
    if (typeof value === "string") return value.includes("\u0000");
    if (Array.isArray(value)) return value.some(holdsNul);
    if (value !== null && typeof value === "object") return Object.values(value).some(holdsNul);
    return false;
  };
  for (const [name, value] of Object.entries(variables)) if (holdsNul(value)) return name;
  let found: string | undefined;
  visit(document, {
    Argument(node) {
      if (found) return BREAK;
      let inside = false;
      visit(node.value, {
        StringValue(string) {
          if (string.value.includes("\u0000")) inside = true;
        },
      });
      if (inside) found = node.name.value;
      return undefined;
    },
  });
  return found;
}

/** graphql's "Did you mean …?" tail, which would show the schema to callers who may not introspect it. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;
/** graphql's messages for a variable whose value does not fit its type. */
const VARIABLE_ERROR = /^Variable "\$(\w+)" (got invalid value|of (non-null|required) type)/;

/** A variable-coercion error's variable name, or undefined for any other error. */
export function coercedVariable(message: string): string | undefined {
  return VARIABLE_ERROR.exec(message)?.[1];
}

/**
 * Formats one error for a client, the same over every transport: service errors keep their code,
 * variable-coercion errors become BAD_USER_INPUT naming the variable, suggestions are hidden when
 * introspection is off, and unexpected errors are logged (with the operation) and, unless debugging,
 * answered only as "Internal server error".
 */
export function createErrorFormatter(
  config: ApiConfig,
  log: (line: string) => void,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    let result = formatted;
    if (original instanceof MacnetError) {
      result = {
        ...formatted,
        message: original.message,
        extensions: {
          ...formatted.extensions,
          code: original.code,
          ...(original.field ? { field: original.field } : {}),
        },
      };
    } else if (original instanceof ZodError) {
      const { message, field } = zodProblem(original);
      result = { ...formatted, message, extensions: { ...formatted.extensions, code: "BAD_USER_INPUT", field } };
    }
    const variable = coercedVariable(result.message);
    if (variable) {
      result = {
        ...result,
        extensions: { ...result.extensions, code: "BAD_USER_INPUT", field: result.extensions?.field ?? variable },
      };
    }
    if (!config.introspection && SUGGESTION.test(result.message)) {
      result = { ...result, message: result.message.replace(SUGGESTION, "") };
    }
    const code = result.extensions?.code;
    if (code === undefined || code === "INTERNAL_SERVER_ERROR") {
      log(`graphql internal error: ${(original as Error)?.stack ?? String(original)}`);
      if (!config.debug) return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
      if (code === undefined)
        result = { ...result, extensions: { ...result.extensions, code: "INTERNAL_SERVER_ERROR" } };
    }
    return result;
  };
}

/** The one line logged per operation, over HTTP and WebSocket alike. */
export function operationLogLine(options: {
  transport: "http" | "ws";
  operationName: string | null | undefined;
  viewer: Viewer | null;
  status: number | string;
  codes: readonly unknown[];
  startedMs: number;
}): string {
  const ms = (performance.now() - options.startedMs).toFixed(1);
  const codes = [...new Set(options.codes.map((code) => String(code ?? "ERROR")))];
  const who = options.viewer ? options.viewer.name : "anonymous";
  const outcome = codes.length > 0 ? codes.join(",") : "ok";
  return `graphql ${options.transport} ${options.operationName ?? "-"} by ${who}: ${options.status} ${outcome} in ${ms} ms`;
}

/** A GraphQLError for a client from anything thrown (parse failures, unexpected exceptions). */
export function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  return new GraphQLError((error as Error)?.message ?? String(error), { originalError: error as Error });
}
