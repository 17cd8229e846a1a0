import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiServer, buildSchema, parseApiEnv, startApiServer } from "@macnet/api";
import { lcg as seededRandom } from "@macnet/core";
import { createPrismaClient, createUser, type ObjectClass, type PrismaClient } from "@macnet/db";
import { newConnection } from "@macnet/db/sql";
import { ingestPaths } from "@macnet/ingest";
import { createDataset } from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import {
  type GraphQLCompositeType,
  type GraphQLField,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { CLASS_ORDER, createScoredModel } from "../helpers/seed-models.ts";

// The cost estimate against what the resolvers really return: operations generated from the schema
// (aliases, named and inline fragments, size arguments as literals, variables, variable defaults or
// left out) run on a server whose limits let everything through; the estimate each answer carries
// (extensions.cost), in kilobytes, must never be below the answer's bytes. Then the limits that keep one caller from starving the others.

let database: TestDatabase;
let prisma: PrismaClient;
let open: ApiServer;
let guarded: ApiServer;
const keys = { ADMIN: "", COLLABORATOR: "" };
const ids = { object: 0, model: 0, model2: 0, dataset: 0 };

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: generated operations have any shape
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cost?: { estimated: number; limit: number } };
  bytes: number;
}

async function http(server: ApiServer, query: string, variables: unknown, key: string): Promise<Answer> {
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, bytes: Buffer.byteLength(text), ...(JSON.parse(text) as object) };
}

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  const survey = mkdtempSync(join(tmpdir(), "macnet-cost-sim-"));
  await simulateSurvey({ outDir: survey, objects: 24, seed: 5, plans: 1, fibresPerSpectrograph: 24 });
  await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "sim" });
  // Enough plain objects to fill the largest pages and make the sky map's arrays weigh.
  await prisma.celestialObject.createMany({
    data: Array.from({ length: 3000 }, (_, i) => ({
      raDeg: (i * 0.11) % 360,
      decDeg: ((i * 0.07) % 170) - 85,
      source: "plain",
      catalogClass: CLASS_ORDER[i % 3] as ObjectClass,
    })),
  });
  ids.dataset = (await createDataset(prisma, { name: "cost", seed: 2, ratios: [6, 2, 2] })).id;
  const objects = await prisma.celestialObject.findMany({ orderBy: { id: "asc" } });
  ids.object = objects[0]?.id ?? 0;
  for (const m of [0, 1]) {
    const id = await createScoredModel(prisma, {
      name: `cost-${m}`,
      architecture: "MAC_NET",
      datasetId: ids.dataset,
      parameterCount: 1000,
      objects,
      predict: (_o, i) => [CLASS_ORDER[(i + m) % 3] as ObjectClass, 0.4 + ((i * 37) % 50) / 100],
      evaluation: {
        accuracy: 0.6,
        confusionMatrix: [5, 1, 0, 1, 4, 1, 0, 2, 6],
        inferenceMsPerObject: 3,
        objectCount: 20,
        metric: () => ({ precision: 0.5, recall: 0.6, f1: 0.55, support: 7 }),
      },
    });
    if (m === 0) ids.model = id;
    else ids.model2 = id;
  }
  for (const role of ["ADMIN", "COLLABORATOR"] as const)
    keys[role] = (await createUser({ prisma, input: { name: `cost-${role.toLowerCase()}`, role } })).apiKey;
  const unlimited = {
    MACNET_API_LOG: "0",
    MACNET_API_MAX_COST: String(1e12),
    MACNET_API_MAX_ALIASES: "1000",
    MACNET_API_MAX_DEPTH: "40",
  };
  open = await startApiServer({ prisma, databaseUrl: database.url, config: parseApiEnv(unlimited), port: 0 });
  guarded = await startApiServer({
    prisma,
    databaseUrl: database.url,
    config: parseApiEnv({ MACNET_API_LOG: "0", NODE_ENV: "production" }),
    port: 0,
  });
}, 300_000);

afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await prisma?.$disconnect();
  await database?.dispose();
});

const schema = buildSchema();

