import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync, gzipSync } from "node:zlib";
import { MAX_STRIP_LENGTH_PX } from "@macnet/db";
import { writeFits } from "@macnet/fits";
import { ingestPaths } from "@macnet/ingest";
import { simulateSurvey } from "@macnet/survey-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { createMigratedTestDatabase, queryRows, type TestDatabase } from "../helpers/database.ts";
import { cliEntry, itWithRealData, realDataRoot, repoRoot } from "../helpers/paths.ts";

// Survey files as an attacker or a careless user hands them over: decompression bombs, forged image
// headers, symlink loops, FIFOs, a million junk CSV rows, bad bytes in one row, a run killed with
// kill -9. Every input is made here; each bad one is refused alone, naming file (and line) and
// field, and everything good beside it is stored.

const real = realDataRoot;
const lamost = join(real, "lamost/dr7_plate_HD103621N361936B01_sp03");
const skyserver = join(real, "sdss/images_skyserver_jpeg/star");
const CATALOGUE_HEADER = "obsid,designation,obsdate,lmjd,planid,spid,fiberid,ra,dec,class,subclass,z";

let database: TestDatabase;
beforeAll(async () => {
  database = await createMigratedTestDatabase();
});
afterAll(async () => database?.dispose());

function scratch(name: string): string {
  return mkdtempSync(join(tmpdir(), `macnet-hostile-${name}-`));
}

/** Three real LAMOST spectra and one real SkyServer cutout, the good files beside each bad one. */
function goodFiles(dir: string): void {
  for (const name of readdirSync(lamost).sort().slice(0, 3)) copyFileSync(join(lamost, name), join(dir, name));
  const cutouts = join(dir, "star");
  mkdirSync(cutouts);
  const jpeg = readdirSync(skyserver).sort()[0] as string;
  copyFileSync(join(skyserver, jpeg), join(cutouts, jpeg));
}

/** A PNG chunk with its CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid greyscale PNG of width × height black pixels (deflate makes it small). */
function blackPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const idat = deflateSync(Buffer.alloc(height * (1 + width)), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("decompression bombs and forged image headers", () => {
  itWithRealData("refuses each from its header, before decoding, and stores the good files beside them", async () => {
    const dir = scratch("bombs");
    goodFiles(dir);
    const galaxy = join(dir, "galaxy");
    mkdirSync(galaxy);
    // A real PNG that decodes to 6000 × 6000 (36 M pixels) from ~40 KB.
    writeFileSync(join(galaxy, "1237000000000000011.png"), blackPng(6000, 6000));
    // A header claiming 20000 × 20000 over 100 bytes of data.
    const forged = blackPng(64, 64);
    forged.writeUInt32BE(20_000, 16);
    forged.writeUInt32BE(20_000, 20);
    writeFileSync(join(galaxy, "1237000000000000012.png"), forged);
    // Within the size limit, but the data cannot hold the 4000 × 4000 pixels claimed (was stored black).
    const hollow = blackPng(64, 64);
    hollow.writeUInt32BE(4000, 16);
    hollow.writeUInt32BE(4000, 20);
    writeFileSync(join(galaxy, "1237000000000000013.png"), hollow);
    // A real JPEG whose frame header claims 20000 × 20000.
    const jpeg = Buffer.from(readFileSync(join(skyserver, readdirSync(skyserver).sort()[1] as string)));
    let sof = 2;
    while (!(jpeg[sof] === 0xff && (jpeg[sof + 1] === 0xc0 || jpeg[sof + 1] === 0xc2))) sof++;
    jpeg.writeUInt16BE(20_000, sof + 5);
    jpeg.writeUInt16BE(20_000, sof + 7);
    writeFileSync(join(galaxy, "1237000000000000014.jpg"), jpeg);
    // gzip members of 64 MiB of zeros each, 5 of them: 320 KB on disk, 320 MiB inflated.
    writeFileSync(join(dir, "bomb.fits.gz"), Buffer.concat(Array(5).fill(gzipSync(Buffer.alloc(64 * 1024 ** 2)))));

    const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "bombs" });
    const reasons = Object.fromEntries(
      report.rejected.map((r) => [r.file.replace(`${dir}/`, ""), `${r.field}: ${r.reason}`]),
    );
    expect(reasons).toEqual({
      "bomb.fits.gz": "gzip: gzip stream inflates to more than 268435456 bytes",
      "galaxy/1237000000000000011.png": expect.stringMatching(
        /^IHDR: image header claims 6000×6000 pixels, over the 4096×4096/,
      ),
      "galaxy/1237000000000000012.png": expect.stringMatching(/^IHDR: image header claims 20000×20000 pixels/),
      "galaxy/1237000000000000013.png": expect.stringMatching(
        /^IDAT: PNG data \(\d+ compressed bytes\) cannot hold the 4000×4000 pixels/,
      ),
      "galaxy/1237000000000000014.jpg": expect.stringMatching(/^SOF: image header claims 20000×20000 pixels/),
    });
    expect(report.rejectedCount).toBe(5);
    expect(report.stored).toEqual({ strips: 0, spectra1d: 3, cutouts: 1, truthLabels: 0 });
    const forgedCutouts = await queryRows(database.url, "SELECT 1 FROM cutout WHERE source_file LIKE '%/galaxy/%'");
    expect(forgedCutouts).toEqual([]); // no black cutout stored as a GALAXY
  });
});

