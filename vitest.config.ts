import { defineConfig } from "vitest/config";

// Two projects: unit tests next to the code, and cross-package integration tests in test/
// that run against a real PostgreSQL (DATABASE_URL / MACNET_TEST_DATABASE_URL) or, without one,
// against the embedded PGlite.
export default defineConfig({
  // Node loads graphql 16's CommonJS build for `import "graphql"` (the package has no "exports"), and
  // so do the libraries around it; Vite would pick its "module" build, making two graphql realms.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "bench/src/**/*.test.ts"],
          environment: "node",
          // Building a full-size network (90 M weights) takes seconds on a busy 2-core machine.
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