/** Random operations over the schema's read side, with arguments the resolvers accept. */
function generator(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let counter = 0;
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const fragments: string[] = [];

  /** A size argument as a literal, a variable (given, defaulted or left out), or nothing. */
  const sizeArgument = (name: string, max: number): string => {
    const value = 1 + Math.floor(random() * max);
    const variable = `v${counter++}`;
    switch (pick(["literal", "given", "null", "default", "absent", "none"])) {
      case "literal":
        return `${name}: ${value}`;
      case "given":
        definitions.push(`$${variable}: Int`);
        variables[variable] = value;
        return `${name}: $${variable}`;
      case "null":
        definitions.push(`$${variable}: Int`);
        variables[variable] = null;
        return `${name}: $${variable}`;
      case "default":
        definitions.push(`$${variable}: Int = ${value}`);
        return `${name}: $${variable}`;
      case "absent":
        definitions.push(`$${variable}: Int`);
        return `${name}: $${variable}`;
      default:
        return "";
    }
  };
  const argumentsOf = (parent: string, field: GraphQLField<unknown, unknown>): string | null => {
    const key = `${parent}.${field.name}`;
    const parts: string[] = [];
    if (key === "Query.objects") parts.push(sizeArgument("first", 200));
    else if (key === "Query.jobs") parts.push(sizeArgument("first", 200));
    else if (key === "Query.skyMap") parts.push(sizeArgument("limit", 500_000));
    else if (key === "LabelAudit.entries") parts.push(sizeArgument("limit", 500));
    else if (key === "Query.object") parts.push(`id: ${ids.object}`);
    else if (key === "Query.model") parts.push(`id: ${ids.model}`);
    else if (key === "Query.dataset") parts.push(`id: ${ids.dataset}`);
    else if (key === "Query.compareModels") parts.push(`ids: [${ids.model}, ${ids.model2}]`);
    else if (key.endsWith(".predictions") || key.endsWith(".activationMaps")) {
      if (random() < 0.5) parts.push(`modelId: ${ids.model}`);
    } else if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) return null;
    const text = parts.filter(Boolean).join(", ");
    return text ? `(${text})` : "";
  };
  /** Fields at random, down to depth 4. */
  const selection = (type: GraphQLCompositeType, depth: number): string => {
    if (!isObjectType(type) && !isInterfaceType(type)) return "__typename";
    const fields = Object.values(type.getFields()).filter((f) => !f.name.startsWith("__"));
    const chosen: string[] = [];
    for (const field of fields) {
      if (random() > (depth === 0 ? 0.35 : 0.5)) continue;
      const args = argumentsOf(type.name, field);
      if (args === null) continue;
      const named = getNamedType(field.type);
      const alias = random() < 0.2 ? `a${counter++}: ` : "";
      if (isLeafType(named)) chosen.push(`${alias}${field.name}${args}`);
      else if (isCompositeType(named) && depth < 4) {
        let inner = selection(named, depth + 1);
        const wrap = random();
        if (wrap < 0.2) {
          const name = `F${counter++}`;
          fragments.push(`fragment ${name} on ${named.name} { ${inner} }`);
          inner = `...${name}`;
        } else if (wrap < 0.35) inner = `... on ${named.name} { ${inner} }`;
        chosen.push(`${alias}${field.name}${args} { ${inner} }`);
        // The same field again under an alias, with arguments of its own.
        if (depth === 0 && random() < 0.3)
          chosen.push(
            `b${counter++}: ${field.name}${argumentsOf(type.name, field)} { ${selection(named, depth + 1)} }`,
          );
      }
    }
    return chosen.length > 0 ? chosen.join(" ") : "__typename";
  };
  /** One path from the root to a leaf, each step with its arguments, some wrapped in fragments. */
  const chainOf = (path: readonly Step[]): string => {
    const [step, ...rest] = path;
    if (!step) return "";
    const args = argumentsOf(step.parent, step.field) ?? "";
    const alias = random() < 0.2 ? `a${counter++}: ` : "";
    if (rest.length === 0) return `${alias}${step.field.name}${args}`;
    let inner = chainOf(rest);
    const type = getNamedType(step.field.type).name;
    const wrap = random();
    if (wrap < 0.2) {
      const name = `F${counter++}`;
      fragments.push(`fragment ${name} on ${type} { ${inner} }`);
      inner = `...${name}`;
    } else if (wrap < 0.35) inner = `... on ${type} { ${inner} }`;
    return `${alias}${step.field.name}${args} { ${inner} }`;
  };
  const operation = (body: () => string) => {
    counter = 0;
    for (const key of Object.keys(variables)) delete variables[key];
    definitions.length = 0;
    fragments.length = 0;
    const text = body();
    const head = definitions.length > 0 ? `query (${definitions.join(", ")})` : "query";
    return { query: `${head} { ${text} } ${fragments.join(" ")}`, variables: { ...variables } };
  };
  return {
    broad: () => operation(() => selection(schema.getQueryType() as GraphQLCompositeType, 0)),
    chain: (path: readonly Step[]) => operation(() => chainOf(path)),
    /** Every path from the root to a leaf of at most 6 fields, no type twice (the estimate's terms one by one). */
    paths: (): Step[][] => {
      const all: Step[][] = [];
      const walk = (type: GraphQLCompositeType, path: Step[], seen: Set<string>) => {
        if (!isObjectType(type)) return;
        for (const field of Object.values(type.getFields())) {
          if (argumentsOf(type.name, field) === null) continue;
          const step = { parent: type.name, field };
          const named = getNamedType(field.type);
          if (isLeafType(named)) all.push([...path, step]);
          else if (isObjectType(named) && path.length < 5 && !seen.has(named.name))
            walk(named, [...path, step], new Set([...seen, named.name]));
        }
      };
      walk(schema.getQueryType() as GraphQLCompositeType, [], new Set(["Query"]));
      return all;
    },
  };
}

