// The IVOA test files' shared fixture: an API server (and a second one that serves anonymous
// callers), users and keys, a field of objects with two models' predictions in a dataset, and
// 100 000 bulk objects for the streaming exports; pyvo/astropy read through test/helpers/vo_client.py.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type ApiServer, parseApiEnv, startApiServer } from "@macnet/api";
import { lcg as seededRandom } from "@macnet/core";
import { createPrismaClient, createUser, type ObjectClass, type PrismaClient } from "@macnet/db";
import { afterAll, beforeAll } from "vitest";
import { createMigratedTestDatabase, queryRows, type TestDatabase } from "./database.ts";
import { repoRoot } from "./paths.ts";
import { CLASS_ORDER, createScoredModel } from "./seed-models.ts";

export const execFileAsync = promisify(execFile);
export const PYTHON = "/usr/bin/python3";
export const VO_CLIENT = join(repoRoot, "test/helpers/vo_client.py");
export const BULK = 100_000;

export let database: TestDatabase;
export let prisma: PrismaClient;
export let server: ApiServer;
export let publicServer: ApiServer;
export let apiKey = "";
export let collaboratorKey = "";
export let modelA: number;
export let modelB: number;
export let datasetId: number;
export const work = mkdtempSync(join(tmpdir(), "macnet-ivoa-"));

// biome-ignore lint/suspicious/noExplicitAny: each command's JSON has its own shape; tests name what they read
export async function vo(args: string[], env: Record<string, string> = {}): Promise<any> {
  const { stdout } = await execFileAsync(PYTHON, [VO_CLIENT, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 ** 2,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string);
}

export const base = (s: ApiServer = server) => s.url.replace(/\/graphql$/, "");

export async function gql(query: string, variables: Record<string, unknown>) {
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as never;
}

export interface GqlObject {
  id: string;
  raDeg: number;
  decDeg: number;
  catalogueClass: ObjectClass | null;
  redshift: number | null;
  designation: string | null;
  predictions: { predictedClass: ObjectClass; probGalaxy: number; probQso: number; probStar: number }[];
}

/** Every object GraphQL returns for a filter, all pages, with one model's predictions. */
export async function graphqlObjects(filter: Record<string, unknown>, modelId: number): Promise<GqlObject[]> {
  const all: GqlObject[] = [];
  let after: string | null = null;
  for (;;) {
    const data: { objects: { edges: { node: GqlObject }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } =
      await gql(
        `query($filter: ObjectFilter, $after: String, $modelId: ID) {
          objects(filter: $filter, first: 200, after: $after) {
            edges { node { id raDeg decDeg catalogueClass redshift designation
              predictions(modelId: $modelId) { predictedClass probGalaxy probQso probStar } } }
            pageInfo { hasNextPage endCursor } } }`,
        { filter, after, modelId: String(modelId) },
      );
    all.push(...data.objects.edges.map((edge) => edge.node));
    if (!data.objects.pageInfo.hasNextPage) return all;
    after = data.objects.pageInfo.endCursor;
  }
}

/** Registers the fixture's set-up and tear-down in the calling test file. */
export function useIvoaFixture(): void {
  beforeAll(async () => {
    database = await createMigratedTestDatabase();
    prisma = createPrismaClient(database.url);
    apiKey = (await createUser({ prisma, input: { name: "astronomer", role: "SCIENTIST", password: "scientist-pw" } }))
      .apiKey;
    collaboratorKey = (
      await createUser({ prisma, input: { name: "collaborator", role: "COLLABORATOR", password: "collab-pw" } })
    ).apiKey;
    // A field around (150, 2), a cluster straddling RA 0, and objects without a position.
    const next = seededRandom(11);
    const data = [];
    for (let i = 0; i < 240; i++) {
      const inField = i < 160;
      data.push({
        raDeg: inField ? 150 + (next() - 0.5) * 6 : (360 + (next() - 0.5) * 4) % 360,
        decDeg: inField ? 2 + (next() - 0.5) * 6 : -5 + (next() - 0.5) * 4,
        catalogClass: i % 10 === 9 ? null : (CLASS_ORDER[i % 3] as ObjectClass),
        redshift: i % 3 === 2 ? null : Number((next() * 3).toFixed(4)),
        designation: i % 7 === 0 ? `J${i} "quoted", <tag> & ünïcode` : `J${String(i).padStart(6, "0")}+020000`,
        obsid: i % 4 === 0 ? BigInt(900_000_000_000 + i) : null,
        source: "field",
      });
    }
    data.push({ raDeg: null, decDeg: null, catalogClass: "STAR" as ObjectClass, source: "field" });
    await prisma.celestialObject.createMany({ data });
    const objects = await prisma.celestialObject.findMany({ where: { source: "field" }, orderBy: { id: "asc" } });
    const dataset = await prisma.dataset.create({
      data: {
        name: "ivoa",
        seed: 1,
        ratioTrain: 0.6,
        ratioVal: 0.2,
        ratioTest: 0.2,
        blueWindowStart: 0,
        blueWindowEnd: 1,
        redWindowStart: 0,
        redWindowEnd: 1,
      },
    });
    datasetId = dataset.id;
    await prisma.datasetMember.createMany({
      data: objects.map((o, i) => ({
        datasetId,
        objectId: o.id,
        split: (["TRAIN", "TRAIN", "TRAIN", "VAL", "TEST"] as const)[i % 5] as "TRAIN",
      })),
    });
    for (const [m, name] of ["scs-à, ünïcode", "scs-b"].entries()) {
      const id = await createScoredModel(prisma, {
        name,
        architecture: "MAC_NET",
        datasetId,
        parameterCount: 1000,
        objects,
        predict: (_o, i) => [CLASS_ORDER[(i + m) % 3] as ObjectClass, 0.4 + ((i * 13) % 50) / 100],
        evaluation: {
          accuracy: 0.7 + m / 10,
          confusionMatrix: [1, 0, 0, 0, 1, 0, 0, 0, 1],
          inferenceMsPerObject: 1,
          objectCount: 3,
          metric: () => ({ precision: 1, recall: 1, f1: 1, support: 1 }),
        },
      });
      if (m === 0) modelA = id;
      else modelB = id;
    }
    // 100 000 objects far from the field, for the streamed exports.
    await queryRows(
      database.url,
      `INSERT INTO celestial_object (ra_deg, dec_deg, source, catalog_class, designation, redshift, updated_at)
       SELECT 200 + (g % 1000) / 100.0, -40 - (g / 1000) / 100.0, 'bulk', 'STAR', 'B' || g, g / 1e6, now()
       FROM generate_series(1, ${BULK}) g`,
    );
    server = await startApiServer({
      prisma,
      databaseUrl: database.url,
      config: parseApiEnv({ MACNET_API_LOG: "0" }),
      port: 0,
    });
    publicServer = await startApiServer({
      prisma,
      databaseUrl: database.url,
      config: parseApiEnv({ MACNET_API_LOG: "0", MACNET_SCS_PUBLIC: "1", MACNET_SCS_MAX_RECORDS: "25" }),
      port: 0,
    });
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await publicServer?.close();
    await prisma?.$disconnect();
    await database?.dispose();
  });
}
