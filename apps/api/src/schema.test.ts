import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findBreakingChanges, lexicographicSortSchema, buildSchema as parseSdl, printSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { buildSchema } from "./schema.ts";

const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const published = (file: string) => parseSdl(readFileSync(join(apiDir, file), "utf8"));
const printed = (schema: ReturnType<typeof parseSdl>) => printSchema(lexicographicSortSchema(schema));

describe("the published schema", () => {
  it("is what the modules define (run `npm run generate -w apps/api` after changing an SDL file)", () => {
    expect(printed(buildSchema())).toBe(printed(published("schema.graphql")));
  });

  it("has no breaking change against the released schema (update schema.released.graphql only on purpose)", () => {
    const breaking = findBreakingChanges(published("schema.released.graphql"), buildSchema());
    expect(breaking.map((change) => `${change.type}: ${change.description}`)).toEqual([]);
  });
});
