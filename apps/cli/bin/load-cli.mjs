// How `npx macnet` loads the CLI's TypeScript: from an esbuild bundle of the platform's own sources
// (apps/cli/.bundle, made on first use and again whenever one of its sources is newer), which starts
// in ~0.9 s where loading the same sources through tsx's loader takes ~1.3 s — what `macnet jobs list`
// costs beside a training job. Third-party packages stay outside the bundle, loaded from
// node_modules as usual; `import.meta.url` keeps each source file's own URL, so every path computed
// from it (migrations, GraphQL SDL, the dashboard, the native addon, worker entry points) is the
// same as from the sources. Anything that keeps a bundle from being made or loaded falls back to tsx.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(cliDir, "../..");
const bundlesDir = join(cliDir, ".bundle");
/** Names the current build's folder; replaced atomically, so a build in use is never changed under a process. */
const currentFile = join(bundlesDir, "current");
const entry = join(cliDir, "src/main.ts");
/** Builds older than this are removed by the next build (no process loads for that long). */
const STALE_BUILD_MS = 60 * 60 * 1000;

/** The current build's folder when none of the sources it was made from changed since, else undefined. */
function freshBuild() {
  try {
    const build = join(bundlesDir, readFileSync(currentFile, "utf8").trim());
    const builtMs = statSync(join(build, "meta.json")).mtimeMs;
    const meta = JSON.parse(readFileSync(join(build, "meta.json"), "utf8"));
    return meta.inputs.every((input) => statSync(input).mtimeMs < builtMs) ? build : undefined;
  } catch {
    return undefined;
  }
}

/** A bare import a bundle can leave to node_modules: one the repository's root node_modules holds. */
function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

async function makeBuild() {
  const { build: esbuild } = await import("esbuild");
  const name = `build-${Date.now()}-${process.pid}`;
  const staging = join(bundlesDir, name);
  mkdirSync(bundlesDir, { recursive: true });
  const result = await esbuild({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    splitting: true,
    outdir: staging,
    chunkNames: "chunks/[name]-[hash]",
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        name: "platform-sources-only",
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith("@macnet/") || args.path.startsWith("node:")) return undefined;
            const name = packageName(args.path);
            // A package found only beside the importer (a nested node_modules) would not be found
            // from the bundle's folder: no bundle then.
            if (!existsSync(join(repoRoot, "node_modules", name))) {
              throw new Error(`${name} is not in the root node_modules`);
            }
            return { path: args.path, external: true };
          });
          build.onLoad({ filter: /\.(ts|tsx|mts)$/ }, (args) => {
            const source = readFileSync(args.path, "utf8");
            const url = JSON.stringify(pathToFileURL(args.path).href);
            return {
              contents: source.replaceAll("import.meta.url", url),
              loader: args.path.endsWith("x") ? "tsx" : "ts",
            };
          });
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(input));
  writeFileSync(join(staging, "meta.json"), `${JSON.stringify({ inputs })}\n`);
  const pointer = `${currentFile}-${process.pid}`;
  writeFileSync(pointer, name);
  renameSync(pointer, currentFile);
  for (const old of readdirSync(bundlesDir)) {
    const path = join(bundlesDir, old);
    if (old.startsWith("build-") && old !== name && Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS)
      rmSync(path, { recursive: true, force: true });
  }
}

/** Runs the CLI: from the bundle when it is (or can be made) fresh, else through tsx. */
export async function loadCli() {
  // MACNET_CLI_TSX=1 loads the sources through tsx (debugging with source positions as written).
  if (process.env.MACNET_CLI_TSX !== "1") {
    let build = freshBuild();
    if (!build) {
      try {
        await makeBuild();
        build = freshBuild();
      } catch {
        build = undefined;
      }
    }
    if (build) {
      await import(pathToFileURL(join(build, "main.js")).href);
      return;
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(entry).href);
}
