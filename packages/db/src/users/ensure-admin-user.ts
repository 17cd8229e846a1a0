import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { Role } from "../generated/prisma/enums.ts";
import { type CreatedUser, createUser } from "./create-user.ts";

/** The result of making sure an administrator exists. */
export type EnsuredAdmin = { created: true; user: CreatedUser; password: string } | { created: false; name: string };

/** Creates an ADMIN named `name` with a generated password when the database has no administrator yet. */
export async function ensureAdminUser(options: { prisma: PrismaClient; name: string }): Promise<EnsuredAdmin> {
  const existing = await options.prisma.user.findFirst({
    where: { role: Role.ADMIN },
    orderBy: { id: "asc" },
    select: { name: true },
  });
  if (existing) return { created: false, name: existing.name };
  const password = randomBytes(12).toString("base64url");
  const user = await createUser({ prisma: options.prisma, input: { name: options.name, role: Role.ADMIN, password } });
  return { created: true, user, password };
}
