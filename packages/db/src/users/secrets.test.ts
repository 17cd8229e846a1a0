import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  generateApiKey,
  hashPassword,
  needsRehash,
  sha256Hex,
  verifyPassword,
  verifyPasswordOrDummy,
} from "./secrets.ts";

/** Cheap parameters for tests that do not measure the cost. */
const LOW = { logN: 10, r: 8, p: 1 };

describe("secrets", () => {
  it("generates distinct API keys whose hash is the SHA-256 of the key", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(sha256Hex(a.key));
    expect(a.key.startsWith(`mk_${a.prefix}_`)).toBe(true);
  });

  it("verifies only the right password, with a fresh salt each time and the parameters in the hash", async () => {
    const first = await hashPassword("correct horse", LOW);
    expect(first).toMatch(/^scrypt\$ln=10,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword("correct horse", LOW)).not.toBe(first);
    expect(await verifyPassword("correct horse", first)).toBe(true);
    expect(await verifyPassword("correct horsf", first)).toBe(false);
    expect(await verifyPassword("correct horse", "md5$x$y")).toBe(false);
    expect(await verifyPassword("correct horse", "scrypt$ln=99,r=8,p=1$AAAA$AAAA")).toBe(false);
  });

  it("reads hashes of the first format (no parameters: Node's defaults) and asks for them to be redone", async () => {
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString("base64url")}$${scryptSync("old secret", salt, 32).toString("base64url")}`;
    expect(await verifyPassword("old secret", legacy)).toBe(true);
    expect(await verifyPassword("old secreT", legacy)).toBe(false);
    expect(needsRehash(legacy, { logN: 14, r: 8, p: 1 })).toBe(false);
    expect(needsRehash(legacy, { logN: 15, r: 8, p: 1 })).toBe(true);
    expect(needsRehash(await hashPassword("x", LOW), { logN: 11, r: 8, p: 1 })).toBe(true);
    expect(needsRehash(await hashPassword("x", LOW), LOW)).toBe(false);
  });

  it("checks an unknown user's password against a dummy hash: never true, never on the event loop", async () => {
    let tickedFirst = false;
    const check = verifyPasswordOrDummy("anything", null, LOW).then((ok) => {
      expect(tickedFirst).toBe(true);
      return ok;
    });
    // A synchronous KDF would finish before this callback could run.
    setImmediate(() => {
      tickedFirst = true;
    });
    expect(await check).toBe(false);
    expect(await verifyPasswordOrDummy("", undefined, LOW)).toBe(false);
  });
});
