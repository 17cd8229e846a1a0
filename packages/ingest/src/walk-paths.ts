// The files under the paths an ingest was given. Whatever the tree holds, the walk ends and every
// regular file it can reach is listed: a symlink loop, a dangling link, an unreadable folder and
// anything that is not a regular file (a FIFO would block a read forever; sockets, devices) are
// reported and skipped, never fatal.
import { type Dirent, readdirSync, type Stats, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Rejection } from "./records.ts";

/** The file-system calls the walk makes (tests hand in failing ones). */
export interface WalkFs {
  stat(path: string): Stats;
  readdir(path: string): string[];
}

const nodeFs: WalkFs = {
  stat: (path) => statSync(path),
  readdir: (path) => (readdirSync(path, { withFileTypes: true }) as Dirent[]).map((entry) => entry.name),
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
    let names: string[];
    try {
      names = fs.readdir(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      skip(path, "directory", `unreadable folder (${code ?? (error as Error).message}): skipped`);
      return;
    }
    for (const name of names.sort()) if (!name.startsWith(".")) walk(join(path, name), false);
  };
  for (const path of paths) walk(resolve(path), true);
  return { files, skipped };
}
