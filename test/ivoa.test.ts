import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type ApiServer, CHUNK_ROWS, createSqlPool, parseApiEnv, startApiServer, streamObjectTable } from "@macnet/api";
import { lcg as seededRandom } from "@macnet/core";
import { createPrismaClient, createUser, type ObjectClass, type PrismaClient } from "@macnet/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { createMigratedTestDatabase, queryRows, type TestDatabase } from "./helpers/database.ts";
import { repoRoot } from "./helpers/paths.ts";
import { CLASS_ORDER, createScoredModel } from "./helpers/seed-models.ts";

// The platform in astronomers' own tools: pyvo's Simple Cone Search client and astropy's VOTable,
// FITS and CSV readers (Debian's python3-pyvo and python3-astropy) read /scs, /export and
// `macnet export`, and what they read is row for row what GraphQL answers.

const execFileAsync = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const VO_CLIENT = join(repoRoot, "test/helpers/vo_client.py");
const BULK = 100_000;

let database: TestDatabase;
let prisma: PrismaClient;
let server: ApiServer;
let publicServer: ApiServer;
let apiKey = "";
let collaboratorKey = "";
let modelA: number;
let modelB: number;
let datasetId: number;
const work = mkdtempSync(join(tmpdir(), "macnet-ivoa-"));