describe("one bad path never costs the good ones", () => {
  itWithRealData(
    "reports a symlink loop, a dangling link and a FIFO, and stores the three spectra beside them",
    async () => {
      const dir = scratch("tree");
      goodFiles(dir);
      symlinkSync(dir, join(dir, "loop"));
      symlinkSync(join(dir, "missing.fits"), join(dir, "dangling.fits"));
      expect(spawnSync("mkfifo", [join(dir, "pipe.fits")]).status).toBe(0);
      const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "tree" });
      expect(report.rejected.map((r) => [r.file.replace(`${dir}/`, ""), r.field, r.reason])).toEqual([
        ["dangling.fits", "path", "dangling symbolic link: skipped"],
        ["loop", "path", "folder already walked through another path (symbolic link loop or duplicate): skipped"],
        ["pipe.fits", "path", "a FIFO, not a survey file: skipped"],
      ]);
      expect(report.files.total).toBe(4);
      expect(report.stored.spectra1d + report.files.alreadyIngested).toBeGreaterThanOrEqual(3);
    },
  );
});

describe("catalogue CSVs keep their good rows whatever the bad ones hold", () => {
  it("keeps a CSV's valid rows around a bad-encoding line, a NUL byte, a broken quote and a duplicate id, naming each line", async () => {
    const dir = scratch("csv");
    const row = (obsid: number, ra: number, cls = "STAR") =>
      `${obsid},J000000.00+000000.0,2019-04-01,58575,P${obsid},1,${obsid % 250},${ra},20,${cls},,0`;
    const lines = [
      Buffer.from(`${CATALOGUE_HEADER}\n${row(910000001, 10)}\n`),
      Buffer.concat([Buffer.from("910000002,J\xff\xfe"), Buffer.from([0xff, 0xfe]), Buffer.from(",x\n")]),
      Buffer.concat([Buffer.from("910000003,J"), Buffer.from([0]), Buffer.from(",2019\n")]),
      Buffer.from(`910000004,"J000000.00+000000.0,2019-04-01,58575,P,1,1,10,20,STAR,,0\n`),
      Buffer.from(`${row(910000005, 11)}\n${row(910000005, 12, "GALAXY")}\n${row(910000006, 13)}\n`),
    ];
    writeFileSync(join(dir, "catalogue.csv"), Buffer.concat(lines));
    const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "csv" });
    expect(report.files.byKind).toEqual({ "lamost-catalogue": 1 });
    const at = (line: number) => report.rejected.find((r) => r.file === `${join(dir, "catalogue.csv")}:${line}`);
    expect(at(3)).toMatchObject({ field: "encoding", reason: "the line is not valid UTF-8 text" });
    expect(at(4)).toMatchObject({ field: "encoding", reason: expect.stringMatching(/control characters/) });
    expect(at(5)).toMatchObject({ field: "csv", reason: "unclosed quote" });
    expect(at(7)).toMatchObject({ field: "CLASS", reason: expect.stringMatching(/conflicts with STAR/) });
    expect(report.rejectedCount).toBe(4);
    const stored = await queryRows<{ obsid: string }>(
      database.url,
      "SELECT obsid::text FROM celestial_object WHERE source = 'csv' ORDER BY obsid",
    );
    expect(stored.map((o) => o.obsid)).toEqual(["910000001", "910000005", "910000006"]);
  });

  it("streams a million junk rows' rejections to the run's table, lists the first 100 and keeps the good rows", async () => {
    const dir = scratch("junk");
    const junk = "junk,junk,junk,junk,junk,junk,junk,junk,junk,junk,junk,junk\n".repeat(1_000_000);
    const good = (obsid: number, fibre: number) => `${obsid},J,2019-04-01,58575,P,1,${fibre},10,20,STAR,,0\n`;
    writeFileSync(join(dir, "junk.csv"), `${CATALOGUE_HEADER}\n${good(920000001, 1)}${junk}${good(920000002, 2)}`);
    const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "junk" });
    expect(report.rejectedCount).toBe(10_001); // 10 000 rows listed one by one, then one line counting the rest
    expect(report.rejected).toHaveLength(100);
    expect(report.rejected[0]).toMatchObject({ file: `${join(dir, "junk.csv")}:3`, field: "obsid" });
    const [stored] = await queryRows<{ rejections: string; last: string }>(
      database.url,
      `SELECT count(*) AS rejections, max(reason) FILTER (WHERE file_path NOT LIKE '%:%') AS last
         FROM ingest_rejection WHERE run_id = $1`,
      [report.runId],
    );
    expect(stored).toEqual({ rejections: "10001", last: "990000 more bad rows rejected (the first 10000 are listed)" });
    expect(report.objects.created).toBe(2);
  });
});

