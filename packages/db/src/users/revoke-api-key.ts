import { MacnetError } from "@macnet/core";
import type { PrismaClient } from "../generated/prisma/client.ts";

/** Revokes an API key by id; revoking twice keeps the first revocation time. */
export async function revokeApiKey(options: { prisma: PrismaClient; apiKeyId: number }): Promise<void> {
  const key = await options.prisma.apiKey.findUnique({
    where: { id: options.apiKeyId },
    select: { revokedAt: true },
  });
  if (!key) throw new MacnetError(`No API key with id ${options.apiKeyId}`, "API_KEY_NOT_FOUND");
  if (key.revokedAt) return;
  await options.prisma.apiKey.update({ where: { id: options.apiKeyId }, data: { revokedAt: new Date() } });
}
