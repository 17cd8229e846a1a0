import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is apps/cli/src/paths.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where the Prisma migrations live. */
export const defaultMigrationsDir = resolve(repoRoot, "prisma/migrations");

/** The CLI's entry point (what `npx macnet` runs), for benchmarks that start servers. */
export const cliEntry = resolve(repoRoot, "apps/cli/bin/macnet.mjs");
