import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { FitsError, FitsFile, writeFits } from "@macnet/fits";
import { describe, expect, it } from "vitest";
import { hasRealData, itWithRealData, realDataRoot as realRoot, repoRoot } from "./helpers/paths.ts";

// Our FITS reader against astropy on every real survey file, on our own writer's output, on heap
// columns written by astropy, and on broken files.

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const realFits = hasRealData
  ? [...walk(join(realRoot, "lamost")), ...walk(join(realRoot, "sdss/spectra_spec_lite"))].filter((path) =>
      /\.fits(\.gz)?$/.test(path),
    )
  : [];

type Sample = Array<[number, number | null]>;
interface AstropyHdu {
  name: string;
  kind: "image" | "bintable";
  header: Record<string, string | number | boolean>;
  shape?: number[];
  sample?: Sample;
  rows?: number;
  columns?: Record<string, Sample | string[]>;
}

function astropyFacts(files: string[]): Record<string, AstropyHdu[]> {
  return JSON.parse(
    execFileSync("/usr/bin/python3", [join(repoRoot, "test/helpers/fits_facts.py"), ...files], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    }),
  );
}

function expectSample(actual: ArrayLike<number>, sample: Sample, label: string): void {
  for (const [index, value] of sample) {
    const got = actual[index] as number;
    if (value === null) expect(Number.isFinite(got), label).toBe(false);
    else
      expect(Math.abs(got - value), `${label}[${index}] ${got} vs ${value}`).toBeLessThanOrEqual(
        1e-6 * Math.max(1, Math.abs(value)),
      );
  }
}

