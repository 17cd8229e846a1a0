import { mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles } from "./walk-paths.ts";

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "macnet-walk-"));
  mkdirSync(join(root, "a/b"), { recursive: true });
  writeFileSync(join(root, "a/one.csv"), "x");
  writeFileSync(join(root, "a/b/two.fits"), "y");
  return root;
}

describe("walking the ingest's paths", () => {
  it("lists regular files in sorted order and skips a symlink loop, a dangling link and a second way in", () => {
    const root = tree();
    symlinkSync(join(root, "a"), join(root, "a/b/up")); // loop: a/b/up → a
    symlinkSync(join(root, "nowhere"), join(root, "a/dangling"));
    symlinkSync(join(root, "self"), join(root, "self")); // a link to itself: ELOOP
    const { files, skipped } = listFiles([root]);
    expect(files).toEqual([join(root, "a/b/two.fits"), join(root, "a/one.csv")]);
    expect(skipped.map((s) => [s.file.replace(`${root}/`, ""), s.reason])).toEqual([
      ["a/b/up", "folder already walked through another path (symbolic link loop or duplicate): skipped"],
      ["a/dangling", "dangling symbolic link: skipped"],
      ["self", "symbolic link loop: skipped"],
    ]);
  });

  it("reports a file whose name is not valid UTF-8 as such, not as a dangling link", () => {
    const root = tree();
    const bad = Buffer.concat([Buffer.from(join(root, "a/")), Buffer.from([0x73, 0xff, 0xfe, 0x2e, 0x63, 0x73, 0x76])]);
    writeFileSync(bad, "obsid\n");
    const { files, skipped } = listFiles([join(root, "a")]);
    expect(files).toContain(join(root, "a/one.csv"));
    expect(skipped).toEqual([
      {
        file: join(root, "a/s\uFFFD\uFFFD.csv"),
        field: "path",
        reason: "the file name is not valid UTF-8 (bytes 73fffe2e637376): rename it; skipped",
      },
    ]);
  });

  it("reports an unreadable folder and walks the rest", () => {
    const root = tree();
    const fs = {
      stat: (path: string) => statSync(path),
      readdir: (path: string) => {
        if (path.endsWith("/b")) throw Object.assign(new Error("permission denied"), { code: "EACCES" });
        return ["b", "one.csv", "a"].filter((name) => {
          try {
            statSync(join(path, name));
            return true;
          } catch {
            return false;
          }
        });
      },
    };
    const { files, skipped } = listFiles([join(root, "a")], fs);
    expect(files).toEqual([join(root, "a/one.csv")]);
    expect(skipped).toEqual([
      { file: join(root, "a/b"), field: "directory", reason: "unreadable folder (EACCES): skipped" },
    ]);
  });
});
