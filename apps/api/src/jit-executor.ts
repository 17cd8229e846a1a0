// Executes operations with graphql-jit: each parsed document is compiled once into a JavaScript
// function (field resolution, argument handling and result shaping generated for that document), and
// later requests with the same query run the compiled function. Apollo Server 5 takes a custom
// executor only through its gateway interface, so this is a gateway that serves a local schema: Apollo
// still parses, validates (and caches documents), applies the operation limits and formats errors;
// only execution is replaced. Subscriptions keep graphql-js (graphql-ws).
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { type DocumentNode, type ExecutionResult, type GraphQLSchema, printSchema } from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";

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
    if (!isCompiledQuery(query)) return query; // a compile error, as graphql-js would report it
    return query.query(undefined, request.context, request.request.variables ?? {});
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
