import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodePngRgb } from "./png.ts";

describe("encodePngRgb", () => {
  it("writes a PNG that Pillow decodes to the same pixels", () => {
    const width = 5;
    const height = 3;
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
    const file = join(mkdtempSync(join(tmpdir(), "macnet-png-")), "t.png");
    writeFileSync(file, encodePngRgb(rgb, width, height));
    const decoded = execFileSync("/usr/bin/python3", [
      "-c",
      "import sys; from PIL import Image; im = Image.open(sys.argv[1]); print(im.mode, im.size[0], im.size[1], ','.join(str(v) for p in im.getdata() for v in p))",
      file,
    ])
      .toString()
      .trim()
      .split(" ");
    expect(decoded.slice(0, 3)).toEqual(["RGB", "5", "3"]);
    expect(decoded[3]?.split(",").map(Number)).toEqual([...rgb]);
  });

  it("refuses data of the wrong size", () => {
    expect(() => encodePngRgb(new Uint8Array(10), 2, 2)).toThrow("expected 2×2×3 = 12");
  });
});
