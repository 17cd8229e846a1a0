import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  apiKey,
  base,
  datasetId,
  type GqlObject,
  graphqlObjects,
  modelA,
  modelB,
  publicServer,
  useIvoaFixture,
  vo,
  work,
} from "./helpers/ivoa-fixture.ts";

// The platform in astronomers' own tools: pyvo's Simple Cone Search client reads /scs, and what it
// reads is row for row what GraphQL answers. Exports read by astropy: test/ivoa-exports.test.ts.

useIvoaFixture();

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
