import { separationDeg } from "@macnet/core";
import { describe, expect, it } from "vitest";
import {
  codes,
  conePoints,
  datasetId,
  gql,
  keys,
  modelA,
  modelB,
  prisma,
  queries,
  useApiFixture,
} from "./helpers/api-fixture.ts";

// The GraphQL API as clients use it (authentication and objects): real HTTP requests to a running
// server on a real PostgreSQL (test/helpers/api-fixture.ts). Models, audits, reviews, hardening,
// compiled execution and jobs: test/api-models.test.ts.

useApiFixture();

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
