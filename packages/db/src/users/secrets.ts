import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { MacnetError } from "@macnet/core";

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

/** scrypt's cost: N = 2^logN, block size r, parallelism p (memory 128·N·r bytes). */
export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

/** The cost new hashes get unless configured otherwise (32 MiB, ~0.1 s on one core). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: 15, r: 8, p: 1 };
/** What hashes of the first format (`scrypt$salt$hash`, no parameters) were made with: Node's defaults. */
const LEGACY_COST: ScryptCost = { logN: 14, r: 8, p: 1 };
/** Password checks running at once (each holds one libuv thread and 128·N·r bytes). */
const MAX_CONCURRENT = 2;
/** Checks allowed to wait for one of those; past that a sign-in is refused as busy. */
const MAX_WAITING = 64;

let running = 0;
const waiting: Array<() => void> = [];

/** scrypt on libuv's thread pool (never on the event loop), at most MAX_CONCURRENT at a time. */
async function derive(password: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  if (running >= MAX_CONCURRENT) {
    if (waiting.length >= MAX_WAITING)
      throw new MacnetError("The server is busy checking passwords: try again in a few seconds", "TOO_MANY_ATTEMPTS");
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  try {
    const N = 2 ** cost.logN;
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(password, salt, length, { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r }, (error, key) =>
        error ? reject(error) : resolve(key),
      ),
    );
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** A stored hash's parts, or null when it is not one of ours. */
function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; hash: Buffer } | null {
  const parts = stored.split("$");
  if (parts[0] !== "scrypt") return null;
  if (parts.length === 3) {
    const [, salt, hash] = parts as [string, string, string];
    return { cost: LEGACY_COST, salt: Buffer.from(salt, "base64url"), hash: Buffer.from(hash, "base64url") };
  }
  const match = /^ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,2})$/.exec(parts[1] ?? "");
  if (parts.length !== 4 || !match) return null;
  const cost = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (cost.logN < 1 || cost.logN > 22 || cost.r < 1 || cost.p < 1) return null;
  return {
    cost,
    salt: Buffer.from(parts[2] as string, "base64url"),
    hash: Buffer.from(parts[3] as string, "base64url"),
  };
}

/** scrypt password hash that carries its parameters: `scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64url). */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, 32, cost);
  return `scrypt$ln=${cost.logN},r=${cost.r},p=${cost.p}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

/** Checks a password against a stored hash (either format), in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.hash.length < 16) return false;
  const actual = await derive(password, parsed.salt, parsed.hash.length, parsed.cost);
  return timingSafeEqual(actual, parsed.hash);
}

/** Whether a stored hash was made with less work than `cost` asks for (so it is redone at the next sign-in). */
export function needsRehash(stored: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  return parsed.cost.logN < cost.logN || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

/** A hash of a random password per process and cost, checked against when a user has no password hash. */
const dummies = new Map<string, Promise<string>>();

/**
 * Checks a password against a user's stored hash, or — for an unknown user or one without a
 * password — against a dummy hash of the same cost, so that every answer takes the same work and
 * the time taken does not tell which user names exist.
 */
export async function verifyPasswordOrDummy(
  password: string,
  stored: string | null | undefined,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<boolean> {
  if (stored) return verifyPassword(password, stored);
  const key = `${cost.logN},${cost.r},${cost.p}`;
  let dummy = dummies.get(key);
  if (!dummy) {
    dummy = hashPassword(randomBytes(16).toString("base64url"), cost);
    dummies.set(key, dummy);
  }
  await verifyPassword(password, await dummy);
  return false;
}
