import { type ChildProcess, spawn } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsFile } from "@macnet/fits";
import { ingestPaths, readSurveyFile } from "@macnet/ingest";
import { simulateSurvey } from "@macnet/survey-sim";
import jpeg from "jpeg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedTestDatabase, queryRows, type TestDatabase } from "./helpers/database.ts";
import { cliEntry, describeWithRealData, itWithRealData, realDataRoot, repoRoot } from "./helpers/paths.ts";

const real = realDataRoot;
const opened: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((database) => database.dispose()));
});

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createMigratedTestDatabase();
  opened.push(database);
  return database;
}

async function tableCounts(url: string): Promise<Record<string, number>> {
  const [row] = await queryRows<Record<string, string>>(
    url,
    `SELECT (SELECT count(*) FROM celestial_object) AS objects, (SELECT count(*) FROM object_key) AS keys, (SELECT count(*) FROM spectrum_2d) AS strips,
            (SELECT count(*) FROM spectrum_1d) AS spectra, (SELECT count(*) FROM cutout) AS cutouts, (SELECT max(updated_at)::text FROM celestial_object) AS last_update`,
  );
  return Object.fromEntries(
    Object.entries(row ?? {}).map(([key, value]) => [
      key,
      key === "last_update" ? (value as unknown as number) : Number(value),
    ]),
  );
}