describe("FITS reader", () => {
  itWithRealData(`reads all ${realFits.length} real LAMOST and SDSS files exactly as astropy does`, () => {
    expect(realFits.length).toBeGreaterThan(250);
    const facts = astropyFacts(realFits);
    for (const path of realFits) {
      const expected = facts[path] ?? [];
      const file = FitsFile.open(path);
      try {
        expect(
          file.hdus.map((hdu) => hdu.kind),
          path,
        ).toEqual(expected.map((hdu) => hdu.kind));
        file.hdus.forEach((hdu, index) => {
          const want = expected[index] as AstropyHdu;
          for (const [key, value] of Object.entries(want.header)) {
            const got = hdu.header.get(key);
            if (typeof value === "number") expect(Number(got), `${path} ${key}`).toBeCloseTo(value, 6);
            else expect(got, `${path} ${key}`).toEqual(value);
          }
          if (hdu.kind === "image") {
            const image = file.readImage(hdu);
            expect(image.shape, path).toEqual(want.shape);
            expectSample(image.data, want.sample ?? [], `${path} HDU ${index}`);
          } else {
            const table = file.readTable(hdu);
            expect(table.rows, path).toBe(want.rows);
            for (const [name, sample] of Object.entries(want.columns ?? {})) {
              const values = table.column(name);
              if (typeof sample[0] === "string" || sample.length === 0 || typeof values[0] === "string") {
                expect(values.slice(0, 3).map(String), `${path} ${name}`).toEqual((sample as string[]).map(String));
              } else if (values[0] instanceof Float64Array) {
                expectSample(values[0], sample as Sample, `${path} ${name}`);
              } else {
                expectSample(values.map(Number), sample as Sample, `${path} ${name}`);
              }
            }
          }
        });
      } finally {
        file.close();
      }
    }
  });

  it("round-trips what our writer writes, and reads row ranges of large images without the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "macnet-fits-"));
    const path = join(dir, "frame.fits");
    const frame = Float32Array.from({ length: 4096 * 40 }, (_, i) => 1000 + (i % 4096) + Math.floor(i / 4096) * 7);
    writeFits(path, [
      {
        kind: "image",
        bitpix: 16,
        bzero: 32768,
        shape: [4096, 40],
        data: frame,
        cards: [{ key: "WAVEC0", value: 3580.5 }],
      },
      {
        kind: "table",
        name: "FIBRES",
        columns: [
          { name: "FIBERID", type: "J", values: [1, 2] },
          { name: "OBJTYPE", type: "A", repeat: 8, values: ["TARGET", "SKY"] },
          { name: "OBSID", type: "K", values: [9000000001n, 0n] },
          {
            name: "TRACE",
            type: "D",
            repeat: 3,
            values: [
              [31.5, 1e-3, -2e-7],
              [45.25, 0, 0],
            ],
          },
          { name: "SIGMA", type: "E", values: [2.25, 2.5] },
          { name: "OK", type: "L", values: [true, false] },
        ],
      },
    ]);
    const file = FitsFile.open(path);
    try {
      expect(file.hdus[0]?.header.number("WAVEC0")).toBe(3580.5);
      expect(Array.from(file.readImage(file.hdus[0] as never).data)).toEqual(Array.from(frame));
      expect(Array.from(file.readImageRows(file.hdus[0] as never, 17, 2))).toEqual(
        Array.from(frame.subarray(17 * 4096, 19 * 4096)),
      );
      // As stored: 16-bit integers, scaled by the caller; in place, the file's own bytes become them.
      const stored = file.readStoredRows(file.hdus[0] as never, 17, 2);
      expect(stored).toMatchObject({ bitpix: 16, bzero: 32768, bscale: 1, blank: undefined });
      expect(stored.stored).toBeInstanceOf(Int16Array);
      expect(Array.from(stored.stored as Int16Array, (value) => stored.bzero + stored.bscale * value)).toEqual(
        Array.from(frame.subarray(17 * 4096, 19 * 4096)),
      );
      const inMemory = FitsFile.fromBuffer(readFileSync(path));
      const swapped = inMemory.readStoredRows(inMemory.hdus[0] as never, 0, 40, { inPlace: true });
      expect(Array.from(swapped.stored as Int16Array, (value) => value + 32768)).toEqual(Array.from(frame));
      const table = file.readTable(file.find("fibres") as never);
      expect(table.column("FIBERID")).toEqual([1, 2]);
      expect(table.column("OBJTYPE")).toEqual(["TARGET", "SKY"]);
      expect(table.column("OBSID")).toEqual([9000000001n, 0n]);
      expect(Array.from(table.column("TRACE")[0] as Float64Array)).toEqual([31.5, 1e-3, -2e-7]);
      expect(table.column("SIGMA")).toEqual([2.25, 2.5]);
      expect(table.column("OK")).toEqual([true, false]);
    } finally {
      file.close();
    }
    // The same bytes gzipped under a plain .fits name are sniffed and read the same.
    const gz = join(dir, "renamed.fits");
    writeFileSync(gz, gzipSync(readFileSync(path)));
    const inflated = FitsFile.open(gz);
    expect(Array.from(inflated.readImageRows(inflated.hdus[0] as never, 39, 1))).toEqual(
      Array.from(frame.subarray(39 * 4096)),
    );
    inflated.close();
  });

  it("reads variable-length (heap) columns written by astropy", () => {
    const dir = mkdtempSync(join(tmpdir(), "macnet-fits-heap-"));
    const path = join(dir, "heap.fits");
    execFileSync("/usr/bin/python3", [
      "-c",
      `import numpy as np; from astropy.io import fits
col = fits.Column(name='FLUX', format='PE()', array=np.array([np.array([1.5, 2.5], dtype='f4'), np.array([3, 4, 5], dtype='f4')], dtype=object))
fits.BinTableHDU.from_columns([col, fits.Column(name='N', format='J', array=np.array([2, 3]))], name='SPEC').writeto('${path}')`,
    ]);
    const file = FitsFile.open(path);
    const table = file.readTable(file.find("SPEC") as never);
    expect(table.column("FLUX").map((row) => Array.from(row as Float64Array))).toEqual([
      [1.5, 2.5],
      [3, 4, 5],
    ]);
    expect(table.column("N")).toEqual([2, 3]);
    file.close();
  });

  itWithRealData("rejects truncated, corrupt and non-FITS files with errors naming the file and the problem", () => {
    const dir = mkdtempSync(join(tmpdir(), "macnet-fits-bad-"));
    const source = realFits.find((path) => path.endsWith("spec-0274-51913-0057.fits")) as string;
    const bytes = readFileSync(source);
    const truncated = join(dir, "truncated.fits");
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(() => FitsFile.open(truncated)).toThrow(`${truncated}: truncated: HDU 1 needs`);
    const headerCut = join(dir, "header-cut.fits");
    writeFileSync(headerCut, bytes.subarray(0, 1000));
    expect(() => FitsFile.open(headerCut)).toThrow(/truncated header in HDU 0/);
    const badGzip = join(dir, "bad.fits.gz");
    writeFileSync(badGzip, gzipSync(bytes).subarray(0, 2000));
    expect(() => FitsFile.open(badGzip)).toThrow(/corrupt gzip stream/);
    const notFits = join(dir, "catalogue.fits");
    writeFileSync(notFits, "obsid,ra,dec\n".repeat(300));
    try {
      FitsFile.open(notFits);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FitsError);
      expect((error as FitsError).code).toBe("FITS_NOT_FITS");
    }
    const badNaxis = join(dir, "bad-naxis.fits");
    writeFileSync(
      badNaxis,
      Buffer.from(
        bytes.toString("latin1").replace("NAXIS   =                    0", "NAXIS   =                   -3"),
        "latin1",
      ),
    );
    expect(() => FitsFile.open(badNaxis)).toThrow(/invalid NAXIS/);
  });
});
