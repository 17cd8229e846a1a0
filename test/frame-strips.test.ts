import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsFile } from "@macnet/fits";
import { readSurveyFile } from "@macnet/ingest";
import { simulateSurvey } from "@macnet/survey-sim";
import { beforeAll, describe, expect, it } from "vitest";

// The strips the ingest cuts from a raw 2D frame, against the definition written out plainly here:
// for every target fibre and column x, the trace's row c(x) (its polynomial), rows k = 0…10 of the
// strip at y = c(x) − 5 + k, linearly interpolated between the frame's rows ⌊y⌋ and ⌊y⌋ + 1 of the
// physical pixel values (BZERO + BSCALE × stored), minus BIASLEV.
let frames: string[] = [];

beforeAll(async () => {
  const out = join(mkdtempSync(join(tmpdir(), "macnet-frame-strips-")), "survey");
  await simulateSurvey({ outDir: out, objects: 12, seed: 5, plans: 1, fibresPerSpectrograph: 8 });
  const dir = join(out, "frames");
  frames = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith(".fits"))
    .map((name) => join(dir, name));
});

describe("strips cut from a raw frame", () => {
  it("equal the trace interpolation written out plainly, for every target fibre", () => {
    expect(frames.length).toBeGreaterThan(0);
    let checked = 0;
    for (const path of frames) {
      const bytes = readFileSync(path);
      const items = readSurveyFile(path, Buffer.from(bytes)).items;
      const file = FitsFile.fromBuffer(Buffer.from(bytes), path);
      const primary = file.hdus[0];
      const fibres = file.find("FIBRES");
      if (!primary || !fibres) throw new Error(`${path}: no frame`);
      const image = file.readImage(primary);
      const [length] = image.shape as [number, number];
      const bias = primary.header.number("BIASLEV") ?? 0;
      const table = file.readTable(fibres);
      const types = table.column("OBJTYPE");
      const traces = table.column("TRACE");
      const obsids = table.column("OBSID");
      for (let row = 0; row < table.rows; row++) {
        if (String(types[row]).trim() !== "TARGET") continue;
        const item = items.find((it) => it.object.obsid === BigInt(obsids[row] as bigint | number));
        const strip = item?.strips?.[0];
        if (!strip) throw new Error(`${path}: fibre row ${row} has no strip`);
        const trace = traces[row] as Float64Array;
        let worst = 0;
        for (let x = 0; x < length; x++) {
          let centre = 0;
          for (let power = trace.length - 1; power >= 0; power--) centre = centre * x + (trace[power] as number);
          for (let k = 0; k < 11; k++) {
            const y = centre - 5 + k;
            const y0 = Math.floor(y);
            const low = image.data[y0 * length + x] as number;
            const high = image.data[(y0 + 1) * length + x] as number;
            const want = low + (y - y0) * (high - low) - bias;
            worst = Math.max(worst, Math.abs((strip.data[k * length + x] as number) - want));
          }
        }
        expect(worst).toBeLessThan(1e-3);
        // The statistics are those of the stored values.
        const values = Array.from(strip.data);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        expect(strip.stats?.mean).toBeCloseTo(mean, 3);
        expect(strip.stats?.min).toBe(Math.min(...values));
        expect(strip.stats?.max).toBe(Math.max(...values));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
