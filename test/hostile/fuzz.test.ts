import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { lcg as seededRandom } from "@macnet/core";
import { MAX_SPECTRUM_PIXELS, MAX_STRIP_LENGTH_PX } from "@macnet/db";
import { ingestPaths, readSurveyFile } from "@macnet/ingest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createMigratedTestDatabase, queryRows, type TestDatabase } from "../helpers/database.ts";
import { describeWithRealData, realDataRoot } from "../helpers/paths.ts";

// The ingest readers against the real survey files, damaged at random with a fixed seed: cut short,
// bits flipped, header values and CSV fields replaced by huge or malformed ones. Every damaged file
// must be read to a result (items or rejections naming the file), never throw or hang, and whatever
// it yields must fit what the platform stores; a run over many of them stores every good file beside.
// Bounded: a fixed number of damaged files, each at most a few megabytes.

const ITERATIONS = 3000;
const BIGINT_MAX = 2n ** 63n - 1n;
const INT_MAX = 2 ** 31 - 1;

/** One of each kind of real file: LAMOST 1D FITS of each release, gzip, SDSS spectrum, cutouts, catalogues. */
function corpus(): { name: string; folder: string; bytes: Buffer }[] {
  // A cutout's class comes from its folder's name, its object from its file name.
  const first = (folder: string, count = 1) =>
    readdirSync(join(realDataRoot, folder))
      .filter((name) => !name.startsWith("med-")) // medium-resolution spectra are refused by design
      .sort()
      .slice(0, count)
      .map((name) => ({ name, folder: basename(folder), bytes: readFileSync(join(realDataRoot, folder, name)) }));
  // Catalogues cut to their first 300 rows: the damage is what matters, not the length.
  const catalogue = (folder: string) =>
    first(folder).map(({ name, bytes }) => ({
      name,
      folder: "catalogue",
      bytes: Buffer.from(bytes.toString("utf8").split("\n").slice(0, 300).join("\n")),
    }));
  return [
    ...first("lamost/dr7_plate_HD103621N361936B01_sp03", 2),
    ...first("lamost/dr1_plate_B6212_sp06"),
    ...first("lamost/dr10_lrs_stars_sample"),
    ...first("lamost/dr7_obsid_named_gz"),
    ...first("lamost/laspec_dr6_dr7_lrs_mrs"),
    ...first("sdss/spectra_spec_lite"),
    ...first("sdss/images_skyserver_jpeg/star"),
    ...first("sdss/images_skyserver_jpeg/qso"),
    ...catalogue("lamost/catalogue"),
    ...catalogue("sdss/catalog"),
  ];
}

const HOSTILE_VALUES = [
  "99999999999999999999",
  "-1",
  "3000000000",
  "1.5",
  "1e400",
  "NaN",
  "0x10",
  "0",
  "9".repeat(300),
  "'x'",
  "-2147483649",
];

/** A damaged copy of `bytes`: cut, flipped, a FITS header value or a CSV field replaced. */
function damage(bytes: Buffer, random: () => number): { bytes: Buffer; how: string } {
  const at = (n: number) => Math.floor(random() * n);
  const value = HOSTILE_VALUES[at(HOSTILE_VALUES.length)] as string;
  const fits = bytes.toString("latin1", 0, 9) === "SIMPLE  =";
  const text = !fits && bytes[0] !== 0xff && bytes[0] !== 0x1f;
  switch (at(4)) {
    case 0: {
      const length = at(bytes.length);
      return { bytes: bytes.subarray(0, length), how: `cut at ${length}` };
    }
    case 1: {
      const out = Buffer.from(bytes);
      const flips = 1 + at(16);
      // Mostly in the first 8 KB (headers, where a flip changes what is claimed), some anywhere.
      for (let i = 0; i < flips; i++) {
        const offset = random() < 0.7 ? at(Math.min(out.length, 8192)) : at(out.length);
        out[offset] = (out[offset] as number) ^ (1 << at(8));
      }
      return { bytes: out, how: `${flips} bits flipped` };
    }
    case 2:
      if (fits) {
        // A value card of the primary header gets a hostile value.
        const out = Buffer.from(bytes);
        const cards: number[] = [];
        for (let offset = 0; offset < Math.min(out.length, 2880 * 4); offset += 80) {
          if (out.toString("latin1", offset, offset + 3) === "END") break;
          if (out.toString("latin1", offset + 8, offset + 10) === "= ") cards.push(offset);
        }
        const card = cards[at(cards.length)] as number;
        const key = out.toString("latin1", card, card + 8).trim();
        out.write(`${key.padEnd(8)}= ${value.slice(0, 70).padStart(20)}`.padEnd(80), card, "latin1");
        return { bytes: out, how: `${key} = ${value.slice(0, 20)}` };
      }
      if (text) {
        const lines = bytes.toString("utf8").split("\n");
        const line = 1 + at(Math.max(1, lines.length - 1));
        const fields = (lines[line] ?? "").split(",");
        const field = at(fields.length);
        fields[field] = value;
        lines[line] = fields.join(",");
        return { bytes: Buffer.from(lines.join("\n")), how: `line ${line + 1} field ${field} = ${value.slice(0, 20)}` };
      }
      return damage(bytes, random);
    default: {
      // A run of bytes overwritten with garbage.
      const out = Buffer.from(bytes);
      const start = at(out.length);
      const length = 1 + at(256);
      for (let i = start; i < Math.min(out.length, start + length); i++) out[i] = at(256);
      return { bytes: out, how: `${length} bytes overwritten at ${start}` };
    }
  }
}

