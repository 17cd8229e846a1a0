// The executable schema: every module's SDL and resolvers merged.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { GraphQLScalarType, Kind } from "graphql";
import type { Resolvers } from "./generated/resolvers-types.ts";
import { auditsResolvers } from "./modules/audits/resolvers.ts";
import { authResolvers } from "./modules/auth/resolvers.ts";
import { datasetsResolvers } from "./modules/datasets/resolvers.ts";
import { jobsResolvers } from "./modules/jobs/resolvers.ts";
import { modelsResolvers } from "./modules/models/resolvers.ts";
import { objectsResolvers } from "./modules/objects/resolvers.ts";
import { reviewsResolvers } from "./modules/reviews/resolvers.ts";

const modulesDir = join(dirname(fileURLToPath(import.meta.url)), "modules");

/** Every module's SDL, in a stable order. */
export function readTypeDefs(): string[] {
  return readdirSync(modulesDir)
    .sort()
    .flatMap((module) =>
      readdirSync(join(modulesDir, module))
        .filter((file) => file.endsWith(".graphql"))
        .map((file) => readFileSync(join(modulesDir, module, file), "utf8")),
    );
}

const DateTime = new GraphQLScalarType({
  name: "DateTime",
  description: "ISO-8601 date and time.",
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => new Date(String(value)),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : null),
});

const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  description: "Arbitrary JSON (job parameters, results, progress detail).",
  serialize: (value) => value,
  parseValue: (value) => value,
});

function merge(...parts: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part)) merged[type] = { ...merged[type], ...(fields as object) };
  }
  return merged as Resolvers;
}

export function buildSchema() {
  return makeExecutableSchema({
    typeDefs: readTypeDefs(),
    resolvers: [
      { DateTime, JSON: JSONScalar },
      merge(
        auditsResolvers,
        authResolvers,
        objectsResolvers,
        datasetsResolvers,
        modelsResolvers,
        jobsResolvers,
        reviewsResolvers,
      ),
    ] as never,
  });
}
