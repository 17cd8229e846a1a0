// Builds packages/tfjs-native's oneDNN addon with node-gyp. Optional by design: when oneDNN's
// headers (Debian: libdnnl-dev) or a compiler are missing, it says so once and exits 0, and the
// platform runs on pure TensorFlow.js. `MACNET_SKIP_NATIVE=1` skips the build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const packageDir = join(root, "packages/tfjs-native");
const strict = process.argv.includes("--strict");

function skip(reason) {
  const message = `tfjs-native: oneDNN kernels not built (${reason}); TensorFlow.js will use its pure-JS CPU kernels.`;
  if (strict) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}

if (process.env.MACNET_SKIP_NATIVE === "1") skip("MACNET_SKIP_NATIVE=1");
if (!["/usr/include/oneapi/dnnl/dnnl.hpp", "/usr/local/include/oneapi/dnnl/dnnl.hpp"].some((p) => existsSync(p))) {
  skip("oneDNN headers not found: install libdnnl-dev");
}

let nodeGyp;
try {
  nodeGyp = join(dirname(createRequire(import.meta.url).resolve("node-gyp/package.json")), "bin/node-gyp.js");
} catch {
  skip("node-gyp is not installed");
}

// Build against the headers of the running Node when they are on disk, so nothing is downloaded.
const args = [nodeGyp, "rebuild"];
const nodeDir = process.env.npm_config_nodedir ?? resolve(dirname(process.execPath), "..");
if (existsSync(join(nodeDir, "include/node/node_api.h"))) args.push(`--nodedir=${nodeDir}`);

const result = spawnSync(process.execPath, args, {
  cwd: packageDir,
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
});
if (result.status !== 0) {
  const lines = `${result.stdout}\n${result.stderr}`.trim().split("\n");
  console.warn(lines.slice(-15).join("\n"));
  skip(`node-gyp failed with exit code ${result.status}`);
}
console.log("tfjs-native: oneDNN kernels built (packages/tfjs-native/build/Release/tfjs_native.node)");
