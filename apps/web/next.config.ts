import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The ground floor's TypeScript sources (classes, sky geometry), compiled with the dashboard's.
  transpilePackages: ["@macnet/core"],
  // The monorepo root (bench/postgraphile-server has a lockfile of its own that would confuse the guess).
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
};

export default config;
