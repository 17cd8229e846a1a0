import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The project's migrations. */
export const migrationsDir = resolve(repoRoot, "prisma/migrations");
/** The CLI entry point, as `npx macnet` runs it. */
export const cliEntry = resolve(repoRoot, "apps/cli/bin/macnet.mjs");

/**
 * The real survey files beside the repository (`../shared/data/real`; a user's clone has none).
 * MACNET_TEST_REAL_DATA names another folder (a folder that does not exist: a fresh clone).
 */
export const realDataRoot = resolve(repoRoot, process.env.MACNET_TEST_REAL_DATA ?? "../shared/data/real");
export const hasRealData = existsSync(realDataRoot);

/** Why a real-data test does not run here, in one line naming the folder. */
const missing = `needs the real sample files in ${realDataRoot}, which this checkout does not have`;
/** CI sets MACNET_REQUIRE_REAL_DATA=1: there a real-data test that cannot run fails instead of skipping. */
const required = process.env.MACNET_REQUIRE_REAL_DATA === "1";

/**
 * `it` for a test that reads the real sample files: where they are absent it is skipped with a title
 * that says why (or fails, where MACNET_REQUIRE_REAL_DATA=1).
 */
export function itWithRealData(name: string, fn: () => unknown, timeout?: number): void {
  if (hasRealData) it(name, fn, timeout);
  else if (required)
    it(name, () => {
      throw new Error(`${name}: ${missing} (MACNET_REQUIRE_REAL_DATA=1)`);
    });
  else it.skip(`${name} — skipped: ${missing}`, fn);
}

/** `describe` for a block whose tests (and hooks) read the real sample files: as itWithRealData. */
export function describeWithRealData(name: string, fn: () => void): void {
  if (hasRealData) describe(name, fn);
  else if (required)
    describe(name, () => {
      it("has the real sample files", () => {
        throw new Error(`${name}: ${missing} (MACNET_REQUIRE_REAL_DATA=1)`);
      });
    });
  else describe.skip(`${name} — skipped: ${missing}`, fn);
}
