import {
  authenticateApiKey,
  createPrismaClient,
  createUser,
  ensureAdminUser,
  type PrismaClient,
  revokeApiKey,
  verifyPassword,
} from "@macnet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";

let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.dispose();
});

describe("users and API keys", () => {
  it("issues a key that authenticates, is stored only hashed, and stops working when revoked", async () => {
    const created = await createUser({ prisma, input: { name: "collab-1", role: "COLLABORATOR" } });
    expect(created.apiKey).toMatch(/^mk_[0-9a-f]{8}_[\w-]{32}$/);
    expect(created.apiKey.startsWith(`mk_${created.apiKeyPrefix}_`)).toBe(true);

    const stored = await prisma.apiKey.findFirstOrThrow({ where: { userId: created.id } });
    expect(stored.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(created.apiKey);

    const user = await authenticateApiKey({ prisma, apiKey: created.apiKey });
    expect(user).toMatchObject({ id: created.id, name: "collab-1", role: "COLLABORATOR" });
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: stored.id } })).lastUsedAt).not.toBeNull();
    expect(await authenticateApiKey({ prisma, apiKey: `${created.apiKey}x` })).toBeNull();

    await revokeApiKey({ prisma, apiKeyId: stored.id });
    expect(await authenticateApiKey({ prisma, apiKey: created.apiKey })).toBeNull();
  });

  it("rejects duplicate names and invalid input with messages naming the field", async () => {
    await createUser({ prisma, input: { name: "dup", role: "SCIENTIST" } });
    await expect(createUser({ prisma, input: { name: "dup", role: "ADMIN" } })).rejects.toThrow(
      "A user named 'dup' already exists",
    );
    await expect(createUser({ prisma, input: { name: "has space", role: "ADMIN" } })).rejects.toThrow(
      /name may contain/,
    );
    await expect(createUser({ prisma, input: { name: "short-pw", role: "ADMIN", password: "1234" } })).rejects.toThrow(
      /password must be at least 8 characters/,
    );
  });

  it("creates one administrator with a working password, then leaves it alone", async () => {
    const first = await ensureAdminUser({ prisma, name: "root-admin" });
    if (!first.created) throw new Error("expected a new administrator");
    const row = await prisma.user.findUniqueOrThrow({ where: { id: first.user.id } });
    expect(row.role).toBe("ADMIN");
    expect(await verifyPassword(first.password, row.passwordHash ?? "")).toBe(true);
    expect(await verifyPassword(`${first.password}!`, row.passwordHash ?? "")).toBe(false);

    const second = await ensureAdminUser({ prisma, name: "another-admin" });
    expect(second).toEqual({ created: false, name: "root-admin" });
    expect(await prisma.user.count({ where: { role: "ADMIN" } })).toBe(1);
  });
});
