// The label test files' shared fixture: a small simulated survey (400 objects) with 5 % of its
// catalogue classes made wrong on purpose, the objects whose class was made wrong (from its truth
// file), an empty migrated database and a MACNET_HOME for the CLI. Each file that calls
// useLabelledSurvey() gets its own database; the survey is the same (seed 21) in each.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrismaClient, type PrismaClient } from "@macnet/db";
import { simulateSurvey } from "@macnet/survey-sim";
import { selectBackend } from "@macnet/tfjs-native";
import { afterAll, beforeAll } from "vitest";
import { createMigratedTestDatabase, type TestDatabase } from "./database.ts";

export let database: TestDatabase;
export let prisma: PrismaClient;
export let survey: string;
export let env: Record<string, string>;
/** obsid → true class, for the objects whose catalogue class the simulator made wrong. */
export let planted: Map<string, string>;
export const OBJECTS = 400;

/** Registers the fixture's set-up and tear-down in the calling test file. */
export function useLabelledSurvey(): void {
  beforeAll(async () => {
    await selectBackend();
    survey = mkdtempSync(join(tmpdir(), "macnet-audit-sim-"));
    await simulateSurvey({ outDir: survey, objects: OBJECTS, seed: 21, plans: 1, labelNoise: 0.05, missingCutouts: 0 });
    const truthLines = readFileSync(join(survey, "truth.csv"), "utf8").trim().split("\n");
    const header = (truthLines[0] as string).split(",");
    const column = (name: string) => header.indexOf(name);
    planted = new Map(
      truthLines
        .slice(1)
        .map((line) => line.split(","))
        .filter((row) => row[column("label_flipped")] === "1")
        .map((row) => [row[column("obsid")] as string, row[column("true_class")] as string]),
    );
    database = await createMigratedTestDatabase();
    prisma = createPrismaClient(database.url);
    env = { DATABASE_URL: database.url, MACNET_HOME: mkdtempSync(join(tmpdir(), "macnet-audit-home-")) };
  }, 300_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.dispose();
  });
}
