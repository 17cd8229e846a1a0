import { defineConfig } from "vitest/config";

// Two projects: unit tests next to the code, and cross-package integration tests in test/
// that run against a real PostgreSQL (DATABASE_URL / MACNET_TEST_DATABASE_URL) or, without one,
// against the embedded PGlite.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"],
          environment: "node",
        },
      },
      {
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
