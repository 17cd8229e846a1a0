// Sign-in throttling with exponential back-off, per user name and per client address: the failure
// that uses up the allowed attempts locks that name (or address) for the base time, and each further
// failure doubles it, up to a maximum; while locked, sign-in is refused without checking the password
// (so a guessed password during a lock does not work either). Failures are forgotten after a quiet
// window; a success clears the name's failures. In memory, bounded in entries: one API process owns
// its counters.

/** How sign-in is throttled (API environment: MACNET_LOGIN_*). */
export interface LoginThrottleConfig {
  /** Failures per user name allowed before back-off starts. */
  userAttempts: number;
  /** Failures per client address before back-off starts. */
  addressAttempts: number;
  /** First lock after the free attempts; doubles with each further failure. */
  backoffMs: number;
  /** Longest lock. */
  backoffMaxMs: number;
  /** Failures older than this (since the last one) are forgotten. */
  windowMs: number;
}

interface Entry {
  failures: number;
  lastFailureMs: number;
  lockedUntilMs: number;
}

/** Most names or addresses remembered at once (the oldest is forgotten first). */
const MAX_ENTRIES = 50_000;

class Counters {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly freeAttempts: number,
    private readonly config: LoginThrottleConfig,
  ) {}

  /** Milliseconds until `key` may try again (0: now). */
  waitMs(key: string, nowMs: number): number {
    const entry = this.live(key, nowMs);
    return entry ? Math.max(0, entry.lockedUntilMs - nowMs) : 0;
  }

  failed(key: string, nowMs: number): void {
    const entry = this.live(key, nowMs) ?? { failures: 0, lastFailureMs: nowMs, lockedUntilMs: 0 };
    entry.failures++;
    entry.lastFailureMs = nowMs;
    const over = entry.failures - this.freeAttempts;
    if (over >= 0) {
      const lockMs = Math.min(this.config.backoffMaxMs, this.config.backoffMs * 2 ** Math.min(over, 40));
      entry.lockedUntilMs = nowMs + lockMs;
    }
    // Re-inserted so that the map's order is least recently failed first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  private live(key: string, nowMs: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && nowMs - entry.lastFailureMs > this.config.windowMs && nowMs >= entry.lockedUntilMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** Per-name and per-address sign-in counters of one API server. */
export class LoginThrottle {
  private readonly users: Counters;
  private readonly addresses: Counters;

  constructor(
    config: LoginThrottleConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.users = new Counters(config.userAttempts, config);
    this.addresses = new Counters(config.addressAttempts, config);
  }

  /** Seconds until a sign-in as `name` from `address` may be tried (0: now). */
  retryAfterS(name: string, address: string): number {
    const nowMs = this.now();
    const waitMs = Math.max(this.users.waitMs(userKey(name), nowMs), this.addresses.waitMs(address, nowMs));
    return Math.ceil(waitMs / 1000);
  }

  failed(name: string, address: string): void {
    const nowMs = this.now();
    this.users.failed(userKey(name), nowMs);
    this.addresses.failed(address, nowMs);
  }

  succeeded(name: string): void {
    this.users.clear(userKey(name));
  }
}

/** Names are counted as typed, case-folded and bounded (a 1 MB name is one entry of 200 characters). */
function userKey(name: string): string {
  return name.trim().toLowerCase().slice(0, 200);
}
