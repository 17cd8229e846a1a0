import type { PrismaClient } from "../generated/prisma/client.ts";
import { generateApiKey } from "./secrets.ts";

/** Issues a new API key to a user; the plaintext key exists only in the result. */
export async function createApiKey(options: { prisma: PrismaClient; userId: number; label?: string | null }) {
  const key = generateApiKey();
  const apiKey = await options.prisma.apiKey.create({
    data: { userId: options.userId, label: options.label ?? null, prefix: key.prefix, keyHash: key.hash },
  });
  return { apiKey, secret: key.key };
}
