import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ReadPool, readAndHash } from "./read-pool.ts";
import { loadJpegDecoder } from "./readers/jpeg-decoder.ts";

// The real sample files beside the repository (test/helpers/paths.ts says how tests use them): a
// user's clone has none, and this test is skipped there, saying so; CI (MACNET_REQUIRE_REAL_DATA=1)
// runs it, failing where they are missing.
const real = resolve(import.meta.dirname, "../../..", process.env.MACNET_TEST_REAL_DATA ?? "../shared/data/real");
const runs = existsSync(real) || process.env.MACNET_REQUIRE_REAL_DATA === "1";
const jpegs = join(real, "sdss/images_skyserver_jpeg/qso");
const spectra = join(real, "sdss/spectra_spec_lite");
const listed = (dir: string, count: number) =>
  runs
    ? readdirSync(dir)
        .sort()
        .slice(0, count)
        .map((name) => join(dir, name))
    : [];
const files = [...listed(jpegs, 40), ...listed(spectra, 10)];

describe.skipIf(!runs)(`ReadPool (reads real sample files in ${real})`, () => {
  it("reads every file exactly once, in the worker or in the caller, with the same outcome as a read here", async () => {
    // Both threads decode JPEGs with mozjpeg, as an ingest has them do.
    await loadJpegDecoder();
    const pool = new ReadPool(files, new Set());
    try {
      for (const index of files.keys()) pool.request(index);
      for (const [index, path] of files.entries()) {
        // The first file is taken before the worker can have started (read by the caller); from
        // the 21st on, once the worker has read it.
        if (index === 20) while (!pool.isRead(index)) await new Promise((resolve) => setTimeout(resolve, 10));
        const outcome = await pool.take(index);
        expect(outcome.hash).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
        const here = readAndHash(path, new Set());
        expect(outcome.result?.kind).toBe(here.result?.kind);
        expect(outcome.result?.rejections).toEqual([]);
        expect(outcome.result?.items).toEqual(here.result?.items);
      }
      expect(pool.readBy.worker + pool.readBy.caller).toBe(files.length);
      expect(pool.readBy.worker).toBeGreaterThan(0);
      expect(pool.readBy.caller).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it("keeps every record intact while later files are read into the same reused buffer", async () => {
    await loadJpegDecoder();
    const mixed = [...listed(spectra, 6), ...listed(jpegs, 4), ...listed(spectra, 6)];
    const outcomes = mixed.map((path) => {
      const outcome = readAndHash(path, new Set());
      return { outcome, snapshot: structuredClone(outcome.result?.items) };
    });
    for (const { outcome, snapshot } of outcomes) {
      expect(outcome.result?.items.length).toBeGreaterThan(0);
      expect(outcome.result?.items).toEqual(snapshot);
    }
  });

  it("skips the reading of files whose content was ingested before", async () => {
    const first = files[0] as string;
    const done = new Set([createHash("sha256").update(readFileSync(first)).digest("hex")]);
    const pool = new ReadPool([first, files[1] as string], done);
    try {
      pool.request(0);
      pool.request(1);
      expect((await pool.take(0)).result).toBeUndefined();
      expect((await pool.take(1)).result?.kind).toBe("cutout-image");
    } finally {
      await pool.close();
    }
  });
});
