import { createPrismaClient, type PrismaClient } from "@macnet/db";
import { createDataset, listDatasets } from "@macnet/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";

let database: TestDatabase;
let prisma: PrismaClient;

// 60 stars, 50 galaxies, 20 quasars under "survey-a"; 6 unlabelled; 10 stars under "survey-b";
// 3 survey-a galaxies whose blue strips are only 2500 pixels long.
beforeAll(async () => {
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  const objects = [
    ...Array.from({ length: 60 }, () => ({ source: "survey-a", catalogClass: "STAR" as const })),
    ...Array.from({ length: 50 }, () => ({ source: "survey-a", catalogClass: "GALAXY" as const })),
    ...Array.from({ length: 20 }, () => ({ source: "survey-a", catalogClass: "QSO" as const })),
    ...Array.from({ length: 6 }, () => ({ source: "survey-a", catalogClass: null })),
    ...Array.from({ length: 10 }, () => ({ source: "survey-b", catalogClass: "STAR" as const })),
  ];
  await prisma.celestialObject.createMany({ data: objects });
  const galaxies = await prisma.celestialObject.findMany({ where: { catalogClass: "GALAXY" }, take: 3 });
  for (const galaxy of galaxies) {
    await prisma.spectrum2D.create({
      data: {
        objectId: galaxy.id,
        arm: "BLUE",
        widthPx: 15,
        lengthPx: 2500,
        data: Buffer.alloc(4),
        mean: 0,
        std: 1,
        min: 0,
        max: 1,
        contentHash: `short-${galaxy.id}`,
      },
    });
  }
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.dispose();
});

async function splitOf(datasetId: number): Promise<Map<number, string>> {
  const members = await prisma.datasetMember.findMany({ where: { datasetId } });
  return new Map(members.map((m) => [m.objectId, m.split]));
}

describe("datasets", () => {
  it("splits the labelled objects of a source 8:1:1 per class, reproducibly, and versions a reused name", async () => {
    const first = await createDataset(prisma, { name: "paper", seed: 7, source: "survey-a" });
    expect(first.version).toBe(1);
    expect(first.excluded.shortStrips).toBe(3);
    expect(first.members).toBe(60 + 47 + 20);
    expect(first.classCounts).toEqual({
      TRAIN: { GALAXY: 38, QSO: 16, STAR: 48 },
      VAL: { GALAXY: 5, QSO: 2, STAR: 6 },
      TEST: { GALAXY: 4, QSO: 2, STAR: 6 },
    });
    const again = await createDataset(prisma, { name: "paper", seed: 7, source: "survey-a" });
    expect(again.version).toBe(2);
    expect(await splitOf(again.id)).toEqual(await splitOf(first.id));
    const other = await createDataset(prisma, { name: "paper", seed: 8, source: "survey-a" });
    expect(other.version).toBe(3);
    expect(await splitOf(other.id)).not.toEqual(await splitOf(first.id));
    expect((await listDatasets(prisma)).filter((d) => d.name === "paper").map((d) => d.version)).toEqual([3, 2, 1]);
  });

  it("rejects bad options and empty selections by name", async () => {
    await expect(createDataset(prisma, { name: "x", ratios: [0, 1, 1] })).rejects.toThrow(/positive training share/);
    await expect(createDataset(prisma, { name: "x", blue: [100, 120] })).rejects.toThrow(/at least 64 pixels/);
    await expect(createDataset(prisma, { name: "bad name!" })).rejects.toThrow(/name may contain/);
    await expect(createDataset(prisma, { name: "x", source: "nowhere" })).rejects.toThrow(
      /No labelled objects with source 'nowhere'/,
    );
  });

  it("is driven by `macnet dataset create --json`", async () => {
    const env = { DATABASE_URL: database.url };
    const result = await runCli(
      ["dataset", "create", "--name", "cli", "--seed", "3", "--ratios", "6:2:2", "--source", "survey-b", "--json"],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split("\n").pop() as string);
    expect(summary).toMatchObject({
      name: "cli",
      version: 1,
      seed: 3,
      ratios: [6, 2, 2],
      blue: [1000, 3000],
      red: [1500, 3500],
      source: "survey-b",
      members: 10,
      classCounts: { TRAIN: { STAR: 6 }, VAL: { STAR: 2 }, TEST: { STAR: 2 } },
    });
    const bad = await runCli(["dataset", "create", "--name", "cli", "--ratios", "8:1"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--ratios must be 3 non-negative numbers/);
    const list = await runCli(["dataset", "list", "--json"], env);
    expect(
      JSON.parse(list.stdout.trim().split("\n").pop() as string).datasets.map((d: { name: string }) => d.name),
    ).toContain("cli");
  });
});
