// Named, versioned, reproducible dataset splits (issue #6): stratified by catalogue class, seeded,
// stored as dataset + dataset_member rows. A name is never overwritten: creating it again makes the
// next version, so a dataset a model was trained on never changes.
import { mulberry32, OBJECT_CLASSES } from "@macnet/core";
import { MacnetError, type ObjectClass, type PrismaClient } from "@macnet/db";
import { z } from "zod";

import { SPLITS, type Split } from "./names.ts";

export { SPLITS, type Split };
/** The classes in the models' output order (@macnet/core's OBJECT_CLASSES). */
export const CLASSES = OBJECT_CLASSES satisfies readonly ObjectClass[];

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

/** Seeded Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** One class's ids in their seeded order: the first `train` go to TRAIN, the next `val` to VAL, the rest TEST. */
export interface ClassSplit {
  cls: string;
  order: number[];
  train: number;
  val: number;
}

/**
 * Splits ids of each class: shuffled from ascending order by a seed derived from the class and the
 * split seed, the first round(n·train) to TRAIN, round(n·val) to VAL, the rest TEST.
 */
export function classSplits(
  idsByClass: Map<string, number[]>,
  ratios: [number, number, number],
  seed: number,
): ClassSplit[] {
  const total = ratios[0] + ratios[1] + ratios[2];
  return [...idsByClass.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cls, ids]) => {
      const classSeed = [...cls].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0, seed ^ 2166136261);
      const order = shuffled(
        [...ids].sort((a, b) => a - b),
        mulberry32(classSeed),
      );
      const train = Math.round((order.length * ratios[0]) / total);
      const val = Math.min(order.length - train, Math.round((order.length * ratios[1]) / total));
      return { cls, order, train, val };
    });
}

/** The split of each id, as `classSplits` assigns it (small datasets and tests). */
export function stratifiedSplit(
  idsByClass: Map<string, number[]>,
  ratios: [number, number, number],
  seed: number,
): Map<number, Split> {
  const result = new Map<number, Split>();
  for (const { order, train, val } of classSplits(idsByClass, ratios, seed)) {
    order.forEach((id, i) => {
      result.set(id, i < train ? "TRAIN" : i < train + val ? "VAL" : "TEST");
    });
  }
  return result;
}

/** Per split, per class counts, all empty. */
export function emptyClassCounts(): Record<Split, Record<string, number>> {
  return Object.fromEntries(SPLITS.map((s) => [s, {} as Record<string, number>])) as Record<
    Split,
    Record<string, number>
  >;
}

/** The version the next dataset of this name gets (inside the transaction that creates it). */
export async function nextVersion(tx: Pick<PrismaClient, "dataset">, name: string): Promise<number> {
  const latest = await tx.dataset.findFirst({
    where: { name },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return (latest?.version ?? 0) + 1;
}

/** Objects read per statement while a dataset is built (keyset by id). */
const READ_CHUNK = 200_000;
/** Members written per statement. */
const WRITE_CHUNK = 100_000;

/**
 * Creates the next version of a named dataset from the labelled objects in the database. Built for
 * survey size: ids are read in chunks as plain arrays and members written from arrays per class and
 * split, so 10⁷ objects never become 10⁷ row objects or map entries.
 */
export async function createDataset(prisma: PrismaClient, input: TCreateDatasetInput): Promise<DatasetSummary> {
  const options = ZCreateDatasetInput.parse(input);
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
  let excludedShort = 0;
  for (let after = 0; ; ) {
    const rows = await prisma.$queryRaw<{ ids: number[]; classes: string[] }[]>`
      SELECT coalesce(array_agg(id ORDER BY id), '{}') AS ids, coalesce(array_agg(c ORDER BY id), '{}') AS classes
      FROM (SELECT id, catalog_class::text AS c FROM celestial_object
            WHERE catalog_class IS NOT NULL AND id > ${after}
              AND (${options.source ?? null}::text IS NULL OR source = ${options.source ?? null})
            ORDER BY id LIMIT ${READ_CHUNK}) chunk`;
    const { ids, classes } = rows[0] as { ids: number[]; classes: string[] };
    if (ids.length === 0) break;
    ids.forEach((id, i) => {
      if (short.has(id)) {
        excludedShort++;
        return;
      }
      const cls = classes[i] as string;
      const list = idsByClass.get(cls);
      if (list) list.push(id);
      else idsByClass.set(cls, [id]);
    });
    after = ids[ids.length - 1] as number;
    if (ids.length < READ_CHUNK) break;
  }
  const splits = classSplits(idsByClass, options.ratios, options.seed);
  const members = splits.reduce((sum, split) => sum + split.order.length, 0);
  if (members === 0) {
    const where = options.source ? ` with source '${options.source}'` : "";
    throw new MacnetError(
      `No labelled objects${where} to build dataset '${options.name}' from (ingest a catalogue with classes first)`,
      "DATASET_EMPTY",
    );
  }
  const classCounts = emptyClassCounts();
  /** Each split's slice of each class's order. */
  const slices = splits.flatMap(({ cls, order, train, val }) => {
    const parts: [Split, number[]][] = [
      ["TRAIN", order.slice(0, train)],
      ["VAL", order.slice(train, train + val)],
      ["TEST", order.slice(train + val)],
    ];
    return parts.map(([split, ids]) => {
      if (ids.length > 0) classCounts[split][cls] = ids.length;
      return { split, ids };
    });
  });
  const dataset = await prisma.$transaction(
    async (tx) => {
      const created = await tx.dataset.create({
        data: {
          name: options.name,
          version: await nextVersion(tx, options.name),
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
      for (const { split, ids } of slices) {
        for (let i = 0; i < ids.length; i += WRITE_CHUNK) {
          await tx.$executeRaw`INSERT INTO dataset_member (dataset_id, object_id, split)
            SELECT ${created.id}, unnest(${ids.slice(i, i + WRITE_CHUNK)}::int[]), ${split}::"DatasetSplit"`;
        }
      }
      return created;
    },
    // A survey of 10⁷ objects writes for minutes; one transaction, so a failure leaves no half dataset.
    { timeout: 3_600_000, maxWait: 60_000 },
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
    members,
    classCounts,
    excluded: { shortStrips: excludedShort },
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
    /** The version this one was made from with reviewers' corrections, and how many labels they changed. */
    parentId: d.parentId,
    corrections: d.corrections,
    createdAt: d.createdAt.toISOString(),
  }));
}
