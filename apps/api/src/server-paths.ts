// Where things live on the server's disk (weights, checkpoints, ingested files) is for admins only:
// other roles see a file's name without its folders, and job results without the path fields.
import { basename } from "node:path";
import type { Viewer } from "./context.ts";

/** Keys of a job result that hold server paths (weightsUri, checkpointDir, outPath, …). */
const PATH_KEY = /(Uri|Dir|Path)$/;

const isAdmin = (viewer: Viewer | null) => viewer?.role === "ADMIN";

/** A job result as `viewer` may see it: every path-valued key removed, at any depth, for non-admins. */
export function resultFor(viewer: Viewer | null, result: unknown): unknown {
  if (isAdmin(viewer)) return result;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !PATH_KEY.test(key))
        .map(([key, inner]) => [key, strip(inner)]),
    );
  };
  return strip(result);
}

/** A stored file path as `viewer` may see it: whole for admins, its file name for everyone else. */
export function filePathFor(viewer: Viewer | null, path: string | null): string | null {
  if (path === null || isAdmin(viewer)) return path;
  return basename(path);
}
