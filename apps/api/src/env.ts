// The API's configuration from the environment, parsed once (every problem reported at once).
import { DEFAULT_SCRYPT_COST, type ScryptCost } from "@macnet/db";
import { z } from "zod";
import type { LoginThrottleConfig } from "./modules/auth/login-throttle.ts";
import type { GateLimits } from "./operation-gate.ts";

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

const ZApiEnv = z.object({
  NODE_ENV: z.string().optional(),
  MACNET_API_INTROSPECTION: flag.optional(),
  MACNET_API_DEBUG: flag.default(false),
  MACNET_API_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  MACNET_API_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
  MACNET_API_MAX_COST: z.coerce.number().int().min(1).default(50_000),
  MACNET_API_CALLER_OPERATIONS: z.coerce.number().int().min(1).max(1000).default(4),
  MACNET_API_CALLER_COST: z.coerce.number().int().min(1).optional(),
  MACNET_API_TOTAL_COST: z.coerce.number().int().min(1).optional(),
  MACNET_API_MAX_RESPONSE_MB: z.coerce.number().min(1).max(4096).default(64),
  MACNET_API_LOG: flag.default(true),
  MACNET_API_AUTH_CACHE_S: z.coerce.number().min(0).max(3600).default(10),
  MACNET_API_EXECUTOR: z.enum(["jit", "graphql-js"]).default("jit"),
  MACNET_API_TRUST_PROXY: z.enum(["loopback", "none"]).default("loopback"),
  MACNET_LOGIN_USER_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
  MACNET_LOGIN_ADDRESS_ATTEMPTS: z.coerce.number().int().min(1).max(100_000).default(20),
  MACNET_LOGIN_BACKOFF_S: z.coerce.number().min(0).max(3600).default(1),
  MACNET_LOGIN_BACKOFF_MAX_S: z.coerce.number().min(0).max(86_400).default(900),
  MACNET_LOGIN_WINDOW_S: z.coerce.number().min(1).max(86_400).default(900),
  MACNET_SCS_PUBLIC: flag.default(false),
  MACNET_SCS_MAX_RECORDS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  MACNET_EXPORT_MAX_ROWS: z.coerce.number().int().min(1).max(100_000_000).default(2_000_000),
  MACNET_PASSWORD_COST: z.coerce.number().int().min(10).max(20).default(DEFAULT_SCRYPT_COST.logN),
});

/** What the API server is configured with. */
export interface ApiConfig {
  /** Production: no stack traces, unexpected errors masked, secure cookies. */
  production: boolean;
  /**
   * Development aid (MACNET_API_DEBUG=1): stack traces in error answers and unexpected errors' own
   * messages. Off by default, whatever NODE_ENV says: no answer shows server paths unless asked.
   */
  debug: boolean;
  introspection: boolean;
  limits: { maxDepth: number; maxAliases: number; maxCost: number };
  /** Admission per caller and in total (operation-gate.ts); the largest answer sent, in bytes. */
  gate: GateLimits;
  maxResponseBytes: number;
  /** One line per request (operation, duration, outcome) on stderr. */
  requestLog: boolean;
  /** How long who-a-credential-belongs-to is remembered (0: looked up on every request). */
  authCacheMs: number;
  /** jit: operations compiled once by graphql-jit; graphql-js: its reference executor. */
  executor: "jit" | "graphql-js";
  /**
   * loopback: a request from a loopback address (the dashboard's server forwarding) is taken to
   * come from the last address of its X-Forwarded-For; none: always from the socket's address.
   */
  trustProxy: "loopback" | "none";
  /** Sign-in throttling per user name and per client address. */
  loginThrottle: LoginThrottleConfig;
  /** scrypt cost of password hashes; a weaker stored hash is redone at the next sign-in. */
  passwordCost: ScryptCost;
  /** /scs and /export: anonymous cone search allowed; row limits (more matching is an overflow). */
  tables: { scsPublic: boolean; scsMaxRecords: number; exportMaxRows: number };
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
    debug: env.MACNET_API_DEBUG,
    introspection: env.MACNET_API_INTROSPECTION ?? !production,
    limits: {
      maxDepth: env.MACNET_API_MAX_DEPTH,
      maxAliases: env.MACNET_API_MAX_ALIASES,
      maxCost: env.MACNET_API_MAX_COST,
    },
    gate: {
      perCaller: env.MACNET_API_CALLER_OPERATIONS,
      perCallerCost: env.MACNET_API_CALLER_COST ?? 2 * env.MACNET_API_MAX_COST,
      totalCost: env.MACNET_API_TOTAL_COST ?? 8 * env.MACNET_API_MAX_COST,
    },
    maxResponseBytes: Math.round(env.MACNET_API_MAX_RESPONSE_MB * 1024 * 1024),
    requestLog: env.MACNET_API_LOG,
    authCacheMs: env.MACNET_API_AUTH_CACHE_S * 1000,
    executor: env.MACNET_API_EXECUTOR,
    trustProxy: env.MACNET_API_TRUST_PROXY,
    loginThrottle: {
      userAttempts: env.MACNET_LOGIN_USER_ATTEMPTS,
      addressAttempts: env.MACNET_LOGIN_ADDRESS_ATTEMPTS,
      backoffMs: env.MACNET_LOGIN_BACKOFF_S * 1000,
      backoffMaxMs: env.MACNET_LOGIN_BACKOFF_MAX_S * 1000,
      windowMs: env.MACNET_LOGIN_WINDOW_S * 1000,
    },
    passwordCost: { ...DEFAULT_SCRYPT_COST, logN: env.MACNET_PASSWORD_COST },
    tables: {
      scsPublic: env.MACNET_SCS_PUBLIC,
      scsMaxRecords: env.MACNET_SCS_MAX_RECORDS,
      exportMaxRows: env.MACNET_EXPORT_MAX_ROWS,
    },
  };
}
