import { resolve } from "node:path";
import { z } from "zod";
import { repoRoot } from "./paths.ts";

const ZDatabaseEnv = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  MACNET_HOME: z.string().min(1).optional(),
  MACNET_EMBEDDED_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MACNET_EMBEDDED_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a user name")
    .optional(),
});

const ZJobEnv = z.object({
  MACNET_ARTIFACTS: z.string().min(1).optional(),
  MACNET_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  MACNET_JOB_LEASE_S: z.coerce.number().int().min(2).default(300),
  MACNET_JOB_HEARTBEAT_S: z.coerce.number().positive().default(15),
  MACNET_JOB_PROGRESS_MS: z.coerce.number().int().min(0).default(1000),
  MACNET_WORKER_PARENT_PID: z.coerce.number().int().min(1).optional(),
  MACNET_USER: z.string().min(1).optional(),
  MACNET_DEMO_OBJECTS: z.coerce.number().int().min(0).max(100_000).default(600),
  MACNET_DEMO_EPOCHS: z.coerce.number().int().min(1).max(1000).default(12),
  MACNET_DEMO_REAL_DATA: z.string().optional(),
});

const port = z.coerce.number().int().min(0).max(65535);
const ZServeEnv = z.object({
  MACNET_PORT: port.default(4000),
  MACNET_WEB_PORT: port.default(3000),
});

const ZLogEnv = z.object({
  MACNET_DEBUG: z
    .enum(["0", "1", "true", "false"])
    .optional()
    .transform((value) => value === "1" || value === "true"),
});

/** The CLI's configuration, parsed once at start from the environment. */
export interface CliEnv {
  databaseUrl: string | undefined;
  /** Folder for local state: the embedded database, credentials, artifacts. */
  home: string;
  embeddedPort: number | undefined;
  /** For root: the unprivileged user the embedded PostgreSQL runs as (default macnet-postgres). */
  embeddedUser: string | undefined;
  /** Checkpoints and model weights (shared by every worker host; default: home). */
  artifactsDir: string;
  worker: {
    concurrency: number;
    leaseSeconds: number;
    heartbeatSeconds: number;
    progressIntervalMs: number;
    /** Set by `macnet start` for its worker process: stop when that process is gone. */
    parentPid: number | undefined;
  };
  /** Platform user recorded as the launcher of jobs submitted from this shell. */
  user: string | undefined;
  /** `start` on an empty database: simulated objects (0: no demo) and training epochs. */
  demo: { objects: number; epochs: number; realData: string | null };
  /** Default ports of `serve` and `start` (0: any free port). */
  ports: { api: number; web: number };
  debug: boolean;
}

/** Parses the environment; on any error prints every problem at once and exits 2. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const schemas = [ZDatabaseEnv, ZJobEnv, ZServeEnv, ZLogEnv] as const;
  const results = schemas.map((schema) => schema.safeParse(source));
  const problems = results.flatMap((result) =>
    result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
  );
  if (problems.length > 0) {
    process.stderr.write(`macnet: invalid environment: ${problems.join("; ")}\n`);
    process.exit(2);
  }
  const database = ZDatabaseEnv.parse(source);
  const log = ZLogEnv.parse(source);
  const jobs = ZJobEnv.parse(source);
  const serve = ZServeEnv.parse(source);
  const home = resolve(database.MACNET_HOME ?? resolve(repoRoot, ".macnet"));
  return {
    databaseUrl: database.DATABASE_URL,
    home,
    embeddedPort: database.MACNET_EMBEDDED_PORT,
    embeddedUser: database.MACNET_EMBEDDED_USER,
    artifactsDir: resolve(jobs.MACNET_ARTIFACTS ?? home),
    worker: {
      concurrency: jobs.MACNET_WORKER_CONCURRENCY,
      leaseSeconds: jobs.MACNET_JOB_LEASE_S,
      heartbeatSeconds: jobs.MACNET_JOB_HEARTBEAT_S,
      progressIntervalMs: jobs.MACNET_JOB_PROGRESS_MS,
      parentPid: jobs.MACNET_WORKER_PARENT_PID,
    },
    user: jobs.MACNET_USER,
    ports: { api: serve.MACNET_PORT, web: serve.MACNET_WEB_PORT },
    demo: {
      objects: jobs.MACNET_DEMO_OBJECTS,
      epochs: jobs.MACNET_DEMO_EPOCHS,
      realData:
        jobs.MACNET_DEMO_REAL_DATA === "none"
          ? null
          : resolve(jobs.MACNET_DEMO_REAL_DATA ?? resolve(repoRoot, "../shared/data/real")),
    },
    debug: log.MACNET_DEBUG,
  };
}
