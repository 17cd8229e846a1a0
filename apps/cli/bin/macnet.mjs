#!/usr/bin/env node
// Entry point of `npx macnet`: the CLI's TypeScript, from a cached esbuild bundle of the platform's
// sources (tsx when none can be made): see load-cli.mjs.
import { loadCli } from "./load-cli.mjs";

await loadCli();
