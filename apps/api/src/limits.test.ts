import {
  getNamedType,
  getOperationAST,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { describe, expect, it } from "vitest";
import { boundedListFields, estimateOperation, type ListSizes, limitError } from "./limits.ts";
import { buildSchema } from "./schema.ts";

const schema = buildSchema();
const limits = { maxDepth: 12, maxAliases: 30, maxCost: 50_000 };
const sizes: ListSizes = {
  models: 20,
  datasets: 20,
  apiKeys: 20,
  labelAudits: 20,
  epochsPerJob: 300,
  mapsPerObject: 20,
};

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  expect(validate(schema, document, specifiedRules)).toEqual([]);
  const operation = getOperationAST(document) ?? expect.unreachable();
  return estimateOperation({ schema, document, operation, variables, limits, sizes }).cost;
}

const strips = "edges { node { strips { valuesBase64 } } }";

describe("the cost estimate", () => {
  it("counts a page by the size the resolver will use: literal, variable, variable default, schema default", () => {
    const fifty = cost(`{ objects(first: 50) { ${strips} } }`);
    expect(cost(`{ objects { ${strips} } }`)).toBe(fifty);
    expect(cost(`query ($n: Int = 50) { objects(first: $n) { ${strips} } }`)).toBe(fifty);
    expect(cost(`query ($n: Int) { objects(first: $n) { ${strips} } }`, { n: 50 })).toBe(fifty);
    // A variable left out without a default leaves the argument out: the schema's default.
    expect(cost(`query ($n: Int) { objects(first: $n) { ${strips} } }`)).toBe(fifty);
    // Null: the resolver's default.
    expect(cost(`query ($n: Int) { objects(first: $n) { ${strips} } }`, { n: null })).toBe(fifty);
    // A value over the resolver's maximum is refused by it, so it costs no more than the maximum.
    const max = cost(`{ objects(first: 200) { ${strips} } }`);
    expect(max).toBeGreaterThan(3.9 * fifty);
    expect(cost(`query ($n: Int = 200) { objects(first: $n) { ${strips} } }`)).toBe(max);
    expect(cost(`query ($n: Int) { objects(first: $n) { ${strips} } }`, { n: 1e9 })).toBe(max);
    expect(cost(`{ objects(first: 10) { ${strips} } }`)).toBeLessThan(fifty / 4);
  });

  it("refuses the reported attack: strips of objects without `first`, under four aliases", () => {
    const four = `{ ${[1, 2, 3, 4].map((i) => `a${i}: objects { ${strips} }`).join(" ")} }`;
    const document = parse(four);
    const operation = getOperationAST(document) ?? expect.unreachable();
    const estimate = estimateOperation({ schema, document, operation, variables: {}, limits, sizes });
    expect(limitError(estimate, limits)?.extensions.code).toBe("QUERY_TOO_COSTLY");
    // The same through a fragment and an inline fragment.
    const viaFragments = `query { a: objects { ...S } b: objects { ... on ObjectConnection { ...S } } }
      fragment S on ObjectConnection { ${strips} }`;
    expect(cost(viaFragments)).toBeCloseTo(2 * cost(`{ objects { ${strips} } }`), 0);
  });

  it("counts the sky map by its limit, whatever is selected of it", () => {
    const one = cost("{ skyMap(limit: 500000) { count } }");
    expect(one).toBeGreaterThan(10_000);
    expect(cost("{ skyMap { count } }")).toBeCloseTo(one / 5, -2);
    expect(cost("{ skyMap(limit: 500000) { count idsBase64 raDecBase64 classCodes } }")).toBeGreaterThan(one + 8000);
    const thirty = `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: skyMap(limit: 500000) { raDecBase64 }`).join(" ")} }`;
    expect(cost(thirty)).toBeGreaterThan(limits.maxCost);
  });

  it("counts lists without a size argument by what the database holds, and narrows them by modelId", () => {
    const all = cost("{ objects(first: 10) { edges { node { predictions { confidence } } } } }");
    const one = cost('{ objects(first: 10) { edges { node { predictions(modelId: "1") { confidence } } } } }');
    expect(all).toBeGreaterThan(5 * one);
    const document = parse("{ models { name } }");
    const operation = getOperationAST(document) ?? expect.unreachable();
    const many = { ...sizes, models: 2000 };
    expect(estimateOperation({ schema, document, operation, variables: {}, limits, sizes: many }).cost).toBeGreaterThan(
      2000,
    );
  });

  it("knows a bound for every list field of the schema", () => {
    const bounded = new Set(boundedListFields());
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        const unwrapped = isNonNullType(field.type) ? field.type.ofType : field.type;
        const key = `${type.name}.${field.name}`;
        if ((isListType(unwrapped) || key === "Query.skyMap") && !bounded.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
    expect(getNamedType(schema.getQueryType()?.getFields().objects?.type ?? expect.unreachable()).name).toBe(
      "ObjectConnection",
    );
  });
});
