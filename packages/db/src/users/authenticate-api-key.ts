import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { sha256Hex } from "./secrets.ts";

/** Who an API key belongs to. */
export interface AuthenticatedUser {
  id: number;
  name: string;
  role: Role;
  apiKeyId: number;
}

/** How stale `lastUsedAt` may get before a request writes it again (a write per request would cost more than the read). */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves a presented API key to its user; revoked and unknown keys give null. Records last use (to the minute). */
export async function authenticateApiKey(options: {
  prisma: PrismaClient;
  apiKey: string;
}): Promise<AuthenticatedUser | null> {
  const found = await options.prisma.apiKey.findUnique({
    where: { keyHash: sha256Hex(options.apiKey) },
    select: { id: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, name: true, role: true } } },
  });
  if (!found || found.revokedAt) return null;
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await options.prisma.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
  }
  return { ...found.user, apiKeyId: found.id };
}
