import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { SKY_LINES, simulateSurvey, type TSimulateOptions } from "@macnet/survey-sim";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { repoRoot } from "./helpers/paths.ts";

// The simulator's files checked by tools that share no code with it: HEASARC's fitsverify,
// astropy and Pillow (Debian packages that .ci/run installs).

const options: TSimulateOptions = {
  outDir: "",
  objects: 40,
  seed: 11,
  plans: 2,
  fibresPerSpectrograph: 26,
  labelNoise: 0.1,
  missingCutouts: 0.1,
  strips: true,
  cutoutFits: true,
};

let first: string;

function hashTree(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else hashes.set(relative(dir, path), createHash("sha256").update(readFileSync(path)).digest("hex"));
    }
  };
  walk(dir);
  return hashes;
}

function listFits(dir: string): string[] {
  return [...hashTree(dir).keys()].filter((path) => path.endsWith(".fits")).map((path) => join(dir, path));
}

beforeAll(async () => {
  first = mkdtempSync(join(tmpdir(), "macnet-sim-a-"));
  await simulateSurvey({ ...options, outDir: first });
});

describe("survey simulator", () => {
  it("writes byte-identical files for the same seed, and different ones for another seed", async () => {
    const second = mkdtempSync(join(tmpdir(), "macnet-sim-b-"));
    await simulateSurvey({ ...options, outDir: second });
    const a = hashTree(first);
    expect(a.size).toBeGreaterThan(100);
    expect(hashTree(second)).toEqual(a);

    const other = mkdtempSync(join(tmpdir(), "macnet-sim-c-"));
    await simulateSurvey({ ...options, outDir: other, seed: 12 });
    const c = hashTree(other);
    const catalogue = "catalogue.csv";
    expect(c.get(catalogue)).not.toBe(a.get(catalogue));
  });

  it("passes fitsverify on every FITS file it writes", () => {
    const files = listFits(first);
    expect(files.length).toBe(4 + 40 + 80 + 108);
    const report = execFileSync("fitsverify", ["-q", ...files], { encoding: "utf8" });
    const lines = report.trim().split("\n");
    expect(lines).toHaveLength(files.length);
    for (const line of lines) expect(line).toMatch(/^verification OK/);
  });

  it("reads back correctly with astropy and Pillow: layouts, labels, class mix, label noise, sky lines", () => {
    const strongSkyLines = SKY_LINES.filter((line) => line.relative >= 1).map((line) => line.angstrom);
    const output = execFileSync(
      "/usr/bin/python3",
      [join(repoRoot, "test/helpers/validate_survey.py"), first, JSON.stringify(strongSkyLines)],
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const facts = JSON.parse(output);
    expect(facts.errors).toEqual([]);
    expect(facts.catalogue_rows).toBe(40);
    expect(facts.catalogue_columns).toEqual(
      expect.arrayContaining([
        "obsid",
        "designation",
        "obsdate",
        "lmjd",
        "planid",
        "spid",
        "fiberid",
        "ra",
        "dec",
        "class",
        "subclass",
        "z",
        "snrg",
        "snrr",
      ]),
    );
    expect(facts.true_classes).toEqual({ STAR: 17, GALAXY: 17, QSO: 6 });
    expect(facts.flipped).toBe(4);
    expect(facts.flipped_consistent).toBe(true);
    expect(facts.frames).toBe(4);
    expect(facts.spectra).toBe(40);
    expect(facts.cutouts).toBe(36);
    expect(facts.cutouts_match_truth).toBe(true);
    expect(facts.strips).toBe(80);
    expect(facts.band_fits).toBe(108);
    // Every strong OH line falls within a pixel of where the header's wavelength solution puts it, well above the sky continuum.
    expect(facts.sky_checks.length).toBeGreaterThan(20);
    for (const check of facts.sky_checks) {
      expect(Math.abs(check.offset_px), `line ${check.line}`).toBeLessThanOrEqual(1);
      expect(check.contrast, `line ${check.line}`).toBeGreaterThan(3);
    }
  });

  it("runs from the CLI with a --json summary as the last line", async () => {
    const out = mkdtempSync(join(tmpdir(), "macnet-sim-cli-"));
    const result = await runCli([
      "simulate",
      "--out",
      out,
      "--objects",
      "12",
      "--plans",
      "1",
      "--fibres-per-spectrograph",
      "16",
      "--seed",
      "4",
      "--figures",
      "3",
      "--json",
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({
      objects: 12,
      seed: 4,
      trueClassCounts: { STAR: 5, GALAXY: 5, QSO: 2 },
      files: { frames: 2, spectra: 12 },
    });
    expect((result.json as { files: { figures: number } }).files.figures).toBeGreaterThanOrEqual(15);
    const manifest = JSON.parse(readFileSync(join(out, "survey.json"), "utf8"));
    expect(manifest.options).toMatchObject({ objects: 12, seed: 4, plans: 1 });
  });
});
