// The files under the paths an ingest was given. Whatever the tree holds, the walk ends and every
// regular file it can reach is listed: a symlink loop, a dangling link, an unreadable folder and
// anything that is not a regular file (a FIFO would block a read forever; sockets, devices) are
// reported and skipped, never fatal.
import { readdirSync, type Stats, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Rejection } from "./records.ts";

/** The file-system calls the walk makes (tests hand in failing ones). */
export interface WalkFs {
  stat(path: string): Stats;
  /** The names in a folder; a name that is not valid UTF-8 comes as its bytes. */
  readdir(path: string): (string | Buffer)[];
}

const nodeFs: WalkFs = {
  stat: (path) => statSync(path),
  readdir: (path) =>
    readdirSync(path, { encoding: "buffer" }).map((bytes) => {
      const name = bytes.toString("utf8");
      return Buffer.from(name, "utf8").equals(bytes) ? name : bytes;
    }),
};

/** What a walk found: the files (sorted per folder, so runs are repeatable) and what it skipped. */
export interface WalkResult {
  files: string[];
  skipped: Rejection[];
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return "a device";
  return "not a regular file";
}

/** Walks directories (following links, each folder once) and returns every regular file under the paths. */
export function listFiles(paths: string[], fs: WalkFs = nodeFs): WalkResult {
  const files: string[] = [];
  const skipped: Rejection[] = [];
  const seen = new Set<string>();
  const skip = (file: string, field: string, reason: string) => skipped.push({ file, field, reason });
  const walk = (path: string, top: boolean) => {
    let stats: Stats;
    try {
      stats = fs.stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ELOOP") skip(path, "path", "symbolic link loop: skipped");
      else if (code === "ENOENT")
        skip(path, "path", top ? "no such file or directory" : "dangling symbolic link: skipped");
      else skip(path, "path", `cannot be read (${code ?? (error as Error).message}): skipped`);
      return;
    }
    if (stats.isFile()) {
      files.push(path);
      return;
    }
    if (!stats.isDirectory()) {
      skip(path, "path", `${kindOf(stats)}, not a survey file: skipped`);
      return;
    }
    // A folder reached twice (a link to an ancestor or a sibling) is walked once.
    const identity = `${stats.dev}:${stats.ino}`;
    if (seen.has(identity)) {
      skip(path, "path", "folder already walked through another path (symbolic link loop or duplicate): skipped");
      return;
    }
    seen.add(identity);
    let names: (string | Buffer)[];
    try {
      names = fs.readdir(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      skip(path, "directory", `unreadable folder (${code ?? (error as Error).message}): skipped`);
      return;
    }
    const valid = names.filter((name): name is string => typeof name === "string");
    for (const bytes of names.filter((name): name is Buffer => typeof name !== "string")) {
      // Node would read the name as text with its bad bytes replaced, a path that does not exist.
      skip(
        join(path, bytes.toString("utf8")),
        "path",
        `the file name is not valid UTF-8 (bytes ${bytes.toString("hex").slice(0, 64)}): rename it; skipped`,
      );
    }
    for (const name of valid.sort()) if (!name.startsWith(".")) walk(join(path, name), false);
  };
  for (const path of paths) walk(resolve(path), true);
  return { files, skipped };
}
