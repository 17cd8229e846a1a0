import { createPrismaClient, type PrismaClient } from "@macnet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoginThrottle } from "../apps/api/src/modules/auth/login-throttle.ts";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";

// The sign-in throttle's counters in PostgreSQL, on a clock of the test's own: each attempt is
// claimed before its password is checked, so concurrent attempts and several API processes share
// the allowance.

const config = { userAttempts: 3, addressAttempts: 5, backoffMs: 1000, backoffMaxMs: 8000, windowMs: 60_000 };
let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.dispose();
});

function throttleAt(start = 1_000_000) {
  const clock = { ms: start };
  return { clock, throttle: new LoginThrottle(prisma, config, () => clock.ms) };
}

describe("login throttle", () => {
  it("locks a user name when its attempts are used up, doubling the lock up to the maximum", async () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < 3; i++) expect(await throttle.claim("ada", `10.0.0.${i}`)).toBe(0);
    // The third attempt's claim locks for 1 s; each further one doubles it, up to 8 s (the maximum).
    const locks = [await throttle.claim("ada", "10.0.9.9")];
    for (const wait of [1000, 2000, 4000, 8000]) {
      clock.ms += wait;
      expect(await throttle.claim("Ada", "10.0.1.1")).toBe(0);
      locks.push(await throttle.claim("ada", "10.0.9.9"));
    }
    expect(locks).toEqual([1, 2, 4, 8, 8]);
    clock.ms += 8000;
    expect(await throttle.claim("ada", "10.0.9.9")).toBe(0);
    // Another name from another address is not affected.
    expect(await throttle.claim("grace", "10.0.9.8")).toBe(0);
  });

  it("locks an address that tries many names, gives refused claims back, and forgets after the window", async () => {
    const { clock, throttle } = throttleAt(2_000_000);
    for (let i = 0; i < 4; i++) expect(await throttle.claim(`user${i}`, "192.0.2.7")).toBe(0);
    expect(await throttle.claim("user4", "192.0.2.7")).toBe(0);
    expect(await throttle.claim("someone-else", "192.0.2.7")).toBe(1);
    expect(await throttle.claim("someone-else", "192.0.2.8")).toBe(0);
    clock.ms += 61_000;
    expect(await throttle.claim("someone-else", "192.0.2.7")).toBe(0);
  });

  it("clears a name's failures and gives the address its attempt back on success", async () => {
    const { throttle } = throttleAt(3_000_000);
    for (let i = 0; i < 2; i++) expect(await throttle.claim("edsger", "10.1.0.1")).toBe(0);
    expect(await throttle.claim("edsger", "10.1.0.1")).toBe(0);
    await throttle.succeeded("edsger", "10.1.0.1");
    // The name starts afresh: three more attempts before a lock.
    for (let i = 0; i < 3; i++) expect(await throttle.claim("edsger", "10.1.0.2")).toBe(0);
    expect(await throttle.claim("edsger", "10.1.0.3")).toBeGreaterThan(0);
    // The address's two unsuccessful claims stay; its successful one was given back.
    const [row] = await prisma.loginThrottle.findMany({ where: { scope: "address", key: "10.1.0.1" } });
    expect(row?.failures).toBe(2);
  });

  it("lets exactly the allowance through when 40 claims race, across two throttles on one database", async () => {
    const { throttle: a } = throttleAt(4_000_000);
    const { throttle: b } = throttleAt(4_000_000);
    const byName = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).claim("racer", `172.16.0.${i}`)),
    );
    expect(byName.filter((wait) => wait === 0)).toHaveLength(3);
    const byAddress = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).claim(`racer-${i}`, "172.16.1.1")),
    );
    expect(byAddress.filter((wait) => wait === 0)).toHaveLength(5);
  });
});
