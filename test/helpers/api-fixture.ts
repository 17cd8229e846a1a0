// The API test files' shared fixture: a running API server on a real PostgreSQL, with users of each
// role and their keys, 36 ingested simulated objects in a dataset, objects placed on the sky for the
// cone search (clusters across RA 0/360, both poles, a zone boundary), and two models' predictions.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiServer, parseApiEnv, startApiServer } from "@macnet/api";
import { lcg as seededRandom } from "@macnet/core";
import { createPrismaClient, createUser, type ObjectClass, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import { createDataset } from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import { afterAll, beforeAll } from "vitest";
import { createMigratedTestDatabase, type TestDatabase } from "./database.ts";
import { CLASS_ORDER, createScoredModel } from "./seed-models.ts";

export let database: TestDatabase;
export let prisma: PrismaClient;
export let server: ApiServer;
export let datasetId: number;
export let modelA: number;
export let modelB: number;
export const queries: string[] = [];
export const keys: Record<"ADMIN" | "SCIENTIST" | "COLLABORATOR", string> = {
  ADMIN: "",
  SCIENTIST: "",
  COLLABORATOR: "",
};
export const conePoints: { id: number; ra: number; dec: number }[] = [];

export interface Response {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response shapes differ per operation; each test names what it reads
  data?: any;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

export async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  auth: { key?: string; cookie?: string } = { key: keys.ADMIN },
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth.key) headers.authorization = `Bearer ${auth.key}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const response = await fetch(server.url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

export const codes = (r: Response) => (r.errors ?? []).map((e) => e.extensions?.code);

/** Registers the fixture's set-up and tear-down in the calling test file. */
export function useApiFixture(): void {
  beforeAll(async () => {
    database = await createMigratedTestDatabase();
    prisma = createPrismaClient(database.url);
    const survey = mkdtempSync(join(tmpdir(), "macnet-api-sim-"));
    await simulateSurvey({ outDir: survey, objects: 36, seed: 21, plans: 1, fibresPerSpectrograph: 36 });
    await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "sim" });
    datasetId = (await createDataset(prisma, { name: "api", seed: 4, ratios: [6, 2, 2] })).id;
    for (const role of ["ADMIN", "SCIENTIST", "COLLABORATOR"] as const) {
      const user = await createUser({
        prisma,
        input: { name: role.toLowerCase(), role, password: `${role}-password` },
      });
      keys[role] = user.apiKey;
    }
    // Objects on the sky: clusters around RA 0/360, both poles, and a scatter.
    const next = seededRandom(7);
    const positions: [number, number][] = [];
    for (let i = 0; i < 120; i++) positions.push([(360 + (next() - 0.5) * 3) % 360, 10 + (next() - 0.5) * 3]);
    for (let i = 0; i < 80; i++) positions.push([next() * 360, 89 + next()]);
    for (let i = 0; i < 80; i++) positions.push([next() * 360, -89 - next()]);
    for (let i = 0; i < 120; i++) positions.push([next() * 360, (next() - 0.5) * 170]);
    // A tight cluster across the boundary of two declination zones (the index's strips of 0.1°).
    for (let i = 0; i < 60; i++) positions.push([45 + (next() - 0.5) * 0.02, 20 + (next() - 0.5) * 0.02]);
    for (const [ra, dec] of positions) {
      const o = await prisma.celestialObject.create({
        data: { raDeg: ra, decDeg: dec, source: "sky", catalogClass: "STAR" },
      });
      conePoints.push({ id: o.id, ra, dec });
    }
    // Two models with predictions for the simulated objects and evaluations to compare.
    const objects = await prisma.celestialObject.findMany({ where: { source: "sim" }, orderBy: { id: "asc" } });
    for (const [m, name] of ["model-a", "model-b"].entries()) {
      const id = await createScoredModel(prisma, {
        name,
        architecture: "MAC_NET",
        datasetId,
        parameterCount: 1000 + m,
        objects,
        predict: (_o, i) => [CLASS_ORDER[(i + m) % 3] as ObjectClass, 0.34 + ((i * 37) % 60) / 100],
        evaluation: {
          accuracy: 0.5 + m / 10,
          confusionMatrix: m === 0 ? [5, 1, 0, 1, 4, 1, 0, 2, 6] : [6, 0, 0, 1, 5, 0, 0, 1, 7],
          inferenceMsPerObject: 3 + m,
          objectCount: 20,
          metric: () => ({ precision: 0.5, recall: 0.6, f1: 0.55, support: 7 }),
        },
      });
      if (m === 0) modelA = id;
      else modelB = id;
    }
    const countingPrisma = createPrismaClient(database.url, { onQuery: (sql) => queries.push(sql) });
    server = await startApiServer({
      prisma: countingPrisma,
      databaseUrl: database.url,
      config: parseApiEnv({ MACNET_API_LOG: "0" }),
      port: 0,
      onQuery: (sql) => queries.push(sql),
    });
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await prisma?.$disconnect();
    await database?.dispose();
  });
}
