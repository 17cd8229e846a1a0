// The per-request context: who is calling, the database, and DataLoaders made for this request only.
import type { PrismaClient, Role, ScryptCost } from "@macnet/db";
import type { CredentialCache } from "./credential-cache.ts";
import type { Loaders } from "./loaders.ts";
import type { LoginThrottle } from "./modules/auth/login-throttle.ts";
import type { JobEvents } from "./modules/jobs/job-events.ts";
import type { SqlPool } from "./sql-pool.ts";

/** The authenticated caller. */
export interface Viewer {
  id: number;
  name: string;
  role: Role;
  /** How the caller authenticated (a key can be revoked, a session ended). */
  via: { kind: "apiKey"; apiKeyId: number } | { kind: "session"; sessionId: number };
}

export interface Context {
  prisma: PrismaClient;
  /** Plain pooled SQL with prepared statements, for the hot read paths. */
  sql: SqlPool;
  databaseUrl: string;
  viewer: Viewer | null;
  loaders: Loaders;
  /** Job change notifications for subscriptions (absent: they poll). */
  jobEvents?: JobEvents;
  /** Remembered credentials; cleared when a key is revoked or a session ends. */
  credentials?: CredentialCache;
  /** Where the request came from (the socket's address, or the trusted proxy's X-Forwarded-For). */
  clientAddress: string;
  /** Sign-in throttling and the password hash cost of this server. */
  signIn: { throttle: LoginThrottle; passwordCost: ScryptCost };
  /** Sets or clears the session cookie on the HTTP response (absent over WebSocket). */
  setSessionCookie?: (token: string | null, expiresAt?: Date) => void;
}
