import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CHUNK_ROWS, createSqlPool, parseApiEnv, startApiServer, streamObjectTable } from "@macnet/api";
import { describe, expect, it, vi } from "vitest";
import { runCli } from "./helpers/cli.ts";
import {
  apiKey,
  BULK,
  base,
  collaboratorKey,
  database,
  datasetId,
  execFileAsync,
  type GqlObject,
  graphqlObjects,
  modelA,
  prisma,
  server,
  useIvoaFixture,
  vo,
  work,
} from "./helpers/ivoa-fixture.ts";

// The platform in astronomers' own tools: astropy's VOTable, FITS and CSV readers (Debian's
// python3-astropy) read /export and `macnet export`, row for row what GraphQL answers. The cone
// search read by pyvo: test/ivoa.test.ts.

useIvoaFixture();

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
