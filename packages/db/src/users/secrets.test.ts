import { describe, expect, it } from "vitest";
import { generateApiKey, hashPassword, sha256Hex, verifyPassword } from "./secrets.ts";

describe("secrets", () => {
  it("generates distinct API keys whose hash is the SHA-256 of the key", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(sha256Hex(a.key));
    expect(a.key.startsWith(`mk_${a.prefix}_`)).toBe(true);
  });

  it("verifies only the right password, with a fresh salt each time", () => {
    const first = hashPassword("correct horse");
    expect(hashPassword("correct horse")).not.toBe(first);
    expect(verifyPassword("correct horse", first)).toBe(true);
    expect(verifyPassword("correct horsf", first)).toBe(false);
    expect(verifyPassword("correct horse", "md5$x$y")).toBe(false);
  });
});
