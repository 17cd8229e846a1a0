// The API's configuration from the environment, parsed once (every problem reported at once).
import { z } from "zod";

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

const ZApiEnv = z.object({
  NODE_ENV: z.string().optional(),
  MACNET_API_INTROSPECTION: flag.optional(),
  MACNET_API_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  MACNET_API_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
  MACNET_API_MAX_COST: z.coerce.number().int().min(1).default(50_000),
  MACNET_API_LOG: flag.default(true),
  MACNET_API_AUTH_CACHE_S: z.coerce.number().min(0).max(3600).default(10),
  MACNET_API_EXECUTOR: z.enum(["jit", "graphql-js"]).default("jit"),
});

/** What the API server is configured with. */
export interface ApiConfig {
  /** Production: no stack traces, unexpected errors masked, secure cookies. */
  production: boolean;
  introspection: boolean;
  limits: { maxDepth: number; maxAliases: number; maxCost: number };
  /** One line per request (operation, duration, outcome) on stderr. */
  requestLog: boolean;
  /** How long who-a-credential-belongs-to is remembered (0: looked up on every request). */
  authCacheMs: number;
  /** jit: operations compiled once by graphql-jit; graphql-js: its reference executor. */
  executor: "jit" | "graphql-js";
}

export function parseApiEnv(source: Record<string, string | undefined> = process.env): ApiConfig {
  const parsed = ZApiEnv.safeParse(source);
  if (!parsed.success) {
    throw new Error(
      `Invalid API environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const env = parsed.data;
  const production = env.NODE_ENV === "production";
  return {
    production,
    introspection: env.MACNET_API_INTROSPECTION ?? !production,
    limits: {
      maxDepth: env.MACNET_API_MAX_DEPTH,
      maxAliases: env.MACNET_API_MAX_ALIASES,
      maxCost: env.MACNET_API_MAX_COST,
    },
    requestLog: env.MACNET_API_LOG,
    authCacheMs: env.MACNET_API_AUTH_CACHE_S * 1000,
    executor: env.MACNET_API_EXECUTOR,
  };
}
