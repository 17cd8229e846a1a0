import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The project's migrations. */
export const migrationsDir = resolve(repoRoot, "prisma/migrations");
/** The CLI entry point, as `npx macnet` runs it. */
export const cliEntry = resolve(repoRoot, "apps/cli/bin/macnet.mjs");

/** The real survey files beside the repository (`../shared/data/real`; a user's clone has none). */
export const realDataRoot = resolve(repoRoot, "../shared/data/real");
