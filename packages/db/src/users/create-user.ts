import { MacnetError } from "@macnet/core";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { Role } from "../generated/prisma/enums.ts";
import { generateApiKey, hashPassword, type ScryptCost } from "./secrets.ts";

export const ZCreateUserInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "name must not be empty")
    .max(100, "name must be at most 100 characters")
    .regex(/^[\w.@-]+$/, "name may contain letters, digits, '_', '.', '@' and '-' only"),
  role: z.enum(Role, { message: "role must be one of COLLABORATOR, SCIENTIST, ADMIN" }),
  password: z.string().min(8, "password must be at least 8 characters").optional(),
});
export type TCreateUserInput = z.infer<typeof ZCreateUserInput>;

/** A new user and the API key issued to it (the plaintext key exists only in this result). */
export interface CreatedUser {
  id: number;
  name: string;
  role: Role;
  apiKey: string;
  apiKeyPrefix: string;
}

/** Creates a user with a role and its first API key, in one transaction. */
export async function createUser(options: {
  prisma: PrismaClient;
  input: TCreateUserInput;
  /** scrypt cost of the password hash (default: DEFAULT_SCRYPT_COST). */
  passwordCost?: ScryptCost;
}): Promise<CreatedUser> {
  const input = ZCreateUserInput.parse(options.input);
  const key = generateApiKey();
  const existing = await options.prisma.user.findUnique({ where: { name: input.name }, select: { id: true } });
  if (existing) throw new MacnetError(`A user named '${input.name}' already exists`, "USER_EXISTS");
  const passwordHash = input.password ? await hashPassword(input.password, options.passwordCost) : null;
  const user = await options.prisma.user.create({
    data: {
      name: input.name,
      role: input.role,
      passwordHash,
      apiKeys: { create: { prefix: key.prefix, keyHash: key.hash, label: "created with the user" } },
    },
    select: { id: true, name: true, role: true },
  });
  return { ...user, apiKey: key.key, apiKeyPrefix: key.prefix };
}
