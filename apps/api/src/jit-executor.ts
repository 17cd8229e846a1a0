// Executes operations with graphql-jit: each parsed document is compiled once into a JavaScript
// function (field resolution, argument handling and result shaping generated for that document), and
// later requests with the same query run the compiled function. Apollo Server 5 takes a custom
// executor only through its gateway interface, so this is a gateway that serves a local schema: Apollo
// still parses, validates (and caches documents), applies the operation limits and formats errors;
// only execution is replaced. Subscriptions keep graphql-js (graphql-ws).
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  printSchema,
} from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";
import { coercedVariable } from "./pipeline.ts";

/**
 * Compiled operations by document (Apollo keeps one parsed document per distinct query text in its
 * bounded document store, so this cache lives and dies with those entries) and operation name.
 */
type Compiled = Map<string, CompiledQuery | ExecutionResult>;

export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Compiled>();
  const executor: GatewayExecutor = async (request) => {
    let byName = compiled.get(request.document);
    if (!byName) {
      byName = new Map();
      compiled.set(request.document, byName);
    }
    const name = request.operationName ?? "";
    let query = byName.get(name);
    if (!query) {
      query = compileQuery(schema, request.document, request.operationName ?? undefined, {
        // No stack captured for the errors graphql-jit makes itself (a null in a non-null field);
        // a resolver's error keeps its own.
        disablingCapturingStackErrors: true,
      });
      byName.set(name, query);
    }
    if (!isCompiledQuery(query)) return withCodes(query); // a compile error, as graphql-js would report it
    const variables = request.request.variables ?? {};
    // Variables are coerced by graphql-js first, so that an error names the variable the operation
    // declared (graphql-jit names the field inside an input object instead), as over WebSocket.
    const definitions = getOperationAST(request.document, request.operationName)?.variableDefinitions ?? [];
    const coerced = getVariableValues(schema, definitions, variables, { maxErrors: 20 });
    if (coerced.errors) return withCodes({ errors: coerced.errors });
    return withCodes(await query.query(undefined, request.context, variables));
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}

/**
 * graphql-jit's own errors (variable coercion, a plain Error thrown by a resolver) carry no
 * `extensions`, which Apollo's error formatting needs: they are rebuilt as graphql-js would report
 * them, a variable that does not fit its type as BAD_USER_INPUT (HTTP 400) naming the variable.
 */
function withCodes(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => !error.extensions)) return result;
  const errors = result.errors.map((error) => {
    if (error.extensions) return error;
    const variable = coercedVariable(error.message);
    const rebuilt = new GraphQLError(error.message, {
      path: error.path,
      originalError: error.originalError ?? undefined,
      extensions: variable ? { code: "BAD_USER_INPUT", field: variable, http: { status: 400 } } : {},
    });
    if (error.locations) Object.defineProperty(rebuilt, "locations", { value: error.locations, enumerable: true });
    return rebuilt;
  });
  const variableErrors = errors.every((error) => error.extensions.code === "BAD_USER_INPUT");
  // graphql-js answers a coercion failure without data: nothing was executed.
  return variableErrors && result.data == null ? { errors } : { ...result, errors };
}