/** What the platform stores must fit: identifiers in their columns, arrays within the stored bounds. */
function checkStorable(result: ReturnType<typeof readSurveyFile>, how: string): void {
  for (const item of result.items) {
    const o = item.object;
    for (const id of [o.obsid, o.sdssObjId]) if (id !== undefined) expect(id >= 0n && id <= BIGINT_MAX, how).toBe(true);
    for (const n of [o.lmjd, o.spectrographId, o.fiberId])
      if (n !== undefined) expect(Number.isInteger(n) && n >= 0 && n <= INT_MAX, how).toBe(true);
    for (const strip of item.strips ?? []) expect(strip.lengthPx, how).toBeLessThanOrEqual(MAX_STRIP_LENGTH_PX);
    if (item.spectrum1d) expect(item.spectrum1d.flux.length, how).toBeLessThanOrEqual(MAX_SPECTRUM_PIXELS);
    if (item.cutout) expect(item.cutout.rgb.length, how).toBe(64 * 64 * 3);
  }
  for (const rejection of result.rejections) {
    expect(rejection.file, how).toMatch(/\S/);
    expect(rejection.reason.length, how).toBeLessThan(1000);
  }
}

describeWithRealData("ingest readers fuzzed over the real files", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createMigratedTestDatabase();
  });
  afterAll(async () => database?.dispose());

  it(`reads ${ITERATIONS} damaged copies to items or rejections, all storable (seed 29)`, () => {
    const files = corpus();
    expect(files.length).toBeGreaterThanOrEqual(10);
    const random = seededRandom(29);
    let rejected = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const file = files[i % files.length] as { name: string; bytes: Buffer };
      const { bytes, how } = damage(file.bytes, random);
      const label = `${file.name}, ${how}`;
      const result = readSurveyFile(`/fuzz/${i}-${file.name}`, bytes);
      checkStorable(result, label);
      if (result.rejections.length > 0) rejected++;
    }
    // The damage is real: many copies are refused (and the rest read as what they still are).
    expect(rejected).toBeGreaterThan(ITERATIONS / 4);
  });

  it("stores every good file of a run among damaged ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "macnet-fuzz-"));
    const files = corpus();
    const random = seededRandom(31);
    for (const [i, file] of files.entries()) {
      const folder = (kind: string) => {
        const path = join(dir, kind, String(i), file.folder);
        mkdirSync(path, { recursive: true });
        return path;
      };
      writeFileSync(join(folder("good"), file.name), file.bytes);
      for (let k = 0; k < 4; k++) writeFileSync(join(folder(`bad-${k}`), file.name), damage(file.bytes, random).bytes);
    }
    const report = await ingestPaths({ databaseUrl: database.url, paths: [dir], source: "fuzz" });
    // Every good file is recorded as ingested (the damaged ones may be too, when what they still hold reads).
    const [stored] = await queryRows<{ n: string }>(
      database.url,
      "SELECT count(*) AS n FROM ingested_file WHERE path LIKE '%/good/%'",
    );
    expect(
      report.rejected.filter((r) => r.file.includes("/good/")),
      JSON.stringify(report.rejected.filter((r) => r.file.includes("/good/"))),
    ).toEqual([]);
    expect(Number(stored?.n)).toBe(files.length);
    expect(report.objects.created).toBeGreaterThan(0);
  });
});
