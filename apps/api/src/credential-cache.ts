// Who an API key or session cookie belongs to, remembered for a few seconds so that a script's
// burst of requests does not look its key up in the database each time (one round trip of the two
// or three a small query needs). Revoking a key or signing out through this server clears the cache
// at once; a change made elsewhere (the CLI, another API process) applies within the TTL.
import { createHash } from "node:crypto";
import type { Viewer } from "./context.ts";

const MAX_ENTRIES = 10_000;

export class CredentialCache {
  private readonly entries = new Map<string, { viewer: Viewer | null; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  private static key(kind: "key" | "session", secret: string): string {
    return `${kind}:${createHash("sha256").update(secret).digest("base64")}`;
  }

  /** The cached answer (a viewer, or null for a refused credential), or undefined when not cached. */
  get(kind: "key" | "session", secret: string): Viewer | null | undefined {
    return this.ttlMs > 0 ? this.read(CredentialCache.key(kind, secret)) : undefined;
  }

  set(kind: "key" | "session", secret: string, viewer: Viewer | null): void {
    if (this.ttlMs > 0) this.write(CredentialCache.key(kind, secret), viewer);
  }

  /** The cached answer, or `load`'s (then remembered). */
  async lookup(kind: "key" | "session", secret: string, load: () => Promise<Viewer | null>): Promise<Viewer | null> {
    if (this.ttlMs <= 0) return load();
    const key = CredentialCache.key(kind, secret);
    const cached = this.read(key);
    if (cached !== undefined) return cached;
    const viewer = await load();
    this.write(key, viewer);
    return viewer;
  }

  private read(key: string): Viewer | null | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.viewer;
  }

  private write(key: string, viewer: Viewer | null): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { viewer, expiresAt: Date.now() + this.ttlMs });
  }

  /** Forgets everything (after a key is revoked or a session ends here). */
  clear(): void {
    this.entries.clear();
  }
}
