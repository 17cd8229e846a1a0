import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/** A new API key (`mk_<prefix>_<secret>`); only its SHA-256 is ever stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(4).toString("hex");
  const key = `mk_${prefix}_${randomBytes(24).toString("base64url")}`;
  return { key, prefix, hash: sha256Hex(key) };
}

/** SHA-256, lowercase hex: how API keys and session tokens are stored. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** scrypt password hash as `scrypt$<salt>$<hash>` (base64url). */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32);
  return `scrypt$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

/** Checks a password against a hash made by `hashPassword`, in constant time. */
export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(password, Buffer.from(salt, "base64url"), expected.length);
  return timingSafeEqual(actual, expected);
}