describeWithRealData("ingest of the real survey files", () => {
  let url: string;
  let report: Awaited<ReturnType<typeof ingestPaths>>;
  beforeAll(async () => {
    url = (await freshDatabase()).url;
    report = await ingestPaths({ databaseUrl: url, paths: [real] });
  });

  itWithRealData("recognises every file by content and rejects only what it cannot use, saying why", () => {
    expect(report.files.byKind).toEqual({
      "lamost-1d": 170,
      "sdss-spectrum": 92,
      "cutout-image": 1783,
      "lamost-catalogue": 1,
      "sdss-catalogue": 1,
      unrecognised: 2,
    });
    const files = report.rejected.filter((rejection) => !rejection.file.includes(".csv:"));
    expect(files.map((rejection) => [rejection.file.replace(`${real}/`, ""), rejection.field])).toEqual([
      ["README.md", undefined],
      ["lamost/laspec_dr6_dr7_lrs_mrs/med-58408-TD230151N343645T01_sp01-015.fits", "XTENSION"],
    ]);
    expect(files[1]?.reason).toMatch(/medium-resolution/);
    const rows = report.rejected.filter((rejection) => rejection.file.includes(".csv:"));
    expect(rows.length).toBeGreaterThan(0);
    for (const rejection of rows) expect(rejection.field).toMatch(/^(ra|dec)$/);
  });

  it("stores the class each LAMOST header gives, per folder", async () => {
    const counts = await queryRows<{ folder: string; class: string | null; n: string }>(
      url,
      `SELECT split_part(s.source_file, '/', -2) AS folder, o.catalog_class::text AS class, count(*) AS n
         FROM spectrum_1d s JOIN celestial_object o ON o.id = s.object_id WHERE s.survey = 'LAMOST' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(counts.map((row) => [row.folder, row.class, Number(row.n)])).toEqual([
      ["dr10_lrs_stars_sample", "STAR", 15],
      ["dr1_plate_B6212_sp06", "STAR", 93],
      ["dr7_obsid_named_gz", "STAR", 6],
      ["dr7_plate_HD103621N361936B01_sp03", "GALAXY", 5],
      ["dr7_plate_HD103621N361936B01_sp03", "STAR", 48],
      ["dr7_plate_HD103621N361936B01_sp03", null, 1],
      ["laspec_dr6_dr7_lrs_mrs", "STAR", 2],
    ]);
  });

  it("reports what it stored", () => {
    expect(report.stored).toEqual({ strips: 0, spectra1d: 261, cutouts: 1783, truthLabels: 0 });
    expect(report.objects).toMatchObject({ created: 15124, merged: 1 });
  });

  itWithRealData("stores SDSS classes from SPECOBJ/SPALL and cutout classes from their folders", async () => {
    const sdss = await queryRows<{ class: string; n: string }>(
      url,
      `SELECT o.catalog_class::text AS class, count(*) AS n FROM spectrum_1d s JOIN celestial_object o ON o.id = s.object_id WHERE s.survey = 'SDSS' GROUP BY 1 ORDER BY 1`,
    );
    // 92 files, 89 of them quasars; two are spectra of the same quasar, and the report says which replaced which.
    expect(sdss.map((row) => [row.class, Number(row.n)])).toEqual([
      ["GALAXY", 3],
      ["QSO", 88],
    ]);
    expect(report.superseded).toHaveLength(1);
    expect(report.superseded[0]).toMatchObject({
      what: "1D spectrum",
      file: expect.stringMatching(/spec-\d+-\d+-\d+\.fits$/),
      by: expect.stringMatching(/spec-\d+-\d+-\d+\.fits$/),
    });
    // One object per transaction: the repeat observation lands in another batch than the first and
    // is reported and counted the same way.
    const { url: single } = await freshDatabase();
    const oneByOne = await ingestPaths({
      databaseUrl: single,
      paths: [join(real, "sdss/spectra_spec_lite")],
      batchObjects: 1,
    });
    expect(oneByOne.superseded).toEqual([
      { ...report.superseded[0], file: expect.any(String), by: expect.any(String) },
    ]);
    expect(oneByOne.superseded[0]?.file.split("/").pop()).toBe(report.superseded[0]?.file.split("/").pop());
    expect(oneByOne.stored.spectra1d).toBe(91);
    const [stored] = await queryRows<{ n: string }>(single, "SELECT count(*) AS n FROM spectrum_1d");
    expect(Number(stored?.n)).toBe(91);
    const images = await queryRows<{ folder: string; class: string; n: string }>(
      url,
      `SELECT split_part(c.source_file, '/', -2) AS folder, o.catalog_class::text AS class, count(*) AS n FROM cutout c JOIN celestial_object o ON o.id = c.object_id GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(images.map((row) => [row.folder, row.class, Number(row.n)])).toEqual([
      ["galaxy", "GALAXY", 570],
      ["qso", "QSO", 605],
      ["star", "STAR", 608],
    ]);
    const [size] = await queryRows<{ w: number; h: number; bytes: number }>(
      url,
      "SELECT DISTINCT width_px AS w, height_px AS h, length(rgb) AS bytes FROM cutout",
    );
    expect(size).toEqual({ w: 64, h: 64, bytes: 64 * 64 * 3 });
  });

  it("matches the three SDSS spectrum + image pairs into single objects with a position", async () => {
    const pairs = await queryRows<{ objid: string; spectra: string; cutouts: string; ra: number | null }>(
      url,
      `SELECT o.sdss_objid::text AS objid, (SELECT count(*) FROM spectrum_1d s WHERE s.object_id = o.id) AS spectra,
              (SELECT count(*) FROM cutout c WHERE c.object_id = o.id) AS cutouts, o.ra_deg AS ra
         FROM celestial_object o WHERE o.sdss_objid IN (1237648720148430865, 1237648703524110429, 1237648720673571077) ORDER BY 1`,
    );
    expect(pairs.map((row) => [row.objid, Number(row.spectra), Number(row.cutouts), row.ra !== null])).toEqual([
      ["1237648703524110429", 1, 1, true],
      ["1237648720148430865", 1, 1, true],
      ["1237648720673571077", 1, 1, true],
    ]);
    const [run] = await queryRows<{ status: string; rejections: string }>(
      url,
      "SELECT r.status, (SELECT count(*) FROM ingest_rejection j WHERE j.run_id = r.id) AS rejections FROM ingest_run r WHERE r.id = $1",
      [report.runId],
    );
    expect(run).toEqual({ status: "SUCCEEDED", rejections: String(report.rejected.length) });
  });
});

describe("ingest of a simulated survey", () => {
  let survey: string;
  beforeAll(async () => {
    survey = mkdtempSync(join(tmpdir(), "macnet-ingest-sim-"));
    await simulateSurvey({
      outDir: survey,
      objects: 48,
      seed: 8,
      plans: 2,
      fibresPerSpectrograph: 28,
      labelNoise: 0.1,
      missingCutouts: 0.05,
    });
  });

  it("round-trips every object's strips, 1D spectrum and cutout with the catalogue's labels, never the truth's", async () => {
    const { url } = await freshDatabase();
    const report = await ingestPaths({ databaseUrl: url, paths: [survey], source: "simulated" });
    expect(report.rejected).toEqual([]);
    expect(report.files.byKind).toMatchObject({
      "lamost-frame": 4,
      "lamost-1d": 48,
      "cutout-image": 46,
      "lamost-catalogue": 1,
      "truth-file": 1,
      "survey-manifest": 1,
    });
    // The truth file is kept apart (label_truth, for label audits), one row per object.
    expect(report.stored.truthLabels).toBe(48);
    const catalogue = new Map(
      readFileSync(join(survey, "catalogue.csv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => [line.split(",")[0], line.split(",")[15]]),
    );
    const truth = new Map(
      readFileSync(join(survey, "truth.csv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(","))
        .map((cells) => [cells[0], cells]),
    );
    const stored = await queryRows<{
      obsid: string;
      class: string;
      strips: string;
      spectra: string;
      cutouts: string;
      missing: string[];
    }>(
      url,
      `SELECT o.obsid::text AS obsid, o.catalog_class::text AS class, o.missing_modalities::text[] AS missing,
              (SELECT count(*) FROM spectrum_2d s WHERE s.object_id = o.id AND s.width_px = 11 AND s.length_px = 4096) AS strips,
              (SELECT count(*) FROM spectrum_1d s WHERE s.object_id = o.id) AS spectra, (SELECT count(*) FROM cutout c WHERE c.object_id = o.id) AS cutouts
         FROM celestial_object o ORDER BY o.obsid`,
    );
    expect(stored).toHaveLength(48);
    let flipped = 0;
    for (const object of stored) {
      const facts = truth.get(object.obsid) as string[];
      expect(object.class).toBe(catalogue.get(object.obsid));
      if (facts[1] !== object.class) flipped++;
      expect(Number(object.strips)).toBe(2);
      expect(Number(object.spectra)).toBe(1);
      expect(Number(object.cutouts)).toBe(facts[6] === "1" ? 1 : 0);
      expect(object.missing).toEqual(facts[6] === "1" ? [] : ["CUTOUT"]);
    }
    expect(flipped).toBe(5);
    // The strip follows the drifting trace: its centre row is the brightest, its edges the faintest.
    const [strip] = await queryRows<{ data: Buffer }>(
      url,
      "SELECT data FROM spectrum_2d WHERE arm = 'RED' ORDER BY object_id LIMIT 1",
    );
    const values = new Float32Array(new Uint8Array(strip?.data ?? Buffer.alloc(0)).slice().buffer);
    const rowMean = (row: number) => values.subarray(row * 4096, (row + 1) * 4096).reduce((a, b) => a + b, 0) / 4096;
    expect(rowMean(5)).toBeGreaterThan(1.5 * rowMean(0));
    expect(rowMean(5)).toBeGreaterThan(1.5 * rowMean(10));
  });

  it("stores every frame's strips byte for byte as cut, in small batches whose strip buffers are recycled", async () => {
    const { url } = await freshDatabase();
    // Four objects a batch: after each commit the batch's strip buffers go back to the read thread,
    // which cuts later frames' strips into them.
    const report = await ingestPaths({ databaseUrl: url, paths: [survey], batchObjects: 4 });
    expect(report.rejected).toEqual([]);
    expect(report.stored.strips).toBe(96);
    const want = new Map<string, Buffer>();
    const frames = join(survey, "frames");
    for (const name of readdirSync(frames, { recursive: true }).map(String)) {
      if (!name.endsWith(".fits")) continue;
      const path = join(frames, name);
      for (const item of readSurveyFile(path, readFileSync(path)).items)
        for (const strip of item.strips ?? [])
          want.set(
            `${item.object.obsid}:${strip.arm}`,
            Buffer.from(strip.data.buffer, strip.data.byteOffset, strip.data.byteLength),
          );
    }
    expect(want.size).toBe(96);
    const stored = await queryRows<{ obsid: string; arm: string; data: Buffer }>(
      url,
      "SELECT o.obsid::text AS obsid, s.arm::text AS arm, s.data FROM spectrum_2d s JOIN celestial_object o ON o.id = s.object_id",
    );
    expect(stored).toHaveLength(96);
    for (const row of stored) expect(Buffer.compare(row.data, want.get(`${row.obsid}:${row.arm}`) as Buffer)).toBe(0);
  });

  it("changes nothing when run again, on the same files or on copies elsewhere", async () => {
    const { url } = await freshDatabase();
    await ingestPaths({ databaseUrl: url, paths: [survey] });
    const before = await tableCounts(url);
    const again = await ingestPaths({ databaseUrl: url, paths: [survey] });
    expect(again.files.alreadyIngested).toBe(again.files.total);
    expect(again.objects).toEqual({ created: 0, updated: 0, positionMatches: 0, merged: 0 });
    const copy = join(mkdtempSync(join(tmpdir(), "macnet-ingest-copy-")), "copy");
    cpSync(survey, copy, { recursive: true });
    const copied = await ingestPaths({ databaseUrl: url, paths: [copy] });
    expect(copied.files.alreadyIngested).toBe(copied.files.total);
    // Forgetting which files were ingested re-reads everything; the upserts still add nothing.
    await queryRows(url, "DELETE FROM ingested_file");
    const reread = await ingestPaths({ databaseUrl: url, paths: [survey] });
    expect(reread.objects.created).toBe(0);
    expect({ ...(await tableCounts(url)), last_update: 0 }).toEqual({ ...before, last_update: 0 });
  });

  it("resumes after kill -9 without duplicates or partial objects", async () => {
    const { url } = await freshDatabase();
    const child: ChildProcess = spawn(process.execPath, [cliEntry, "ingest", survey, "--batch", "4", "--json"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url },
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Kill as soon as the first batch has committed (state, not timing, decides when).
    for (;;) {
      const [state] = await queryRows<{ files: string }>(url, "SELECT count(*) AS files FROM ingested_file");
      if (Number(state?.files) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGKILL");
    await exited;
    const partial = await tableCounts(url);
    // The catalogue (first by name) commits all objects at once; frames, spectra and cutouts were still to come.
    expect((partial.strips as number) + (partial.spectra as number) + (partial.cutouts as number)).toBeLessThan(
      96 + 48 + 46,
    );
    // Whatever was committed is whole: every stored strip has a stored object, and keys point at objects.
    const [orphans] = await queryRows<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM object_key k LEFT JOIN celestial_object o ON o.id = k.object_id WHERE o.id IS NULL",
    );
    expect(Number(orphans?.n)).toBe(0);
    const resumed = await ingestPaths({ databaseUrl: url, paths: [survey] });
    expect(resumed.files.alreadyIngested).toBeGreaterThan(0);
    const after = await tableCounts(url);
    expect(after).toMatchObject({ objects: 48, strips: 96, spectra: 48, cutouts: 46 });
    const [duplicates] = await queryRows<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM (SELECT obsid FROM celestial_object GROUP BY obsid HAVING count(*) > 1) d",
    );
    expect(Number(duplicates?.n)).toBe(0);
  });
});

describe("g/r/i cutouts as FITS", () => {
  it("combines the three bands into the same Lupton RGB the JPEG shows, and reports a missing band", async () => {
    const survey = mkdtempSync(join(tmpdir(), "macnet-ingest-bands-"));
    await simulateSurvey({
      outDir: survey,
      objects: 8,
      seed: 4,
      plans: 1,
      fibresPerSpectrograph: 10,
      missingCutouts: 0,
      cutoutFits: true,
    });
    const obsids = readFileSync(join(survey, "catalogue.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0] as string);
    const removed = obsids[0] as string;
    const setAside = join(mkdtempSync(join(tmpdir(), "macnet-band-")), "r.fits");
    renameSync(join(survey, "cutouts", `${removed}-r.fits`), setAside);
    const { url } = await freshDatabase();
    const report = await ingestPaths({ databaseUrl: url, paths: [survey] });
    expect(report.files.byKind["cutout-band"]).toBe(8 * 3 - 1);
    expect(report.rejected.map((rejection) => [rejection.field, rejection.reason])).toEqual([
      ["FILTER", `no r band for obsid:${removed}: a cutout needs g, r and i`],
      ["FILTER", `no r band for obsid:${removed}: a cutout needs g, r and i`],
    ]);
    const pairs = await queryRows<{ obsid: string; fits: Buffer; jpeg: Buffer }>(
      url,
      `SELECT o.obsid::text AS obsid, f.rgb AS fits, j.rgb AS jpeg FROM celestial_object o
         JOIN cutout f ON f.object_id = o.id AND f.source = 'gri-fits' JOIN cutout j ON j.object_id = o.id AND j.source = 'cutout-file'`,
    );
    expect(pairs).toHaveLength(7);
    for (const pair of pairs) {
      // Both start from the same Lupton composite: JPEG-encoding the one made from the FITS bands at
      // the simulator's quality must give back the stored JPEG's pixels.
      const rgba = new Uint8Array(64 * 64 * 4).fill(255);
      for (let k = 0; k < 64 * 64; k++) for (let c = 0; c < 3; c++) rgba[k * 4 + c] = pair.fits[k * 3 + c] as number;
      const roundTrip = jpeg.decode(jpeg.encode({ data: rgba, width: 64, height: 64 }, 75).data, {
        useTArray: true,
      }).data;
      let difference = 0;
      for (let k = 0; k < 64 * 64; k++)
        for (let c = 0; c < 3; c++)
          difference += Math.abs((roundTrip[k * 4 + c] as number) - (pair.jpeg[k * 3 + c] as number));
      expect(difference / (64 * 64 * 3), pair.obsid).toBeLessThan(0.5);
    }
    // The incomplete object's g and i files were not recorded as ingested: with r back, it completes.
    renameSync(setAside, join(survey, "cutouts", `${removed}-r.fits`));
    const resumed = await ingestPaths({ databaseUrl: url, paths: [survey] });
    expect(resumed.files.byKind["cutout-band"]).toBe(3);
    expect(resumed.rejected).toEqual([]);
    const [completed] = await queryRows<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM cutout c JOIN celestial_object o ON o.id = c.object_id WHERE c.source = 'gri-fits' AND o.obsid = $1",
      [removed],
    );
    expect(Number(completed?.n)).toBe(1);
  });
});

describe("bad input", () => {
  itWithRealData(
    "rejects each bad file or row with a reason naming file and field, and stores everything good",
    async () => {
      const { url } = await freshDatabase();
      const dir = mkdtempSync(join(tmpdir(), "macnet-ingest-bad-"));
      const lamostDir = join(real, "lamost/dr7_plate_HD103621N361936B01_sp03");
      const good = [
        "spec-58575-HD103621N361936B01_sp03-002.fits",
        "spec-58575-HD103621N361936B01_sp03-008.fits",
        "spec-58575-HD103621N361936B01_sp03-010.fits",
      ];
      for (const name of good) copyFileSync(join(lamostDir, name), join(dir, name));
      const source = readFileSync(join(lamostDir, "spec-58575-HD103621N361936B01_sp03-011.fits"));
      writeFileSync(join(dir, "truncated.fits"), source.subarray(0, 20000));
      const withNaN = Buffer.from(source);
      const probe = FitsFile.fromBuffer(withNaN);
      withNaN.writeFloatBE(Number.NaN, (probe.hdus[0]?.dataOffset ?? 0) + 4 * 100);
      writeFileSync(join(dir, "nan-flux.fits"), withNaN);
      const strips = join(dir, "strips");
      mkdirSync(strips);
      const survey = mkdtempSync(join(tmpdir(), "macnet-ingest-bad-sim-"));
      await simulateSurvey({ outDir: survey, objects: 3, seed: 2, plans: 1, fibresPerSpectrograph: 12, strips: true });
      const stripFile = join(
        survey,
        "strips",
        `${readFileSync(join(survey, "catalogue.csv"), "utf8").split("\n")[1]?.split(",")[0]}-b.fits`,
      );
      const wrongShape = Buffer.from(
        readFileSync(stripFile)
          .toString("latin1")
          .replace("NAXIS2  =                   15", "NAXIS2  =                    5"),
        "latin1",
      );
      writeFileSync(join(strips, "wrong-shape.fits"), wrongShape.subarray(0, wrongShape.length));
      writeFileSync(
        join(dir, "broken.jpg"),
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]),
      );
      // Cut short: a decoder could paper over the missing rows with grey; it must be refused instead.
      const skyserver = join(real, "sdss/images_skyserver_jpeg/star");
      const jpegBytes = readFileSync(join(skyserver, readdirSync(skyserver).sort()[0] as string));
      writeFileSync(join(dir, "1237000000000000001.jpg"), jpegBytes.subarray(0, Math.floor(jpegBytes.length / 2)));
      const header = "obsid,designation,obsdate,lmjd,planid,spid,fiberid,ra,dec,class,subclass,z";
      writeFileSync(
        join(dir, "catalogue.csv"),
        [
          header,
          "740103002,J103250.26+354136.2,2019-04-01,58575,HD103621N361936B01,3,2,158.209454,35.693413,GALAXY,,0.1",
          "900000001,J000000.00+000000.0,2019-04-01,58575,X,1,1,10.0,20.0,PLANET,,0",
          "900000002,J000000.00+000000.0,2019-04-01,58575,X,1,2,10.5,20.5,STAR,G2,0",
        ].join("\n"),
      );
      const report = await ingestPaths({ databaseUrl: url, paths: [dir] });
      const byFile = (name: string) => report.rejected.filter((rejection) => rejection.file.includes(name));
      expect(byFile("truncated.fits")[0]?.reason).toMatch(/truncated/);
      expect(byFile("nan-flux.fits")[0]).toMatchObject({ field: "FLUX" });
      expect(byFile("nan-flux.fits")[0]?.reason).toMatch(/non-finite value \(NaN\) in FLUX at index 100/);
      expect(byFile("wrong-shape.fits")[0]?.reason).toMatch(/truncated|shape/);
      expect(byFile("broken.jpg")[0]).toMatchObject({ field: "SOF", reason: expect.stringMatching(/frame header/) });
      expect(byFile("1237000000000000001.jpg")[0]).toMatchObject({
        field: "image",
        reason: expect.stringMatching(/unreadable JPEG \(.*(Premature end|marker)/),
      });
      expect(byFile("catalogue.csv:3")[0]).toMatchObject({
        field: "class",
        reason: expect.stringMatching(/unknown class 'PLANET'/),
      });
      // obsid 740103002 is a GALAXY in the CSV (read first, sorted by name) and a STAR in its FITS header: the FITS file is refused.
      expect(byFile("catalogue.csv")).toHaveLength(1);
      expect(byFile("sp03-002.fits")[0]).toMatchObject({
        field: "CLASS",
        reason: expect.stringMatching(/class STAR conflicts with GALAXY already known for obsid:740103002/),
      });
      const objects = await queryRows<{ obsid: string; class: string }>(
        url,
        "SELECT obsid::text, catalog_class::text AS class FROM celestial_object ORDER BY obsid",
      );
      expect(objects).toEqual([
        { obsid: "740103002", class: "GALAXY" },
        { obsid: "740103008", class: "GALAXY" },
        { obsid: "740103010", class: "STAR" },
        { obsid: "900000002", class: "STAR" },
      ]);
    },
  );
});