/** A FITS file with one header card's value replaced (the card keeps its 80 characters). */
function withCard(fits: Buffer, key: string, value: string): Buffer {
  const out = Buffer.from(fits);
  for (let at = 0; at < 2880 * 4; at += 80) {
    if (out.toString("latin1", at, at + 8).trimEnd() === key) {
      out.write(`${key.padEnd(8)}= ${value.padStart(20)}`.padEnd(80), at, "latin1");
      return out;
    }
  }
  throw new Error(`no ${key} card`);
}

describe("numbers from files are data: an out-of-range value costs its row or file, not the run", () => {
  itWithRealData(
    "rejects identifiers that do not fit their columns by file:line and field, and stores everything else",
    async () => {
      const dir = scratch("ranges");
      const row = (obsid: string, lmjd: string, spid: string, fiber: string) =>
        `${obsid},J,2019-04-01,${lmjd},RANGES,${spid},${fiber},10,20,STAR,,0`;
      writeFileSync(
        join(dir, "catalogue.csv"),
        [
          CATALOGUE_HEADER,
          row("930000001", "58575", "1", "1"),
          row("99999999999999999999", "58575", "1", "2"),
          row("930000003", "58575", "1", "3000000000"),
          row("930000004", "99999999999", "1", "4"),
          row("930000005", "58575", "1.5", "5"),
          row("930000006", "58575", "0x10", "6"),
          row("930000007", "58575", "2", "7"),
        ].join("\n"),
      );
      writeFileSync(
        join(dir, "sdss.csv"),
        "objid,ra,dec,u,g,r,i,z,class,redshift,plate,mjd,fiberid\n" +
          "99999999999999999999,10,20,1,1,1,1,1,STAR,0,1,2,3\n" +
          "1237000000000000001,10.5,20,1,1,1,1,1,STAR,0,1,2,4\n",
      );
      writeFileSync(
        join(dir, "truth.csv"),
        "obsid,true_class,catalogue_class,label_flipped\n930000001,STAR,STAR,0\n99999999999999999999,STAR,STAR,0\n",
      );
      const spectra = readdirSync(lamost).sort();
      const fits = readFileSync(join(lamost, spectra[0] as string));
      writeFileSync(join(dir, "obsid.fits"), withCard(fits, "OBSID", "99999999999999999999"));
      writeFileSync(
        join(dir, "fiber.fits"),
        withCard(readFileSync(join(lamost, spectra[1] as string)), "FIBERID", "3000000000"),
      );
      writeFileSync(join(dir, "half.fits"), withCard(readFileSync(join(lamost, spectra[2] as string)), "OBSID", "1.5"));
      copyFileSync(join(lamost, spectra[3] as string), join(dir, "good.fits"));
      const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "ranges" });
      const reasons = Object.fromEntries(
        report.rejected.map((r) => [`${r.file.replace(`${dir}/`, "")} ${r.field}`, r.reason]),
      );
      expect(reasons).toEqual({
        "catalogue.csv:3 obsid": `obsid '99999999999999999999' is outside [0, 9223372036854775807]`,
        "catalogue.csv:4 fiberid": "fiberid '3000000000' is not a whole number in [0, 2147483647]",
        "catalogue.csv:5 lmjd": "lmjd '99999999999' is not a whole number in [0, 2147483647]",
        "catalogue.csv:6 spid": "spid '1.5' is not a whole number in [0, 2147483647]",
        "catalogue.csv:7 spid": "spid '0x10' is not a number",
        "sdss.csv:2 objid": `objid '99999999999999999999' is outside [0, 9223372036854775807]`,
        "truth.csv:3 obsid": `obsid '99999999999999999999' is outside [0, 9223372036854775807]`,
        "obsid.fits OBSID": `OBSID '99999999999999999999' is outside [0, 9223372036854775807]`,
        "fiber.fits FIBERID": "FIBERID '3000000000' is not a whole number in [0, 2147483647]",
        "half.fits OBSID": "OBSID '1.5' is not a whole number",
      });
      expect(report.stored.truthLabels).toBe(1);
      const stored = await queryRows<{ obsid: string | null }>(
        database.url,
        "SELECT obsid::text FROM celestial_object WHERE source = 'ranges' ORDER BY obsid",
      );
      expect(stored.map((o) => o.obsid)).toEqual([
        expect.stringMatching(/^7\d{8}$/), // good.fits
        "930000001",
        "930000007",
        null, // the SDSS row with a sound objid
      ]);
      // A rerun skips the files it stored and rejects the three wholly bad ones again; nothing fails.
      const again = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "ranges" });
      expect(again.files.alreadyIngested).toBe(4);
      expect(again.rejected.map((r) => r.file.replace(`${dir}/`, "")).sort()).toEqual([
        "fiber.fits",
        "half.fits",
        "obsid.fits",
      ]);
      expect(again.objects.created).toBe(0);
    },
  );

  it("rejects a line of hundreds of megabytes by its length, undecoded, and quotes only a prefix of a long value", async () => {
    const dir = scratch("long");
    const good = (obsid: number, cls = "STAR") => `${obsid},J,2019-04-01,58575,LONG,1,${obsid % 200},10,20,${cls},,0`;
    const huge = Buffer.alloc(300 * 1024 * 1024, "9");
    writeFileSync(
      join(dir, "catalogue.csv"),
      Buffer.concat([
        Buffer.from(`${CATALOGUE_HEADER}\n${good(940000001)}\n`),
        huge,
        Buffer.from(`\n${good(940000002, "x".repeat(50_000))}\n${good(940000003)}\n`),
      ]),
    );
    const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "long" });
    const file = join(dir, "catalogue.csv");
    expect(report.rejected).toEqual([
      {
        file: `${file}:3`,
        field: "line",
        reason: "the line is 314572800 bytes long, more than the 65536 a catalogue row may have",
      },
      {
        file: `${file}:4`,
        field: "class",
        reason: `unknown class '${"x".repeat(40)}…' (50000 characters) in class (expected STAR, GALAXY, QSO or Unknown)`,
      },
    ]);
    expect(report.objects.created).toBe(2);
  }, 300_000);
});

