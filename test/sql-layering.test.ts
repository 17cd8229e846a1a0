import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/paths.ts";

// Issue #34: one named place talks SQL. `@macnet/db` owns the connections: `client.ts` makes the
// Prisma clients, `sql.ts` the plain connections, pools and COPY streams every other package,
// the API, the benchmarks and these tests use. A new `import pg from "pg"` elsewhere fails here.
const ROOTS = ["apps", "packages", "bench", "scripts", "test"];
const SKIP = new Set(["node_modules", "generated", ".next", "build", "dist"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name) || entry.name.startsWith(".")) return []; // .bundle etc.: built output
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Source files (this one aside) whose text matches `pattern`. */
function importersOf(pattern: RegExp): string[] {
  return ROOTS.flatMap((root) => sourceFiles(join(repoRoot, root)))
    .filter((file) => file !== fileURLToPath(import.meta.url))
    .filter((file) => pattern.test(readFileSync(file, "utf8")))
    .map((file) => relative(repoRoot, file))
    .sort();
}

describe("where the project talks SQL", () => {
  it("only @macnet/db/sql imports the PostgreSQL driver and its COPY streams", () => {
    expect(importersOf(/(from\s+|import\(|require\()["'](pg|pg-copy-streams)["']/)).toEqual(["packages/db/src/sql.ts"]);
  });

  it("only @macnet/db's client module makes Prisma clients", () => {
    expect(importersOf(/["']@prisma\/adapter-pg["']|new PrismaClient\(/)).toEqual(["packages/db/src/client.ts"]);
  });
});
