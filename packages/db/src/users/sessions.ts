// Dashboard sessions: a random token in an http-only cookie, only its SHA-256 stored, with an expiry.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { hashPassword, needsRehash, type ScryptCost, sha256Hex, verifyPasswordOrDummy } from "./secrets.ts";

/** How long a session lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionUser {
  id: number;
  name: string;
  role: Role;
  sessionId: number;
}

/**
 * Checks name and password; on success opens a session and returns its token (shown only here).
 * The same answer (null) after the same work for an unknown user, a key-only user and a wrong
 * password; a hash made with less than `cost` is redone with it.
 */
export async function createSession(options: {
  prisma: PrismaClient;
  name: string;
  password: string;
  cost?: ScryptCost;
}): Promise<{ token: string; expiresAt: Date; user: SessionUser } | null> {
  const user = await options.prisma.user.findUnique({ where: { name: options.name } });
  if (!(await verifyPasswordOrDummy(options.password, user?.passwordHash, options.cost)) || !user?.passwordHash)
    return null;
  if (needsRehash(user.passwordHash, options.cost)) {
    await options.prisma.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(options.password, options.cost) },
    });
  }
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const session = await options.prisma.session.create({
    data: { userId: user.id, tokenHash: sha256Hex(token), expiresAt },
  });
  return { token, expiresAt, user: { id: user.id, name: user.name, role: user.role, sessionId: session.id } };
}

/** The user of a live session token, or null (unknown or expired). */
export async function authenticateSession(options: {
  prisma: PrismaClient;
  token: string;
}): Promise<SessionUser | null> {
  const session = await options.prisma.session.findUnique({
    where: { tokenHash: sha256Hex(options.token) },
    select: { id: true, expiresAt: true, user: { select: { id: true, name: true, role: true } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  return { ...session.user, sessionId: session.id };
}

/** Ends a session (logging out); ending it twice is harmless. */
export async function endSession(options: { prisma: PrismaClient; sessionId: number }): Promise<void> {
  await options.prisma.session.deleteMany({ where: { id: options.sessionId } });
}
