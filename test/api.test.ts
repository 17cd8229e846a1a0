import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiServer, parseApiEnv, startApiServer } from "@macnet/api";
import { lcg as seededRandom, separationDeg } from "@macnet/core";
import { createPrismaClient, createUser, type ObjectClass, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import { createDataset } from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";
import { cliEntry, repoRoot } from "./helpers/paths.ts";
import { CLASS_ORDER, createScoredModel } from "./helpers/seed-models.ts";

// The GraphQL API as clients use it: real HTTP and WebSocket requests to a running server on a real
// PostgreSQL, with users of each role, ingested simulated objects, objects placed on the sky for the
// cone search, and a model's predictions.

let database: TestDatabase;
let prisma: PrismaClient;
let server: ApiServer;
let datasetId: number;
let modelA: number;
let modelB: number;
const queries: string[] = [];
const keys: Record<"ADMIN" | "SCIENTIST" | "COLLABORATOR", string> = { ADMIN: "", SCIENTIST: "", COLLABORATOR: "" };
const conePoints: { id: number; ra: number; dec: number }[] = [];

interface Response {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response shapes differ per operation; each test names what it reads
  data?: any;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

async function gql(
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

const codes = (r: Response) => (r.errors ?? []).map((e) => e.extensions?.code);

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  const survey = mkdtempSync(join(tmpdir(), "macnet-api-sim-"));
  await simulateSurvey({ outDir: survey, objects: 36, seed: 21, plans: 1, fibresPerSpectrograph: 36 });
  await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "sim" });
  datasetId = (await createDataset(prisma, { name: "api", seed: 4, ratios: [6, 2, 2] })).id;
  for (const role of ["ADMIN", "SCIENTIST", "COLLABORATOR"] as const) {
    const user = await createUser({ prisma, input: { name: role.toLowerCase(), role, password: `${role}-password` } });
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

describe("GraphQL API: authentication", () => {
  it("answers nothing but login to anonymous callers, and refuses bad or revoked keys", async () => {
    const anonymous = await gql("{ objects { totalCount } }", {}, {});
    expect(anonymous.status).toBe(401);
    expect(codes(anonymous)).toEqual(["UNAUTHENTICATED"]);
    expect((await gql("{ me { name } }", {}, {})).data).toEqual({ me: null });
    const introspection = await gql("{ __schema { types { name } } }", {}, {});
    expect(codes(introspection)).toEqual(["UNAUTHENTICATED"]);
    const bad = await gql("{ me { name } }", {}, { key: "mk_nope" });
    expect(bad.status).toBe(401);
    expect(codes(bad)).toEqual(["UNAUTHENTICATED"]);

    const issued = await gql(
      'mutation { createApiKey(label: "script") { secret apiKey { id prefix } } }',
      {},
      {
        key: keys.SCIENTIST,
      },
    );
    const { secret, apiKey } = (issued.data as { createApiKey: { secret: string; apiKey: { id: string } } })
      .createApiKey;
    expect((await gql("{ me { name role } }", {}, { key: secret })).data).toEqual({
      me: { name: "scientist", role: "SCIENTIST" },
    });
    const revoked = await gql(
      `mutation { revokeApiKey(id: "${apiKey.id}") { apiKey { revokedAt } } }`,
      {},
      { key: secret },
    );
    expect(
      (revoked.data as { revokeApiKey: { apiKey: { revokedAt: string } } }).revokeApiKey.apiKey.revokedAt,
    ).toBeTruthy();
    expect(codes(await gql("{ me { name } }", {}, { key: secret }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("signs in with a password into an http-only session cookie, and signs out", async () => {
    const wrong = await gql(
      'mutation { login(name: "admin", password: "nope") { user { name } error { code } } }',
      {},
      {},
    );
    expect(wrong.data).toEqual({ login: { user: null, error: { code: "LOGIN_FAILED" } } });
    const login = await gql(
      'mutation { login(name: "admin", password: "ADMIN-password") { user { name role } } }',
      {},
      {},
    );
    expect(login.data).toEqual({ login: { user: { name: "admin", role: "ADMIN" } } });
    const setCookie = login.headers.get("set-cookie") as string;
    expect(setCookie).toMatch(/^macnet_session=[\w-]+; .*HttpOnly; SameSite=Lax/);
    const cookie = setCookie.split(";")[0] as string;
    expect((await gql("{ me { name } }", {}, { cookie })).data).toEqual({ me: { name: "admin" } });
    const logout = await gql("mutation { logout }", {}, { cookie });
    expect(logout.data).toEqual({ logout: true });
    expect(logout.headers.get("set-cookie")).toMatch(
      /^macnet_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly/,
    );
    expect(codes(await gql("{ datasets { id } }", {}, { cookie }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("lets only admins run mutations that change things: each role × each mutation", async () => {
    const mutations: Record<string, string> = {
      createDataset: 'mutation { createDataset(input: { name: "role-check" }) { dataset { id } error { code } } }',
      launchTraining:
        'mutation { launchTraining(input: { architecture: C_NET, datasetId: "999999" }) { job { id } error { code field } } }',
      launchClassification:
        'mutation { launchClassification(input: { modelId: "999999" }) { job { id } error { code field } } }',
      launchEvaluation: 'mutation { launchEvaluation(input: { modelId: "999999" }) { job { id } error { code } } }',
      launchIntervalSweep:
        'mutation { launchIntervalSweep(input: { datasetId: "999999" }) { job { id } error { code } } }',
      cancelJob: 'mutation { cancelJob(id: "999999") { job { id } error { code } } }',
      createApiKeyForOther: 'mutation { createApiKey(userName: "admin") { secret error { code } } }',
    };
    for (const role of ["ADMIN", "SCIENTIST", "COLLABORATOR"] as const) {
      for (const [name, mutation] of Object.entries(mutations)) {
        const response = await gql(mutation, {}, { key: keys[role] });
        if (role === "ADMIN") {
          expect(codes(response), `${role} ${name}`).toEqual([]);
        } else {
          expect(codes(response), `${role} ${name}`).toEqual(["FORBIDDEN"]);
          expect(response.errors?.[0]?.message).toMatch(`you are ${role}`);
        }
      }
    }
    const admin = await gql(mutations.launchTraining as string);
    expect(admin.data).toEqual({
      launchTraining: { job: null, error: { code: "DATASET_NOT_FOUND", field: "datasetId" } },
    });
    expect(await prisma.dataset.count({ where: { name: "role-check" } })).toBe(1);
  });
});

describe("GraphQL API: objects", () => {
  const pageQuery = `query Page($filter: ObjectFilter, $first: Int, $after: String) {
    objects(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id catalogueClass raDeg decDeg } }
    }
  }`;
  type Page = {
    objects: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { id: string; catalogueClass: string } }[];
    };
  };

  async function allIds(filter: Record<string, unknown>, first = 7): Promise<{ ids: number[]; totalCount: number }> {
    const ids: number[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (;;) {
      const r = await gql(pageQuery, { filter, first, after });
      expect(r.errors).toBeUndefined();
      const page = (r.data as unknown as Page).objects;
      totalCount = page.totalCount;
      ids.push(...page.edges.map((e) => Number(e.node.id)));
      if (!page.pageInfo.hasNextPage) return { ids, totalCount };
      after = page.pageInfo.endCursor;
    }
  }

  it("filters by catalogue class, source, dataset and split, with stable pagination and totalCount", async () => {
    for (const [filter, where] of [
      [{ catalogueClass: "QSO" }, { catalogClass: "QSO" as const }],
      [{ source: "sim" }, { source: "sim" }],
      [
        { source: "sim", catalogueClass: "GALAXY" },
        { source: "sim", catalogClass: "GALAXY" as const },
      ],
      [
        { datasetId: String(datasetId), split: "VAL" },
        { datasetMembers: { some: { datasetId, split: "VAL" as const } } },
      ],
      [{ datasetId: String(datasetId) }, { datasetMembers: { some: { datasetId } } }],
    ] as const) {
      const expected = (
        await prisma.celestialObject.findMany({ where, orderBy: { id: "asc" }, select: { id: true } })
      ).map((o) => o.id);
      const { ids, totalCount } = await allIds(filter as Record<string, unknown>);
      expect(ids, JSON.stringify(filter)).toEqual(expected);
      expect(totalCount).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
    }
    // Nothing matches: an empty page and a count of 0 (the count shares the page's statement).
    expect(await allIds({ source: "no-such-source" })).toEqual({ ids: [], totalCount: 0 });
  });

  it("filters by a model's prediction and ranks its disagreements with the catalogue by confidence", async () => {
    const predicted = await allIds({ modelId: String(modelA), predictedClass: "STAR" });
    const expected = await prisma.prediction.findMany({
      where: { modelId: modelA, predictedClass: "STAR" },
      orderBy: { objectId: "asc" },
    });
    expect(predicted.ids).toEqual(expected.map((p) => p.objectId));

    const disagreements = await allIds({ modelId: String(modelA), disagreement: true }, 5);
    const rows = await prisma.prediction.findMany({ where: { modelId: modelA }, include: { object: true } });
    const wrong = rows
      .filter((p) => p.object.catalogClass && p.object.catalogClass !== p.predictedClass)
      .sort((a, b) => b.confidence - a.confidence || a.objectId - b.objectId);
    expect(disagreements.ids).toEqual(wrong.map((p) => p.objectId));
    expect(disagreements.totalCount).toBe(wrong.length);

    const missingModel = await gql(pageQuery, { filter: { disagreement: true } });
    expect(codes(missingModel)).toEqual(["BAD_USER_INPUT"]);
    const badCursor = await gql(pageQuery, { after: "garbage" });
    expect(codes(badCursor)).toEqual(["BAD_USER_INPUT"]);
  });

  it("finds exactly the objects of a cone (brute-force check), across RA = 0/360 and at both poles", async () => {
    const cones = [
      { raDeg: 359.6, decDeg: 10, radiusDeg: 1 },
      { raDeg: 0.3, decDeg: 10.5, radiusDeg: 0.8 },
      { raDeg: 0, decDeg: 9, radiusDeg: 2.5 },
      { raDeg: 120, decDeg: 89.6, radiusDeg: 0.7 },
      { raDeg: 300, decDeg: -89.2, radiusDeg: 1.5 },
      { raDeg: 180, decDeg: 0, radiusDeg: 60 },
      { raDeg: 45, decDeg: 20, radiusDeg: 0.006 },
      { raDeg: 45.004, decDeg: 19.997, radiusDeg: 0.004 },
    ];
    for (const cone of cones) {
      const { ids, totalCount } = await allIds({ source: "sky", cone }, 50);
      const expected = conePoints
        .filter((p) => separationDeg(p.ra, p.dec, cone.raDeg, cone.decDeg) <= cone.radiusDeg)
        .map((p) => p.id)
        .sort((a, b) => a - b);
      expect(ids, JSON.stringify(cone)).toEqual(expected);
      expect(totalCount).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(3);
    }
    const bad = await gql(pageQuery, { filter: { cone: { raDeg: 400, decDeg: 0, radiusDeg: 1 } } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "cone.raDeg" });
  });

  it("counts exactly up to 10 000 matches, and beyond that gives PostgreSQL's estimate, marked as one", async () => {
    const query = `query ($f: ObjectFilter) { objects(filter: $f, first: 2) { totalCount totalCountExact edges { node { id } } } }`;
    const few = await gql(query, { f: { source: "sky" } });
    expect(few.data?.objects).toMatchObject({ totalCount: conePoints.length, totalCountExact: true });
    await prisma.$executeRaw`INSERT INTO celestial_object (ra_deg, dec_deg, source, updated_at)
      SELECT g % 360, (g % 170) - 85, 'many', now() FROM generate_series(1, 10050) g`;
    try {
      await prisma.$executeRaw`ANALYZE celestial_object`;
      const many = await gql(query, { f: { source: "many" } });
      expect(many.errors).toBeUndefined();
      const page = many.data?.objects as { totalCount: number; totalCountExact: boolean; edges: unknown[] };
      expect(page.totalCountExact).toBe(false);
      expect(page.totalCount).toBeGreaterThan(10_000); // never below what was counted
      expect(page.totalCount).toBeLessThan(20_100); // the planner's estimate from fresh statistics
      expect(page.edges).toHaveLength(2);
      // Without the page (totalCount alone) the same answer.
      const alone = await gql(`{ objects(filter: { source: "many" }) { totalCountExact } }`);
      expect(alone.data).toEqual({ objects: { totalCountExact: false } });
    } finally {
      await prisma.$executeRaw`DELETE FROM celestial_object WHERE source = 'many'`;
    }
  });

  it("answers for rows written by other tools with NULL arrays (missing modalities as an empty list)", async () => {
    await prisma.$executeRaw`INSERT INTO celestial_object (ra_deg, dec_deg, source, updated_at)
      VALUES (10, 10, 'raw-sql', now())`;
    const r = await gql(
      `{ objects(filter: { source: "raw-sql" }) { totalCount edges { node { missingModalities } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ objects: { totalCount: 1, edges: [{ node: { missingModalities: [] } }] } });
  });

  it("packs a filter's positions for the sky plot and counts objects per source and class", async () => {
    const query = `query Sky($filter: ObjectFilter, $limit: Int) {
      skyMap(filter: $filter, limit: $limit) { count truncated raDecBase64 idsBase64 classCodes }
      objectStatistics { total bySourceAndClass { source catalogueClass count } }
    }`;
    const r = await gql(query, { filter: { source: "sim" } });
    expect(r.errors).toBeUndefined();
    const data = r.data as unknown as {
      skyMap: { count: number; truncated: boolean; raDecBase64: string; idsBase64: string; classCodes: string };
      objectStatistics: {
        total: number;
        bySourceAndClass: { source: string; catalogueClass: string | null; count: number }[];
      };
    };
    const expected = await prisma.celestialObject.findMany({
      where: { source: "sim", raDeg: { not: null }, decDeg: { not: null } },
      orderBy: { id: "asc" },
    });
    const raDec = new Float32Array(new Uint8Array(Buffer.from(data.skyMap.raDecBase64, "base64")).buffer);
    const ids = Array.from(new Uint32Array(new Uint8Array(Buffer.from(data.skyMap.idsBase64, "base64")).buffer));
    expect(data.skyMap.count).toBe(expected.length);
    expect(data.skyMap.truncated).toBe(false);
    expect(ids).toEqual(expected.map((o) => o.id));
    expect(raDec[0]).toBeCloseTo(expected[0]?.raDeg as number, 4);
    expect(raDec[1]).toBeCloseTo(expected[0]?.decDeg as number, 4);
    expect(data.skyMap.classCodes).toBe(expected.map((o) => o.catalogClass?.[0] ?? "-").join(""));

    const truncated = await gql(query, { filter: { source: "sim" }, limit: 3 });
    expect((truncated.data as unknown as typeof data).skyMap).toMatchObject({ count: 3, truncated: true });
    expect(codes(await gql(query, { limit: 10_000_000 }))).toEqual(["BAD_USER_INPUT"]);

    const groups = await prisma.celestialObject.groupBy({ by: ["source", "catalogClass"], _count: true });
    const counts = Object.fromEntries(groups.map((g) => [`${g.source}/${g.catalogClass}`, g._count]));
    expect(
      Object.fromEntries(
        data.objectStatistics.bySourceAndClass.map((g) => [`${g.source}/${g.catalogueClass}`, g.count]),
      ),
    ).toEqual(counts);
    expect(data.objectStatistics.total).toBe(await prisma.celestialObject.count());
  });

  it("shows an object's strips, 1D spectrum, cutout and every model's predictions, by id or obsid", async () => {
    const object = await prisma.celestialObject.findFirstOrThrow({
      where: { source: "sim", spectra2d: { some: {} }, cutouts: { some: {} } },
    });
    const r = await gql(
      `query ($obsid: String) { object(obsid: $obsid) {
        id obsid catalogueClass
        strips { arm widthPx lengthPx valuesBase64 wavelengthAngstrom }
        spectra1d { nPixels flux wavelengthAngstrom }
        cutout { widthPx heightPx dataUrl }
        predictions { model { id name } predictedClass confidence probGalaxy probQso probStar agreesWithCatalogue }
      } }`,
      { obsid: String(object.obsid) },
    );
    expect(r.errors).toBeUndefined();
    const o = r.data.object as {
      id: string;
      strips: { arm: string; widthPx: number; lengthPx: number; valuesBase64: string; wavelengthAngstrom: number[] }[];
      spectra1d: { nPixels: number; flux: number[] }[];
      cutout: { dataUrl: string };
      predictions: { model: { id: string }; predictedClass: string; agreesWithCatalogue: boolean }[];
    };
    expect(o.id).toBe(String(object.id));
    expect(o.strips.map((s) => s.arm)).toEqual(["BLUE", "RED"]);
    for (const strip of o.strips) {
      expect(Buffer.from(strip.valuesBase64, "base64").length).toBe(strip.widthPx * strip.lengthPx * 4);
      expect(strip.wavelengthAngstrom).toHaveLength(strip.lengthPx);
      expect(strip.wavelengthAngstrom[strip.lengthPx - 1] as number).toBeGreaterThan(
        strip.wavelengthAngstrom[0] as number,
      );
    }
    expect(o.spectra1d[0]?.flux).toHaveLength(o.spectra1d[0]?.nPixels as number);
    const png = Buffer.from(o.cutout.dataUrl.replace(/^data:image\/png;base64,/, ""), "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(o.predictions.map((p) => Number(p.model.id))).toEqual([modelA, modelB]);
    for (const p of o.predictions) expect(p.agreesWithCatalogue).toBe(p.predictedClass === object.catalogClass);
    expect((await gql(`{ object(id: "${object.id}") { obsid } }`)).data).toEqual({
      object: { obsid: String(object.obsid) },
    });
  });

  it("loads a page's relations with a fixed number of SQL queries, whatever the page size (no N+1)", async () => {
    const query = `query ($first: Int) { objects(filter: { source: "sim" }, first: $first) { edges { node {
      id strips { arm } cutout { widthPx } predictions { confidence model { name dataset { name } } }
    } } } }`;
    const count = async (first: number) => {
      queries.length = 0;
      const r = await gql(query, { first });
      expect(r.errors).toBeUndefined();
      return queries.filter((q) => !/api_key/.test(q)).length;
    };
    const small = await count(2);
    const large = await count(30);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(10);
  });
});

describe("GraphQL API: models, datasets, hardening", () => {
  it("compares models: metrics side by side and confusion-matrix differences", async () => {
    const r = await gql(`{ compareModels(ids: ["${modelA}", "${modelB}"]) {
      models { name parameterCount } evaluations { accuracy confusionMatrix perClass { class f1 } } confusionDifferences
    } }`);
    expect(r.errors).toBeUndefined();
    const c = (r.data as { compareModels: Record<string, unknown> }).compareModels as {
      models: { name: string }[];
      evaluations: { accuracy: number; confusionMatrix: number[][] }[];
      confusionDifferences: number[][][];
    };
    expect(c.models.map((m) => m.name)).toEqual(["model-a", "model-b"]);
    expect(c.evaluations[0]?.confusionMatrix).toEqual([
      [5, 1, 0],
      [1, 4, 1],
      [0, 2, 6],
    ]);
    expect(c.confusionDifferences[1]).toEqual([
      [1, -1, 0],
      [0, 1, -1],
      [0, -1, 1],
    ]);
    const datasets = await gql("{ datasets { name version splits { split total galaxy qso star } members } }");
    const api = (
      datasets.data as { datasets: { name: string; members: number; splits: { total: number }[] }[] }
    ).datasets.find((d) => d.name === "api");
    expect(api?.splits.reduce((n, s) => n + s.total, 0)).toBe(api?.members);
  });

  it("serves stored label audits: the ranking in pages, only the contradicted, truth figures, bounded pages", async () => {
    const objects = await prisma.celestialObject.findMany({ where: { source: "sim" }, orderBy: { id: "asc" } });
    const audit = await prisma.labelAudit.create({
      data: {
        datasetId,
        modelIds: [modelA, 999_999],
        folds: 0,
        objects: objects.length,
        contradicted: Math.ceil(objects.length / 2),
        summary: {
          inSample: 3,
          truth: {
            withTruth: 36,
            planted: 1,
            k: 50,
            found: 1,
            recall: 1,
            precision: 0.02,
            atTwicePlanted: { k: 2, found: 1, recall: 1, precision: 0.5 },
          },
        },
        entries: {
          create: objects.map((o, i) => ({
            rank: i + 1,
            objectId: o.id,
            catalogueClass: "STAR" as const,
            suggestedClass: i % 2 === 0 ? ("QSO" as const) : ("STAR" as const),
            pCatalogue: i / 100,
            probGalaxy: 0,
            probQso: 1 - i / 100,
            probStar: i / 100,
            votes: i % 2 === 0 ? 1 : 0,
            inSample: i < 3,
          })),
        },
      },
    });
    const query = `query ($id: ID!, $limit: Int, $offset: Int, $only: Boolean) {
      labelAudits(datasetId: "${datasetId}") { id }
      labelAudit(id: $id) {
        folds objects contradicted inSample models { name } dataset { name }
        truth { planted withTruth atTop { k found recall precision } atTwicePlanted { k found recall precision } }
        entries(limit: $limit, offset: $offset, onlyContradicted: $only) { rank object { id } suggestedClass votes inSample }
      }
    }`;
    const r = await gql(query, { id: String(audit.id), limit: 4, offset: 2 }, { key: keys.COLLABORATOR });
    expect(r.errors).toBeUndefined();
    expect(r.data.labelAudits).toEqual([{ id: String(audit.id) }]);
    expect(r.data.labelAudit).toMatchObject({
      folds: 0,
      objects: objects.length,
      inSample: 3,
      models: [{ name: "model-a" }], // the deleted model 999999 is left out
      dataset: { name: "api" },
      truth: {
        planted: 1,
        withTruth: 36,
        atTop: { k: 50, found: 1, recall: 1, precision: 0.02 },
        atTwicePlanted: { k: 2, found: 1, recall: 1, precision: 0.5 },
      },
    });
    expect(r.data.labelAudit.entries.map((e: { rank: number }) => e.rank)).toEqual([3, 4, 5, 6]);
    expect(r.data.labelAudit.entries[0]).toMatchObject({ object: { id: String(objects[2]?.id) }, inSample: true });
    const only = await gql(query, { id: String(audit.id), limit: 500, only: true }, { key: keys.COLLABORATOR });
    expect(only.data.labelAudit.entries).toHaveLength(Math.ceil(objects.length / 2));
    for (const e of only.data.labelAudit.entries) expect(e).toMatchObject({ suggestedClass: "QSO", votes: 1 });
    const tooMany = await gql(query, { id: String(audit.id), limit: 501 }, { key: keys.COLLABORATOR });
    expect(codes(tooMany)).toContain("BAD_USER_INPUT");
    expect(tooMany.errors?.[0]?.message).toMatch(/limit must be in \[0, 500\]/);
    const anonymous = await gql(query, { id: String(audit.id) }, {});
    expect(codes(anonymous)).toContain("UNAUTHENTICATED");
  });

  it("records label verdicts by role, keeps every one, queues what the viewer has not judged, and makes a reviewed version", async () => {
    const audit = await prisma.labelAudit.findFirstOrThrow({ where: { datasetId }, orderBy: { id: "desc" } });
    const entries = await prisma.labelAuditEntry.findMany({
      where: { auditId: audit.id },
      orderBy: { rank: "asc" },
      include: { object: true },
    });
    const [first, second] = entries as [(typeof entries)[number], (typeof entries)[number]];
    const other = (cls: string | null) => (cls === "STAR" ? "QSO" : "STAR");
    const review = `mutation ($input: ReviewLabelInput!) {
      reviewLabel(input: $input) { verdict { id reviewer reviewerRole verdict correctedClass catalogueClass comment auditId } error { code field message } }
    }`;
    const wrongFirst = {
      objectId: String(first.objectId),
      verdict: "CATALOGUE_WRONG",
      correctedClass: other(first.object.catalogClass),
      auditId: String(audit.id),
    };
    const guest = await gql(review, { input: wrongFirst }, { key: keys.COLLABORATOR });
    expect(codes(guest)).toEqual(["FORBIDDEN"]);
    expect(guest.errors?.[0]?.message).toMatch(/you are COLLABORATOR/);
    // A scientist and an admin at the same moment, on the same object: both kept, neither overwritten.
    const [scientist, admin] = await Promise.all([
      gql(review, { input: { ...wrongFirst, comment: "  broad Mg II  " } }, { key: keys.SCIENTIST }),
      gql(review, { input: { objectId: String(first.objectId), verdict: "CATALOGUE_RIGHT" } }, { key: keys.ADMIN }),
    ]);
    expect(scientist.data.reviewLabel).toEqual({
      verdict: {
        id: expect.any(String),
        reviewer: "scientist",
        reviewerRole: "SCIENTIST",
        verdict: "CATALOGUE_WRONG",
        correctedClass: other(first.object.catalogClass),
        catalogueClass: first.object.catalogClass,
        comment: "broad Mg II",
        auditId: String(audit.id),
      },
      error: null,
    });
    expect(admin.data.reviewLabel.error).toBeNull();
    const read = await gql(
      `query ($id: ID!) { labelAudit(id: $id) { entries(limit: 1) { verdicts { reviewer verdict } } } }`,
      { id: String(audit.id) },
      { key: keys.COLLABORATOR },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data.labelAudit.entries[0].verdicts.map((v: { reviewer: string }) => v.reviewer).sort()).toEqual([
      "admin",
      "scientist",
    ]);
    // Hostile or wrong inputs: a clear error naming the field, nothing stored.
    const before = await prisma.labelVerdict.count();
    const bad = async (input: Record<string, unknown>) =>
      (await gql(review, { input }, { key: keys.SCIENTIST })).data?.reviewLabel.error;
    expect(await bad({ ...wrongFirst, comment: "x".repeat(2001) })).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "comment",
    });
    expect(await bad({ ...wrongFirst, correctedClass: null })).toMatchObject({ field: "correctedClass" });
    expect(await bad({ ...wrongFirst, objectId: "99999999" })).toMatchObject({
      code: "OBJECT_NOT_FOUND",
      field: "objectId",
    });
    const outsider = conePoints[0] as { id: number };
    expect(await bad({ ...wrongFirst, objectId: String(outsider.id), correctedClass: "QSO" })).toMatchObject({
      code: "OBJECT_NOT_IN_DATASET",
    });
    const unknownClass = await gql(
      review,
      { input: { ...wrongFirst, correctedClass: "PULSAR" } },
      { key: keys.SCIENTIST },
    );
    expect(codes(unknownClass)).toEqual(["BAD_USER_INPUT"]);
    expect(await prisma.labelVerdict.count()).toBe(before);
    // The queue skips what the viewer judged: the scientist's starts after the first entry, the collaborator's does not.
    const queue = `query ($id: ID!) { reviewQueue(auditId: $id, limit: 2) { rank } }`;
    const mine = await gql(queue, { id: String(audit.id) }, { key: keys.SCIENTIST });
    expect(mine.data.reviewQueue.map((e: { rank: number }) => e.rank)).toEqual([2, 3]);
    const theirs = await gql(queue, { id: String(audit.id) }, { key: keys.COLLABORATOR });
    expect(theirs.data.reviewQueue.map((e: { rank: number }) => e.rank)).toEqual([1, 2]);
    const huge = await gql(`query ($id: ID!) { reviewQueue(auditId: $id, limit: 101) { rank } }`, {
      id: String(audit.id),
    });
    expect(codes(huge)).toContain("BAD_USER_INPUT");
    // The admin's verdict on the second object corrects it in a new version; the first keeps its label (admin said right).
    await gql(review, {
      input: {
        objectId: String(second.objectId),
        verdict: "CATALOGUE_WRONG",
        correctedClass: other(second.object.catalogClass),
      },
    });
    const create = `mutation ($id: ID!) { createReviewedDataset(datasetId: $id) { dataset { id version corrections reviewRule parent { id } } error { code message } } }`;
    const refused = await gql(create, { id: String(datasetId) }, { key: keys.SCIENTIST });
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    const made = await gql(create, { id: String(datasetId) });
    expect(made.errors).toBeUndefined();
    expect(made.data.createReviewedDataset.dataset).toMatchObject({
      corrections: 1,
      reviewRule: "admin-or-two-agreeing-scientists",
      parent: { id: String(datasetId) },
    });
    const labels = await gql(
      `query ($a: ID!, $b: ID!, $v1: ID!, $v2: ID!) {
        a: object(id: $a) { catalogueClass v1: label(datasetId: $v1) v2: label(datasetId: $v2) }
        b: object(id: $b) { catalogueClass v1: label(datasetId: $v1) v2: label(datasetId: $v2) split(datasetId: $v2) }
      }`,
      {
        a: String(first.objectId),
        b: String(second.objectId),
        v1: String(datasetId),
        v2: made.data.createReviewedDataset.dataset.id,
      },
      { key: keys.COLLABORATOR },
    );
    expect(labels.errors).toBeUndefined();
    expect(labels.data.a).toEqual({
      catalogueClass: first.object.catalogClass,
      v1: first.object.catalogClass,
      v2: first.object.catalogClass,
    });
    const splitB = await prisma.datasetMember.findUniqueOrThrow({
      where: { datasetId_objectId: { datasetId, objectId: second.objectId } },
    });
    expect(labels.data.b).toEqual({
      catalogueClass: second.object.catalogClass,
      v1: second.object.catalogClass,
      v2: other(second.object.catalogClass),
      split: splitB.split,
    });
  });

  it("rejects hostile operations with codes: depth 50, 1000 aliases, first: 1e9, batches, cross-site GETs", async () => {
    const deep =
      `{ objects { edges { node { predictions { model { job { models { dataset { id } } } } } } } } }`.replace(
        "dataset { id }",
        `${"job { models { ".repeat(20)}id${" } }".repeat(20)}`,
      );
    expect(codes(await gql(deep))).toEqual(["QUERY_TOO_DEEP"]);
    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: me { name }`).join(" ")} }`;
    expect(codes(await gql(aliases))).toEqual(["TOO_MANY_ALIASES"]);
    expect(codes(await gql("{ objects(first: 1e9) { totalCount } }"))).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    // Over the resolver's maximum: the estimate counts the maximum, and the resolver refuses the value.
    expect(codes(await gql("query ($n: Int) { objects(first: $n) { edges { node { id } } } }", { n: 1e9 }))).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect(codes(await gql("{ objects(first: 500) { totalCount } }"))).toEqual(["BAD_USER_INPUT"]);
    const batch = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${keys.ADMIN}` },
      body: JSON.stringify([{ query: "{ me { name } }" }, { query: "{ me { name } }" }]),
    });
    expect(batch.status).toBe(400);
    const csrf = await fetch(`${server.url}?query=${encodeURIComponent("{ me { name } }")}`, {
      headers: { authorization: `Bearer ${keys.ADMIN}` },
    });
    expect(csrf.status).toBe(400);
    expect(await csrf.text()).toMatch(/CSRF/i);
    const post = (body: string) =>
      fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${keys.ADMIN}` },
        body,
      });
    const malformed = await post('{"query": "{ me { name } }"');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Response).errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    const huge = await post(JSON.stringify({ query: `{ me { name } } # ${"x".repeat(1_100_000)}` }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as Response).errors?.[0]?.extensions?.code).toBe("PAYLOAD_TOO_LARGE");
    // The server still answers after both.
    expect(((await (await post(JSON.stringify({ query: "{ me { name } }" }))).json()) as Response).data).toEqual({
      me: { name: "admin" },
    });
  });
});

describe("GraphQL API: compiled execution", () => {
  it("answers every kind of operation exactly as graphql-js's reference executor does", async () => {
    // The same database served by a second server executing with graphql-js; each operation's whole
    // answer (data, errors with paths and codes, HTTP status) must be identical.
    const reference = await startApiServer({
      prisma,
      databaseUrl: database.url,
      config: parseApiEnv({ MACNET_API_LOG: "0", MACNET_API_EXECUTOR: "graphql-js" }),
      port: 0,
    });
    try {
      const model = String(modelA);
      const operations: [string, Record<string, unknown>][] = [
        [
          `query Page($n: Int, $withPredictions: Boolean!) { objects(first: $n, filter: { source: "sim" }) {
            __typename totalCount pageInfo { hasNextPage endCursor }
            edges { cursor node { ...Basic predictions @include(if: $withPredictions) { ...P } cls: catalogueClass } } } }
           fragment Basic on CelestialObject { id obsid designation raDeg decDeg redshift magnitudes missingModalities }
           fragment P on Prediction { predictedClass confidence probStar agreesWithCatalogue model { name dataset { name } } }`,
          { n: 7, withPredictions: true },
        ],
        [
          `query ($m: ID) { objects(first: 5, filter: { modelId: $m, disagreement: true }) {
            totalCount edges { cursor node { id ... on CelestialObject { catalogueClass predictions(modelId: $m) { predictedClass confidence } } } } } }`,
          { m: model },
        ],
        [
          `{ objects(first: 4, filter: { cone: { raDeg: 0.5, decDeg: 10, radiusDeg: 2 } }) { totalCount edges { node { id raDeg } } } }`,
          {},
        ],
        [
          `{ objects(first: 2, filter: { source: "sim" }) { edges { node { id strips { arm widthPx lengthPx mean std }
            spectra1d { survey nPixels } cutout { widthPx heightPx } activationMaps { model { name } } } } } }`,
          {},
        ],
        [
          `query ($m: ID!) { model(id: $m) { name architecture compact hyperParameters blueWindow parameterCount createdAt
            dataset { name splits { split total } } evaluation { accuracy confusionMatrix perClass { class precision f1 } } } }`,
          { m: model },
        ],
        [`{ datasets { name version ratios splits { split total } members } jobs { id kind status } }`, {}],
        [`{ objects(first: 500) { totalCount } }`, {}],
        [`{ objects(after: "not-a-cursor") { totalCount } }`, {}],
        [`{ a: object(id: "1") { id } b: object(id: "x") { id } me { name role } }`, {}],
        [`{ __type(name: "CelestialObject") { name fields { name type { kind name ofType { name } } } } }`, {}],
      ];
      for (const [query, variables] of operations) {
        const answer = async (url: string) => {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${keys.ADMIN}` },
            body: JSON.stringify({ query, variables }),
          });
          const body = (await response.json()) as { errors?: { extensions?: { stacktrace?: unknown } }[] };
          // Stack traces (shown outside production) name each executor's own frames.
          for (const error of body.errors ?? []) delete error.extensions?.stacktrace;
          return { status: response.status, body };
        };
        const [compiled, referenceAnswer] = [await answer(server.url), await answer(reference.url)];
        expect(compiled, query).toEqual(referenceAnswer);
      }
    } finally {
      await reference.close();
    }
  });
});

describe("GraphQL API: jobs", () => {
  let worker: ChildProcess | undefined;
  afterAll(() => {
    worker?.kill("SIGTERM");
  });

  it("launches a small training job and streams its progress over a subscription until it succeeds", async () => {
    const launched = await gql(
      `mutation ($d: ID!) { launchTraining(input: { architecture: C_NET, datasetId: $d, compact: true, epochs: 3,
        batchSize: 4, learningRate: 0.01, optimizer: ADAM, lrSchedule: COSINE, warmupEpochs: 1 }) {
        job { id status launchedBy params } error { message } } }`,
      { d: String(datasetId) },
    );
    const job = (launched.data as { launchTraining: { job: { id: string; status: string; launchedBy: string } } })
      .launchTraining.job;
    expect(job).toMatchObject({
      status: "QUEUED",
      launchedBy: "admin",
      params: { optimizer: "adam", lrSchedule: "cosine", warmupEpochs: 1 },
    });

    const client = createClient({
      url: server.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${keys.SCIENTIST}` },
    });
    const events: { status: string; progress: number; epochs: { epoch: number }[] }[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      client.subscribe(
        {
          query: `subscription ($id: ID!) { jobProgress(id: $id) { status progress epochs { epoch } } }`,
          variables: { id: job.id },
        },
        {
          next: (value) => events.push((value.data as { jobProgress: (typeof events)[number] }).jobProgress),
          error: reject,
          complete: resolve,
        },
      );
    });
    const home = mkdtempSync(join(tmpdir(), "macnet-api-worker-"));
    worker = spawn(process.execPath, [cliEntry, "worker"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: database.url, MACNET_HOME: home, MACNET_JOB_PROGRESS_MS: "100" },
      stdio: "ignore",
    });
    await finished;
    await client.dispose();
    const statuses = events.map((e) => e.status);
    expect(statuses[0]).toBe("QUEUED");
    expect(statuses).toContain("RUNNING");
    expect(statuses.at(-1)).toBe("SUCCEEDED");
    expect(events.length).toBeGreaterThanOrEqual(4);
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.at(-1)?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    const trained = await prisma.trainedModel.findFirstOrThrow({ where: { jobId: Number(job.id) } });
    expect(trained.hyperParameters).toMatchObject({ optimizer: "adam", lrSchedule: "cosine", warmupEpochs: 1 });
    // Launched from the API, the model is evaluated on the test split and run over its dataset in the
    // same job, as the demo's are (no "Not evaluated yet" on its page).
    const evaluations = await prisma.modelEvaluation.findMany({ where: { modelId: trained.id } });
    expect(evaluations.map((e) => e.split)).toEqual(["TEST"]);
    const predictions = await prisma.prediction.count({ where: { modelId: trained.id } });
    expect(predictions).toBeGreaterThan(0);
    const stored = await prisma.job.findUniqueOrThrow({ where: { id: Number(job.id) } });
    expect(stored.result).toMatchObject({ evaluation: { split: "TEST" }, classified: { stored: predictions } });

    const anonymous = createClient({
      url: server.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const refused = await new Promise<unknown>((resolve) => {
      anonymous.subscribe(
        { query: `subscription { jobProgress(id: "${job.id}") { status } }` },
        { next: resolve, error: resolve, complete: () => resolve(null) },
      );
    });
    expect(JSON.stringify(refused)).toMatch("UNAUTHENTICATED");
    await anonymous.dispose();
  });

  it("ends a subscription to a job that does not move as soon as its client goes away", async () => {
    // A queued job no worker will take: the subscription has nothing to send after its first event.
    const waiting = await prisma.job.create({ data: { kind: "EVALUATE", status: "QUEUED", params: {} } });
    const client = createClient({
      url: server.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${keys.ADMIN}` },
      retryAttempts: 0,
    });
    await new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: `subscription { jobProgress(id: "${waiting.id}") { status } }` },
        { next: () => resolve(), error: reject, complete: () => resolve() },
      );
    });
    await client.dispose();
    // It used to go on reading the job every 2 s (one poll, then the next, …) until the job changed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = queries.filter((sql) => sql.includes('"job"')).length;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(queries.filter((sql) => sql.includes('"job"')).length).toBe(before);
  });
});
