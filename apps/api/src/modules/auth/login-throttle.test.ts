import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle.ts";

const config = { userAttempts: 3, addressAttempts: 5, backoffMs: 1000, backoffMaxMs: 8000, windowMs: 60_000 };

function throttleAt() {
  const clock = { ms: 1_000_000 };
  return { clock, throttle: new LoginThrottle(config, () => clock.ms) };
}

describe("login throttle", () => {
  it("locks a user name after its free failures, doubling the lock up to the maximum", () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterS("ada", `10.0.0.${i}`)).toBe(0);
      throttle.failed("ada", `10.0.0.${i}`);
    }
    // The third failure locks for 1 s; each further one doubles it, up to 8 s (the maximum).
    const locks = [throttle.retryAfterS("ada", "10.0.9.9")];
    for (let i = 0; i < 4; i++) {
      throttle.failed("Ada", "10.0.1.1");
      locks.push(throttle.retryAfterS("ada", "10.0.9.9"));
    }
    expect(locks).toEqual([1, 2, 4, 8, 8]);
    clock.ms += 8000;
    expect(throttle.retryAfterS("ada", "10.0.9.9")).toBe(0);
    // Another name from another address is not affected.
    expect(throttle.retryAfterS("grace", "10.0.9.9")).toBe(0);
  });

  it("locks an address that fails across many names, and forgets failures after the window", () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < 4; i++) throttle.failed(`user${i}`, "192.0.2.7");
    expect(throttle.retryAfterS("someone-else", "192.0.2.7")).toBe(0);
    throttle.failed("user4", "192.0.2.7");
    expect(throttle.retryAfterS("someone-else", "192.0.2.7")).toBe(1);
    expect(throttle.retryAfterS("someone-else", "192.0.2.8")).toBe(0);
    clock.ms += 61_000;
    expect(throttle.retryAfterS("someone-else", "192.0.2.7")).toBe(0);
    throttle.failed("user0", "192.0.2.7");
    expect(throttle.retryAfterS("user0", "192.0.2.7")).toBe(0);
  });

  it("clears a name's failures when it signs in", () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 2; i++) throttle.failed("ada", "10.0.0.1");
    throttle.succeeded("ada");
    throttle.failed("ada", "10.0.0.2");
    expect(throttle.retryAfterS("ada", "10.0.0.3")).toBe(0);
  });
});