// biome-ignore lint/suspicious/noExplicitAny: each command's JSON has its own shape; tests name what they read
async function vo(args: string[], env: Record<string, string> = {}): Promise<any> {
  const { stdout } = await execFileAsync(PYTHON, [VO_CLIENT, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 ** 2,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string);
}

const base = (s: ApiServer = server) => s.url.replace(/\/graphql$/, "");

async function gql(query: string, variables: Record<string, unknown>) {
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as never;
}

interface GqlObject {
  id: string;
  raDeg: number;
  decDeg: number;
  catalogueClass: ObjectClass | null;
  redshift: number | null;
  designation: string | null;
  predictions: { predictedClass: ObjectClass; probGalaxy: number; probQso: number; probStar: number }[];
}

/** Every object GraphQL returns for a filter, all pages, with one model's predictions. */
async function graphqlObjects(filter: Record<string, unknown>, modelId: number): Promise<GqlObject[]> {
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

describe("Simple Cone Search (/scs) read by pyvo", () => {
  it("answers row for row what the GraphQL cone answers, with the best evaluated model's predictions", async () => {
    const cone = { raDeg: 150, decDeg: 2, radiusDeg: 1.5 };
    const result = await vo(["scs", `${base()}/scs`, "150", "2", "1.5", "2", "bearer", apiKey]);
    expect(result.status).toBe("OK");
    // Model B has the better test accuracy: its predictions by default.
    expect(result.infos[`model_${modelB}`]).toBe("scs-b (MAC_NET)");
    const expected = await graphqlObjects({ cone }, modelB);
    expect(expected.length).toBeGreaterThan(10);
    expect(result.rows.map((row: { id: number }) => String(row.id))).toEqual(expected.map((o) => o.id));
    for (const [i, row] of result.rows.entries()) {
      const o = expected[i] as GqlObject;
      const p = o.predictions[0];
      expect(row.ra).toBeCloseTo(o.raDeg, 10);
      expect(row.dec).toBeCloseTo(o.decDeg, 10);
      expect(row.catalogue_class).toBe(o.catalogueClass);
      expect(row.redshift).toBe(o.redshift);
      expect(row.designation).toBe(o.designation);
      expect(row[`m${modelB}_class`]).toBe(p?.predictedClass);
      expect(row[`m${modelB}_p_galaxy`]).toBeCloseTo(p?.probGalaxy as number, 6);
      expect(row[`m${modelB}_p_qso`]).toBeCloseTo(p?.probQso as number, 6);
      expect(row[`m${modelB}_p_star`]).toBeCloseTo(p?.probStar as number, 6);
      expect(row.dist).toBeLessThanOrEqual(1.5);
    }
    // pyvo's SCS records find id and position by the SCS 1.03 UCDs.
    expect(result.records[0]).toEqual({
      id: Number(expected[0]?.id),
      ra: expected[0]?.raDeg,
      dec: expected[0]?.decDeg,
    });
    expect(result.fields.ra).toEqual({ ucd: "POS_EQ_RA_MAIN", unit: "deg" });
    expect(result.fields.dec).toEqual({ ucd: "POS_EQ_DEC_MAIN", unit: "deg" });
    expect(result.fields.id.ucd).toBe("ID_MAIN");
    expect(result.fields.redshift.ucd).toBe("src.redshift");
    expect(result.fields[`m${modelB}_p_qso`].ucd).toBe("stat.probability");
    expect(result.fields.dist).toEqual({ ucd: "pos.angDistance", unit: "deg" });
  });

  it("is a VOTable 1.4 that astropy parses with nothing to say but SCS 1.03's own UCD1 words", async () => {
    const response = await fetch(`${base()}/scs?RA=150&DEC=2&SR=1&VERB=3`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/xml; content=x-votable/);
    const path = join(work, "scs.vot");
    writeFileSync(path, Buffer.from(await response.arrayBuffer()));
    const parsed = await vo(["votable", path, "scs"]);
    expect(parsed.version).toBe("1.4");
    expect(parsed.warnings).toHaveLength(3);
    for (const [i, word] of ["ID_MAIN", "POS_EQ_RA_MAIN", "POS_EQ_DEC_MAIN"].entries()) {
      expect(parsed.warnings[i]).toMatch(new RegExp(`W06.*'${word}'`));
    }
    expect(parsed.fields.map((f: { name: string }) => f.name)).toEqual([
      "id",
      "ra",
      "dec",
      "dist",
      "designation",
      "obsid",
      "catalogue_class",
      "subclass",
      "redshift",
      "sdss_objid",
      "source",
      "release",
      `m${modelB}_class`,
      `m${modelB}_p_galaxy`,
      `m${modelB}_p_qso`,
      `m${modelB}_p_star`,
    ]);
    // Designations with quotes, markup and non-ASCII letters come through intact.
    const odd = parsed.rows.find((row: { designation: string }) => row.designation?.includes("quoted"));
    expect(odd?.designation).toMatch(/^J\d+ "quoted", <tag> & ünïcode$/);
  });

  it("takes VERB, MODEL, the GraphQL filters, HTTP Basic, a cone across RA 0 and SR=0", async () => {
    const minimal = await vo(["scs", `${base()}/scs`, "150", "2", "1", "1", "basic", apiKey]);
    expect(Object.keys(minimal.fields)).toEqual(["id", "ra", "dec", "dist"]);
    const both = await vo([
      "scs",
      `${base()}/scs`,
      "150",
      "2",
      "1",
      "2",
      "bearer",
      apiKey,
      `MODEL=${modelA},${modelB}`,
    ]);
    expect(Object.keys(both.fields)).toContain(`m${modelA}_p_star`);
    expect(Object.keys(both.fields)).toContain(`m${modelB}_p_star`);
    const none = await vo(["scs", `${base()}/scs`, "150", "2", "1", "2", "bearer", apiKey, "MODEL=none"]);
    expect(Object.keys(none.fields).some((name) => name.startsWith("m"))).toBe(false);
    const galaxies = await vo([
      "scs",
      `${base()}/scs`,
      "150",
      "2",
      "3",
      "2",
      "bearer",
      apiKey,
      "catalogueClass=GALAXY",
      `datasetId=${datasetId}`,
      "split=TEST",
    ]);
    const expected = await graphqlObjects(
      {
        cone: { raDeg: 150, decDeg: 2, radiusDeg: 3 },
        catalogueClass: "GALAXY",
        datasetId: String(datasetId),
        split: "TEST",
      },
      modelB,
    );
    expect(galaxies.rows.map((row: { id: number }) => String(row.id))).toEqual(expected.map((o) => o.id));
    expect(expected.length).toBeGreaterThan(3);
    // A cone around RA 0 takes objects from both sides (RA 359.x and 0.x).
    const wrap = await vo(["scs", `${base()}/scs`, "0", "-5", "2", "1", "bearer", apiKey]);
    const ras = wrap.rows.map((row: { ra: number }) => row.ra);
    expect(ras.some((ra: number) => ra > 358)).toBe(true);
    expect(ras.some((ra: number) => ra < 2)).toBe(true);
    const wrapExpected = await graphqlObjects({ cone: { raDeg: 0, decDeg: -5, radiusDeg: 2 } }, modelB);
    expect(wrap.rows.map((row: { id: number }) => String(row.id))).toEqual(wrapExpected.map((o) => o.id));
    // SR=0: the columns, no rows.
    const metadata = await vo(["scs", `${base()}/scs`, "150", "2", "0", "2", "bearer", apiKey]);
    expect(metadata.rows).toEqual([]);
    expect(Object.keys(metadata.fields)).toContain("redshift");
  });

  it("reports errors as SCS error VOTables that pyvo shows, and asks for a key with a 401", async () => {
    const noSr = await fetch(`${base()}/scs?RA=1&DEC=2`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(noSr.status).toBe(200);
    const body = await noSr.text();
    expect(body).toContain('<INFO name="QUERY_STATUS" value="ERROR">SR is required');
    expect(body).toContain('<INFO name="Error" ID="Error" value="SR is required');
    // (pyvo checks DEC itself; TOPCAT and scripts may not.)
    const badDec = await fetch(`${base()}/scs?RA=10&DEC=95&SR=1`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(await badDec.text()).toMatch(/value="ERROR">DEC must be from -90 to 90 degrees/);
    const badModel = await vo(["scs", `${base()}/scs`, "10", "5", "1", "2", "bearer", apiKey, "MODEL=999999"]);
    expect(badModel.message).toMatch(/no model with id 999999/);
    const badVerb = await vo(["scs", `${base()}/scs`, "10", "5", "1", "2", "bearer", apiKey, "VERB=7"]);
    expect(badVerb.message).toMatch(/VERB must be a whole number from 1 to 3/);
    // No key, a wrong key, an empty Basic password: 401 with a Basic challenge (TOPCAT then prompts).
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer mk_wrong" },
      { authorization: `Basic ${btoa("user:")}` },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${base()}/scs?RA=150&DEC=2&SR=1`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      expect(await response.text()).toContain('value="ERROR"');
    }
    const viaPyvo = await vo(["scs", `${base()}/scs`, "150", "2", "1", "2", "none", ""]);
    expect(viaPyvo).toEqual({ error: "query", message: expect.stringMatching(/^Not signed in: send an API key/) });
  });

  it("serves anonymous callers when the setting allows it, up to its record limit, flagging the overflow", async () => {
    const result = await vo(["scs", `${base(publicServer)}/scs`, "150", "2", "3", "2", "none", ""]);
    expect(result.status).toBe("OK");
    expect(result.rows).toHaveLength(25);
    const raw = await (await fetch(`${base(publicServer)}/scs?RA=150&DEC=2&SR=3`)).text();
    expect(raw).toMatch(/<\/TABLE>\n<INFO name="QUERY_STATUS" value="OVERFLOW">/);
    const fits = await vo(["scs", `${base(publicServer)}/scs`, "150", "2", "0.3", "2", "none", "", "MAXREC=2"]);
    expect(fits.rows.length).toBeLessThanOrEqual(2);
    // Exports are never public.
    expect((await fetch(`${base(publicServer)}/export?format=csv`)).status).toBe(401);
  });
});

describe("Exports (/export, macnet export) read by astropy", () => {
  const exportUrl = (query: string) => `${base()}/export?${query}`;

  async function download(query: string, name: string, headers: Record<string, string> = {}) {
    const response = await fetch(exportUrl(query), { headers: { authorization: `Bearer ${apiKey}`, ...headers } });
    const path = join(work, name);
    writeFileSync(path, Buffer.from(await response.arrayBuffer()));
    return { response, path };
  }

  it("writes the same rows as VOTable (strictly valid), FITS (verified) and CSV, equal to GraphQL's", async () => {
    const query = `catalogueClass=QSO&datasetId=${datasetId}&models=${modelA}`;
    const expected = await graphqlObjects({ catalogueClass: "QSO", datasetId: String(datasetId) }, modelA);
    const ids = expected.map((o) => Number(o.id));
    // One member relabelled by review (issue #33): every format says which label a row carries and why.
    const relabelled = ids[0] as number;
    await prisma.datasetMember.update({
      where: { datasetId_objectId: { datasetId, objectId: relabelled } },
      data: { label: "STAR", verdictIds: [41, 42] },
    });
    const vot = await download(`format=votable&${query}`, "objects.vot");
    expect(vot.response.headers.get("content-disposition")).toBe('attachment; filename="macnet-objects.vot"');
    const parsed = await vo(["votable", vot.path, "strict"]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.fields.find((f: { name: string }) => f.name === "ra")).toMatchObject({
      ucd: "pos.eq.ra;meta.main",
      unit: "deg",
    });
    const fits = await download(`format=fits&${query}`, "objects.fits");
    expect(fits.response.headers.get("content-type")).toBe("application/fits");
    const table = await vo(["fits", fits.path]);
    // A text column compares equal to its values in astropy (`t["catalogue_class"] == "QSO"`): padded
    // with NULs, not spaces, which astropy keeps.
    const classes = new Map<string, number>();
    for (const row of table.rows) classes.set(row.catalogue_class, (classes.get(row.catalogue_class) ?? 0) + 1);
    expect(Object.keys(table.equal.catalogue_class).length).toBeGreaterThan(0);
    for (const [value, count] of Object.entries(table.equal.catalogue_class)) expect(count).toBe(classes.get(value));
    expect(table.extname).toBe("OBJECTS");
    expect(table.columns.find((c: { name: string }) => c.name === "dec")).toMatchObject({ format: "D", unit: "deg" });
    const csv = await download(`format=csv&${query}`, "objects.csv");
    const rows = await vo(["csv", csv.path]);
    for (const read of [parsed.rows, table.rows, rows.rows]) {
      expect(read.map((row: { id: number }) => row.id)).toEqual(ids);
      for (const [i, row] of read.entries()) {
        const o = expected[i] as GqlObject;
        expect(row.ra).toBeCloseTo(o.raDeg, 10);
        expect(row.redshift).toBe(o.redshift);
        expect(row[`m${modelA}_class`]).toBe(o.predictions[0]?.predictedClass);
        expect(row[`m${modelA}_p_qso`]).toBeCloseTo(o.predictions[0]?.probQso as number, 6);
        expect([row.label, row.label_source, row.label_verdicts || ""]).toEqual(
          row.id === relabelled ? ["STAR", "review", "41 42"] : ["QSO", "catalogue", ""],
        );
      }
    }
    // Text survives each format as far as it can hold it: FITS is ASCII.
    const odd = (read: { designation: string }[]) => read.find((row) => row.designation?.includes("quoted"));
    const fitsOdd = odd(table.rows)?.designation as string;
    if (fitsOdd) expect(fitsOdd).toMatch(/^J\d+ "quoted", <tag> & \?n\?code$/);
    expect(odd(rows.rows)?.designation ?? "").toBe(odd(parsed.rows)?.designation ?? "");
    const { stdout } = await execFileAsync("fitsverify", ["-q", fits.path]).catch((error) => error);
    expect(stdout).toMatch(/^verification OK/);
  });

  it(`reads ${BULK} objects in bounded chunks from one snapshot, never all at once`, async () => {
    const sql = createSqlPool(database.url, { max: 1 });
    const chunks: number[] = [];
    try {
      const result = await streamObjectTable({
        sql,
        spec: { filter: { source: "bulk" }, models: [], verbosity: 1, limit: Number.MAX_SAFE_INTEGER },
        writer: {
          needsSizes: false,
          begin: async () => {},
          rows: async (rows) => {
            chunks.push(rows.length);
          },
          end: async () => {},
        },
      });
      expect(result).toEqual({ rowCount: BULK, overflow: false });
    } finally {
      await sql.end();
    }
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(BULK);
    expect(Math.max(...chunks)).toBe(CHUNK_ROWS);
    expect(chunks.length).toBe(Math.ceil(BULK / CHUNK_ROWS));
  });

  it(`streams ${BULK} objects in every format, read back whole`, async () => {
    for (const format of ["votable", "fits", "csv"] as const) {
      const { response, path } = await download(`format=${format}&source=bulk&models=none&verb=2`, `bulk.${format}`);
      expect(response.status).toBe(200);
      const read = await vo(
        [format === "votable" ? "votable" : format, path, ...(format === "votable" ? ["strict"] : [])],
        {
          VO_SUMMARY: "1",
        },
      );
      expect(read.rows).toMatchObject({ count: BULK, distinct: BULK });
    }
  }, 240_000);

  it("stops reading when the client goes away mid-download", async () => {
    const lines: string[] = [];
    const chunkReads: string[] = [];
    const watched = await startApiServer({
      prisma,
      databaseUrl: database.url,
      config: parseApiEnv({ MACNET_API_LOG: "1" }),
      port: 0,
      log: (line) => lines.push(line),
      onQuery: (sql) => {
        if (/ORDER BY o\.id LIMIT/.test(sql) && !/count\(\*\)/.test(sql)) chunkReads.push(sql);
      },
    });
    try {
      const controller = new AbortController();
      const response = await fetch(`${base(watched)}/export?format=votable&source=bulk&models=none`, {
        headers: { authorization: `Bearer ${apiKey}` },
        signal: controller.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain("<VOTABLE");
      controller.abort();
      await vi.waitFor(() => expect(lines.join("\n")).toMatch(/\/export: the client closed the connection/), {
        timeout: 30_000,
      });
      // Backpressure held the reads to what the buffers took: far from the 50 chunks of the whole table.
      expect(chunkReads.length).toBeLessThan(Math.ceil(BULK / CHUNK_ROWS) / 2);
      expect(lines.join("\n")).not.toMatch(/500/);
    } finally {
      await watched.close();
    }
  });

  it("accepts the dashboard's session cookie, and refuses bad filters with the parameter named", async () => {
    const login = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `mutation { login(name: "collaborator", password: "collab-pw") { __typename } }`,
      }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^macnet_session=/);
    const withCookie = await fetch(exportUrl("format=csv&source=field&limit=3"), { headers: { cookie } });
    expect(withCookie.status).toBe(200);
    expect((await withCookie.text()).trim().split("\r\n")).toHaveLength(4);
    const keyed = await fetch(exportUrl("format=csv&limit=1"), {
      headers: { authorization: `Bearer ${collaboratorKey}` },
    });
    expect(keyed.status).toBe(200);
    for (const [query, message] of [
      ["format=xls", /format must be one of votable, fits, csv/],
      ["format=csv&split=TEST", /filter\.split needs filter\.datasetId/],
      ["format=csv&catalogueClass=PLANET", /catalogueClass must be one of GALAXY, QSO, STAR/],
      ["format=csv&ra=10&dec=5", /a cone needs ra, dec and radius/],
      ["format=csv&ra=10&dec=5&radius=-1", /cone\.radiusDeg must be in \(0, 90\]/],
      ["format=csv&models=1,2,3,4,5,6,7,8,9", /at most 8 models/],
      ["format=csv&format=fits", /parameter format is given more than once/],
    ] as const) {
      const response = await fetch(exportUrl(query), { headers: { authorization: `Bearer ${apiKey}` } });
      expect(response.status, query).toBe(400);
      expect(await response.text(), query).toMatch(message);
    }
    expect((await fetch(exportUrl("format=csv"), { method: "POST" })).status).toBe(405);
  });

  it("macnet export writes the file a filter selects, with a JSON summary, and refuses bad flags as usage errors", async () => {
    const env = { DATABASE_URL: database.url };
    const out = join(work, "cli.fits");
    const result = await runCli(
      [
        "export",
        "--format",
        "fits",
        "--cone",
        "150,2,2",
        "--class",
        "STAR",
        "--models",
        String(modelA),
        "--out",
        out,
        "--json",
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const expected = await graphqlObjects(
      { cone: { raDeg: 150, decDeg: 2, radiusDeg: 2 }, catalogueClass: "STAR" },
      modelA,
    );
    expect(result.json).toEqual({ format: "fits", out, rows: expected.length, overflow: false, models: [modelA] });
    const table = await vo(["fits", out]);
    expect(table.rows.map((row: { id: number }) => String(row.id))).toEqual(expected.map((o) => o.id));
    const csv = await runCli(
      ["export", "--format", "csv", "--source", "bulk", "--limit", "5", "--models", "none", "--out", "-"],
      env,
    );
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.trim().split("\r\n")).toHaveLength(6);
    const bad = await runCli(["export", "--format", "csv", "--cone", "1,2", "--out", join(work, "x.csv")], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^macnet: error: .*--cone must be RA,DEC,RADIUS/m);
    const badSplit = await runCli(["export", "--format", "csv", "--split", "test", "--out", join(work, "y.csv")], env);
    // The same filter check as /export's, the same code: a value that does not fit exits 2.
    expect(badSplit.code).toBe(2);
    expect(badSplit.stderr).toMatch(/macnet: error: filter\.split needs filter\.datasetId/);
    expect(() => readFileSync(join(work, "y.csv"))).toThrow();
  }, 120_000);
});