describe("a large catalogue", () => {
  it("reports its objects missing modalities by count, listing only the first 100", async () => {
    const dir = scratch("flagged");
    const rows = Array.from({ length: 250 }, (_, i) => `${960000000 + i},STAR,${(i * 0.01).toFixed(2)},5`);
    writeFileSync(join(dir, "catalogue.csv"), ["obsid,class,ra,dec", ...rows].join("\n"));
    const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "flagged" });
    expect(report.objects.created).toBe(250);
    expect(report.flaggedCount).toBe(250);
    expect(report.missingModalities).toEqual({ SPECTRUM_2D: 250, SPECTRUM_1D: 250, CUTOUT: 250 });
    expect(report.flagged).toHaveLength(100);
    expect(report.flagged[0]).toMatchObject({
      key: "obsid:960000000",
      missing: ["SPECTRUM_2D", "SPECTRUM_1D", "CUTOUT"],
    });
  });
});

describe("arrays longer than the platform stores", () => {
  it("refuses a strip over the stored bounds from its header, before reading its pixels", async () => {
    const dir = scratch("bounds");
    // A pre-cut strip 9000 pixels long (the bound is 8192) and one of 8192, both of a real shape.
    const strip = (length: number, obsid: bigint) =>
      writeFits(join(dir, `strip-${length}.fits`), [
        {
          kind: "image",
          bitpix: -32,
          shape: [length, 15],
          data: new Float32Array(length * 15).fill(1),
          cards: [
            { key: "STRIPW", value: 15 },
            { key: "ARM", value: "b" },
            { key: "OBSID", value: obsid },
            { key: "WAVEDEG", value: 1 },
            { key: "WAVEC0", value: 3700 },
            { key: "WAVEC1", value: 0.5 },
          ],
        },
      ]);
    strip(9000, 950000001n);
    strip(MAX_STRIP_LENGTH_PX, 950000002n);
    const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "bounds" });
    expect(report.rejected).toEqual([
      {
        file: join(dir, "strip-9000.fits"),
        field: "NAXIS1",
        reason: `the strip has 9000 pixels, more than the ${MAX_STRIP_LENGTH_PX} the platform stores`,
      },
    ]);
    expect(report.stored.strips).toBe(1);
  });
});

