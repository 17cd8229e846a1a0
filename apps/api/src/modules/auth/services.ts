// Sign-in, sign-out and API keys, with the role checks (the resolvers only call these).
import { createApiKey, createSession, endSession, MacnetError, revokeApiKey } from "@macnet/db";
import type { Context } from "../../context.ts";
import { requireAdmin, requireViewer } from "../../errors.ts";

/** Signs in with a password (throttled per name and address: see login-throttle.ts). */
export async function login(context: Context, name: string, password: string) {
  const { throttle, passwordCost } = context.signIn;
  // The attempt is claimed (counted as a failure) before the password is checked: concurrent
  // attempts beyond the allowance are refused, not checked.
  const waitS = await throttle.claim(name, context.clientAddress);
  if (waitS > 0) {
    throw new MacnetError(
      `Too many failed sign-ins for this user or from this address: try again in ${waitS} s`,
      "TOO_MANY_ATTEMPTS",
    );
  }
  const session = await createSession({ prisma: context.prisma, name, password, cost: passwordCost });
  if (!session) throw new MacnetError("Unknown user name or wrong password", "LOGIN_FAILED");
  await throttle.succeeded(name, context.clientAddress);
  context.setSessionCookie?.(session.token, session.expiresAt);
  const { sessionId, ...user } = session.user;
  context.viewer = { ...user, via: { kind: "session", sessionId } };
  return user;
}

export async function logout(context: Context): Promise<boolean> {
  const viewer = requireViewer(context);
  if (viewer.via.kind === "session") await endSession({ prisma: context.prisma, sessionId: viewer.via.sessionId });
  context.credentials?.clear();
  context.setSessionCookie?.(null);
  return true;
}

/** A key for the caller, or — for an admin — for the user named. */
export async function issueApiKey(context: Context, input: { label?: string | null; userName?: string | null }) {
  const viewer = requireViewer(context);
  let userId = viewer.id;
  if (input.userName && input.userName !== viewer.name) {
    requireAdmin(context, "issue keys for other users");
    const user = await context.prisma.user.findUnique({ where: { name: input.userName } });
    if (!user) throw new MacnetError(`No user named '${input.userName}'`, "USER_NOT_FOUND");
    userId = user.id;
  }
  return createApiKey({ prisma: context.prisma, userId, label: input.label });
}

/** Revokes one's own key, or (admin) anyone's. */
export async function revokeKey(context: Context, apiKeyId: number) {
  const viewer = requireViewer(context);
  const key = await context.prisma.apiKey.findUnique({ where: { id: apiKeyId } });
  if (!key || (key.userId !== viewer.id && viewer.role !== "ADMIN")) {
    throw new MacnetError(`No API key with id ${apiKeyId} of yours`, "API_KEY_NOT_FOUND");
  }
  await revokeApiKey({ prisma: context.prisma, apiKeyId });
  context.credentials?.clear();
  return context.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } });
}

export async function listApiKeys(context: Context) {
  const viewer = requireViewer(context);
  return context.prisma.apiKey.findMany({
    where: viewer.role === "ADMIN" ? {} : { userId: viewer.id },
    orderBy: { id: "asc" },
  });
}
