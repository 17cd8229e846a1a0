// Sign-in throttling with exponential back-off, per user name and per client address, in the
// database (table login_throttle) so that it holds under concurrency and is shared by every API
// process on the same database. An attempt is claimed before its password is checked: one atomic
// statement per counter counts it as a failure and, when that uses up the allowed attempts, locks the
// name (or address) for the base time, doubling with each further failure up to a maximum. While
// locked, an attempt is refused without its password being checked (so a guessed password during a
// lock does not work either). A success gives its claim back: the name's failures are cleared and
// the address's claim undone. Failures are forgotten after a quiet window; forgotten rows are
// deleted at most once a minute.
import { Prisma, type PrismaClient } from "@macnet/db";

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

type Scope = "user" | "address";

/** How often forgotten rows are deleted. */
const SWEEP_MS = 60_000;

export class LoginThrottle {
  private lastSweepMs = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: LoginThrottleConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims an attempt to sign in as `name` from `address`: 0 when its password may be checked (the
   * attempt already counts as a failure until `succeeded`), else the seconds to wait.
   */
  async claim(name: string, address: string): Promise<number> {
    const nowMs = this.now();
    await this.sweep(nowMs);
    const addressWait = await this.claimOne("address", address, this.config.addressAttempts, nowMs);
    if (addressWait > 0) return addressWait;
    const userWait = await this.claimOne("user", userKey(name), this.config.userAttempts, nowMs);
    if (userWait > 0) {
      await this.giveBack("address", address, this.config.addressAttempts);
      return userWait;
    }
    return 0;
  }

  /** A claimed attempt succeeded: the name's failures are cleared, the address's claim undone. */
  async succeeded(name: string, address: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM login_throttle WHERE scope = 'user' AND key = ${userKey(name)}`;
    await this.giveBack("address", address, this.config.addressAttempts);
  }

  /** Counts one failure for a counter unless it is locked (one statement: the row is locked meanwhile). */
  private async claimOne(scope: Scope, key: string, free: number, nowMs: number): Promise<number> {
    const { backoffMs, backoffMaxMs, windowMs } = this.config;
    // failures after this attempt: 1 when the earlier ones are forgotten (quiet window, no lock).
    const failures = Prisma.sql`(CASE WHEN t.last_failure_ms < ${nowMs - windowMs}::bigint
        AND t.locked_until_ms <= ${nowMs}::bigint THEN 1 ELSE t.failures + 1 END)`;
    const lockedUntil = (count: Prisma.Sql, otherwise: Prisma.Sql) => Prisma.sql`CASE WHEN ${count} >= ${free}::int
        THEN ${nowMs}::bigint + least(${backoffMaxMs}::float8, ${backoffMs}::float8 * power(2, least(${count} - ${free}::int, 40)))::bigint
        ELSE ${otherwise} END`;
    const claimed = await this.prisma.$queryRaw<{ failures: number }[]>`
      INSERT INTO login_throttle AS t (scope, key, failures, last_failure_ms, locked_until_ms)
      VALUES (${scope}, ${key}, 1, ${nowMs}::bigint, ${lockedUntil(Prisma.sql`1`, Prisma.sql`0`)})
      ON CONFLICT (scope, key) DO UPDATE SET
        failures = ${failures},
        last_failure_ms = ${nowMs}::bigint,
        locked_until_ms = ${lockedUntil(failures, Prisma.sql`t.locked_until_ms`)}
      WHERE t.locked_until_ms <= ${nowMs}::bigint
      RETURNING t.failures`;
    if (claimed.length > 0) return 0;
    const [row] = await this.prisma.$queryRaw<{ until: bigint }[]>`
      SELECT locked_until_ms AS until FROM login_throttle WHERE scope = ${scope} AND key = ${key}`;
    return Math.max(1, Math.ceil((Number(row?.until ?? nowMs) - nowMs) / 1000));
  }

  /** Undoes one claim of a counter; a lock that claim set is lifted. */
  private async giveBack(scope: Scope, key: string, free: number): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE login_throttle SET failures = greatest(failures - 1, 0),
        locked_until_ms = CASE WHEN failures - 1 < ${free}::int THEN 0 ELSE locked_until_ms END
      WHERE scope = ${scope} AND key = ${key}`;
  }

  private async sweep(nowMs: number): Promise<void> {
    if (nowMs - this.lastSweepMs < SWEEP_MS) return;
    this.lastSweepMs = nowMs;
    await this.prisma.$executeRaw`
      DELETE FROM login_throttle
      WHERE last_failure_ms < ${nowMs - this.config.windowMs}::bigint AND locked_until_ms <= ${nowMs}::bigint`;
  }
}

/** Names are counted as typed, case-folded and bounded (a 1 MB name is one entry of 200 characters). */
function userKey(name: string): string {
  return name.trim().toLowerCase().slice(0, 200);
}