describe("the CLI's contract for scripts", () => {
  itWithRealData(
    "exits 3 with --strict when anything was rejected, 0 without it, and caps the JSON's list",
    async () => {
      const dir = scratch("strict");
      goodFiles(dir);
      writeFileSync(join(dir, "notes.txt"), "not a survey file\n");
      const env = { DATABASE_URL: database.url, MACNET_HOME: scratch("home") };
      const strict = await runCli(["ingest", dir, "--source", "strict", "--strict", "--json"], env);
      expect(strict.code).toBe(3);
      expect(strict.json).toMatchObject({
        rejectedCount: 1,
        rejected: [{ file: join(dir, "notes.txt") }],
        resumed: [],
      });
      const lenient = await runCli(["ingest", dir, "--source", "strict", "--json"], env);
      expect(lenient.code).toBe(0);
    },
  );
});

describe("an interrupted run", () => {
  it("is marked INTERRUPTED by the next run, which says it resumed it (a dead pid on this host)", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    const [row] = await queryRows<{ id: number }>(
      database.url,
      "INSERT INTO ingest_run (source, paths, status, host, pid, heartbeat_at) VALUES ('ghost', '{}', 'RUNNING', $1, $2, now()) RETURNING id",
      [hostname(), Number(dead)],
    );
    // A run whose process is alive (this one) is left alone.
    const [alive] = await queryRows<{ id: number }>(
      database.url,
      "INSERT INTO ingest_run (source, paths, status, host, pid, heartbeat_at) VALUES ('alive', '{}', 'RUNNING', $1, $2, now()) RETURNING id",
      [hostname(), process.pid],
    );
    const dir = scratch("resume");
    const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "resume" });
    expect(report.resumed).toEqual([{ runId: row?.id, startedAt: expect.any(String), filesCommitted: 0 }]);
    const statuses = await queryRows<{ id: number; status: string }>(
      database.url,
      "SELECT id, status::text FROM ingest_run WHERE id = ANY($1::int[]) ORDER BY id",
      [[row?.id, alive?.id, report.runId]],
    );
    expect(statuses.map((s) => s.status)).toEqual(["INTERRUPTED", "RUNNING", "SUCCEEDED"]);
  });

  it("killed with kill -9 mid-ingest: the next run resumes it and reads only what it had not committed", async () => {
    const survey = scratch("killed");
    await simulateSurvey({ outDir: survey, objects: 60, seed: 5, plans: 1, fibresPerSpectrograph: 60 });
    const env = { ...process.env, DATABASE_URL: database.url, MACNET_HOME: scratch("home") };
    const child = spawn(process.execPath, [cliEntry, "ingest", survey, "--source", "killed", "--batch", "1"], {
      cwd: repoRoot,
      env,
      stdio: "ignore",
    });
    // Killed once its run has committed files (polled, not timed).
    let killedRun: number | undefined;
    for (let i = 0; i < 600 && killedRun === undefined; i++) {
      const [committed] = await queryRows<{ run_id: number }>(
        database.url,
        "SELECT f.run_id FROM ingested_file f JOIN ingest_run r ON r.id = f.run_id WHERE r.source = 'killed' LIMIT 1",
      );
      if (committed) killedRun = committed.run_id;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(killedRun).toBeDefined();
    const resumed = await runCli(["ingest", survey, "--source", "killed", "--json"], env);
    expect(resumed.code).toBe(0);
    const summary = resumed.json as {
      resumed: { runId: number; filesCommitted: number }[];
      files: { alreadyIngested: number };
    };
    expect(summary.resumed.map((run) => run.runId)).toEqual([killedRun]);
    expect(summary.resumed[0]?.filesCommitted).toBeGreaterThan(0);
    expect(summary.files.alreadyIngested).toBeGreaterThanOrEqual(summary.resumed[0]?.filesCommitted ?? 0);
    const [run] = await queryRows<{ status: string }>(
      database.url,
      "SELECT status::text FROM ingest_run WHERE id = $1",
      [killedRun],
    );
    expect(run?.status).toBe("INTERRUPTED");
    const human = await runCli(["ingest", survey, "--source", "killed"], env);
    expect(human.stdout).not.toMatch(/Resumed/); // nothing left to resume
  });
});
