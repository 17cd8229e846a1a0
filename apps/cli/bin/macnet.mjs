#!/usr/bin/env node
// Entry point of `npx macnet`: the CLI's TypeScript, from a cached esbuild bundle of the platform's
// sources (tsx when none can be made): see load-cli.mjs.
import { setFlagsFromString } from "node:v8";
import { loadCli } from "./load-cli.mjs";

// Short commands run WebAssembly (Prisma's query compiler) with V8's baseline compiler only: its
// optimising compiles took half of `macnet jobs list`'s CPU (0.5 s of 1.0 s) for queries run once.
// The long-running ones (servers, the worker, benchmarks) keep the optimised code.
const LONG_RUNNING = new Set([
  "start",
  "serve",
  "worker",
  "bench",
  "train",
  "evaluate",
  "classify",
  "gradcam",
  "sweep",
]);
if (!LONG_RUNNING.has(process.argv[2] ?? "")) setFlagsFromString("--liftoff-only");

await loadCli();
