// Named, versioned, reproducible dataset splits (issue #6): stratified by catalogue class, seeded,
// stored as dataset + dataset_member rows. A name is never overwritten: creating it again makes the
// next version, so a dataset a model was trained on never changes.
import { MacnetError, type ObjectClass, type PrismaClient } from "@macnet/db";
import { z } from "zod";

import { SPLITS, type Split } from "./names.ts";

export { SPLITS, type Split };
export const CLASSES = ["GALAXY", "QSO", "STAR"] as const satisfies readonly ObjectClass[];

const window = z
  .tuple([z.number().int().min(0), z.number().int().positive()])
  .refine(([start, end]) => end - start >= 64, { message: "a window must be at least 64 pixels wide (start:end)" });

export const ZCreateDatasetInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "name must not be empty")
    .max(100, "name must be at most 100 characters")
    .regex(/^[\w.-]+$/, "name may contain letters, digits, '_', '.' and '-' only"),
  seed: z.number().int().min(0).default(1),
  ratios: z
    .tuple([z.number().min(0), z.number().min(0), z.number().min(0)])
    .refine(([a, b, c]) => a > 0 && a + b + c > 0, {
      message: "ratios need a positive training share (train:val:test)",
    })
    .default([8, 1, 1]),
  blue: window.default([1000, 3000]),
  red: window.default([1500, 3500]),
  source: z.string().min(1).optional(),
});
export type TCreateDatasetInput = z.input<typeof ZCreateDatasetInput>;

export interface DatasetSummary {
  id: number;
  name: string;
  version: number;
  seed: number;
  ratios: [number, number, number];
  blue: [number, number];
  red: [number, number];
  source: string | null;
  members: number;
  classCounts: Record<Split, Record<string, number>>;
  /** Labelled objects left out, and why. */
  excluded: { shortStrips: number };
}

/** mulberry32: a small, seedable PRNG, so splits are identical on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Splits ids of one class: the first round(n·train) to TRAIN, round(n·val) to VAL, the rest TEST. */
export function stratifiedSplit(
  idsByClass: Map<string, number[]>,
  ratios: [number, number, number],
  seed: number,
): Map<number, Split> {
  const total = ratios[0] + ratios[1] + ratios[2];
  const result = new Map<number, Split>();
  for (const [cls, ids] of [...idsByClass.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const classSeed = [...cls].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0, seed ^ 2166136261);
    const order = shuffled(
      [...ids].sort((a, b) => a - b),
      random(classSeed),
    );
    const nTrain = Math.round((order.length * ratios[0]) / total);
    const nVal = Math.min(order.length - nTrain, Math.round((order.length * ratios[1]) / total));
    order.forEach((id, i) => {
      result.set(id, i < nTrain ? "TRAIN" : i < nTrain + nVal ? "VAL" : "TEST");
    });
  }
  return result;
}

/** Creates the next version of a named dataset from the labelled objects in the database. */
export async function createDataset(prisma: PrismaClient, input: TCreateDatasetInput): Promise<DatasetSummary> {
  const options = ZCreateDatasetInput.parse(input);
  const labelled = await prisma.celestialObject.findMany({
    where: { catalogClass: { not: null }, ...(options.source ? { source: options.source } : {}) },
    select: { id: true, catalogClass: true },
    orderBy: { id: "asc" },
  });
  // Objects whose 2D strips are shorter than a window cannot feed the 2D networks: left out.
  const short = new Set<number>();
  for (const [arm, [, end]] of [
    ["BLUE", options.blue],
    ["RED", options.red],
  ] as const) {
    const rows = await prisma.spectrum2D.findMany({
      where: { arm, lengthPx: { lt: end }, object: options.source ? { source: options.source } : {} },
      select: { objectId: true },
    });
    for (const row of rows) short.add(row.objectId);
  }
  const idsByClass = new Map<string, number[]>();
  for (const object of labelled) {
    if (short.has(object.id)) continue;
    const list = idsByClass.get(object.catalogClass as string) ?? [];
    list.push(object.id);
    idsByClass.set(object.catalogClass as string, list);
  }
  const members = stratifiedSplit(idsByClass, options.ratios, options.seed);
  if (members.size === 0) {
    const where = options.source ? ` with source '${options.source}'` : "";
    throw new MacnetError(
      `No labelled objects${where} to build dataset '${options.name}' from (ingest a catalogue with classes first)`,
      "DATASET_EMPTY",
    );
  }
  const classCounts = Object.fromEntries(SPLITS.map((s) => [s, {} as Record<string, number>])) as Record<
    Split,
    Record<string, number>
  >;
  const classOf = new Map(labelled.map((o) => [o.id, o.catalogClass as string]));
  for (const [id, split] of members) {
    const cls = classOf.get(id) as string;
    classCounts[split][cls] = (classCounts[split][cls] ?? 0) + 1;
  }
  const dataset = await prisma.$transaction(
    async (tx) => {
      const latest = await tx.dataset.findFirst({
        where: { name: options.name },
        orderBy: { version: "desc" },
        select: { version: true },
      });
      const created = await tx.dataset.create({
        data: {
          name: options.name,
          version: (latest?.version ?? 0) + 1,
          seed: options.seed,
          ratioTrain: options.ratios[0],
          ratioVal: options.ratios[1],
          ratioTest: options.ratios[2],
          blueWindowStart: options.blue[0],
          blueWindowEnd: options.blue[1],
          redWindowStart: options.red[0],
          redWindowEnd: options.red[1],
          sourceFilter: options.source ?? null,
          classCounts,
        },
      });
      const rows = [...members].map(([objectId, split]) => ({ datasetId: created.id, objectId, split }));
      for (let i = 0; i < rows.length; i += 5000) {
        await tx.datasetMember.createMany({ data: rows.slice(i, i + 5000) });
      }
      return created;
    },
    { timeout: 120_000 },
  );
  return {
    id: dataset.id,
    name: dataset.name,
    version: dataset.version,
    seed: dataset.seed,
    ratios: options.ratios,
    blue: options.blue,
    red: options.red,
    source: dataset.sourceFilter,
    members: members.size,
    classCounts,
    excluded: { shortStrips: labelled.filter((o) => short.has(o.id)).length },
  };
}

/** Every dataset version, newest first, with its per-split class counts. */
export async function listDatasets(prisma: PrismaClient) {
  const datasets = await prisma.dataset.findMany({
    orderBy: [{ name: "asc" }, { version: "desc" }],
    include: { _count: { select: { members: true } } },
  });
  return datasets.map((d) => ({
    id: d.id,
    name: d.name,
    version: d.version,
    seed: d.seed,
    members: d._count.members,
    classCounts: d.classCounts as Record<Split, Record<string, number>>,
    locked: d.lockedAt !== null,
    createdAt: d.createdAt.toISOString(),
  }));
}