interface Step {
  parent: string;
  field: GraphQLField<unknown, unknown>;
}

describe("the cost estimate against the answers", () => {
  const check = async (operation: { query: string; variables: Record<string, unknown> }) => {
    const answer = await http(open, operation.query, operation.variables, keys.ADMIN);
    expect(answer.errors ?? [], operation.query).toEqual([]);
    const estimated = answer.extensions?.cost?.estimated ?? expect.unreachable("no cost extension");
    expect(answer.bytes, operation.query).toBeLessThanOrEqual(estimated * 1024);
    return answer.bytes;
  };

  it("is never below what any path from the root to a leaf fetches", async () => {
    const generate = generator(29);
    const paths = generate.paths();
    expect(paths.length).toBeGreaterThan(1000);
    let largest = 0;
    for (const path of paths) largest = Math.max(largest, await check(generate.chain(path)));
    // The paths reach the pixel arrays.
    expect(largest).toBeGreaterThan(100_000);
  });

  it("is never below what generated operations of many fields, aliases and fragments fetch", async () => {
    const generate = generator(31);
    for (let i = 0; i < 60; i++) await check(generate.broad());
  });
});

describe("limits that keep one caller from starving the others", () => {
  const strips = "edges { node { strips { valuesBase64 wavelengthAngstrom } } }";

  it("refuses the reported operations: pages without `first`, variable defaults, aliased sky maps", async () => {
    const four = `{ ${[1, 2, 3, 4].map((i) => `a${i}: objects { ${strips} }`).join(" ")} }`;
    const refused = await http(guarded, four, {}, keys.COLLABORATOR);
    expect([refused.status, refused.errors?.[0]?.extensions?.code]).toEqual([400, "QUERY_TOO_COSTLY"]);
    const viaDefault = await http(
      guarded,
      `query ($n: Int = 200) { objects(first: $n) { ${strips} } }`,
      {},
      keys.COLLABORATOR,
    );
    expect(viaDefault.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
    const sky = `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: skyMap(limit: 500000) { count }`).join(" ")} }`;
    expect((await http(guarded, sky, {}, keys.COLLABORATOR)).errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
    // What fits is answered, with its estimate.
    const page = await http(guarded, `{ objects(first: 5) { ${strips} } }`, {}, keys.COLLABORATOR);
    expect(page.errors).toBeUndefined();
    expect(page.extensions?.cost).toMatchObject({ limit: 50_000 });
  });

  it("lets one key run four operations at once, refuses its fifth, and answers another key meanwhile", async () => {
    // The objects table is locked, so the key's operations wait inside the server until it is released.
    const locker = newConnection(database.url);
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE celestial_object IN ACCESS EXCLUSIVE MODE");
      const waiting = [1, 2, 3, 4].map(() =>
        http(guarded, "{ objects(first: 5) { totalCount } }", {}, keys.COLLABORATOR),
      );
      // Until all four wait on the lock (they are admitted before they read).
      for (let i = 0; i < 600; i++) {
        const { rows } = await locker.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'celestial_object'::regclass AND NOT granted",
        );
        if ((rows[0]?.n ?? 0) >= 4) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const fifth = await http(guarded, "{ objects(first: 5) { totalCount } }", {}, keys.COLLABORATOR);
      expect([fifth.status, fifth.errors?.[0]?.extensions?.code]).toEqual([429, "TOO_MANY_REQUESTS"]);
      const other = await http(guarded, "{ me { name } }", {}, keys.ADMIN);
      expect(other.data).toEqual({ me: { name: "cost-admin" } });
      await locker.query("COMMIT");
      for (const answer of await Promise.all(waiting)) expect(answer.errors).toBeUndefined();
      // Their admissions were given back: the key runs operations again.
      expect(
        (await http(guarded, "{ objects(first: 5) { totalCount } }", {}, keys.COLLABORATOR)).errors,
      ).toBeUndefined();
    } finally {
      await locker.end();
    }
  });
});
