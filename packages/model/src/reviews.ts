// The label review loop (issue #33): reviewers record verdicts on catalogue classes (append-only, one
// row per verdict, a reviewer's latest row is their current verdict), a queue walks an audit's ranking
// past what the reviewer already judged, and a new dataset version takes the accepted corrections
// under one documented rule while keeping every member's split, so models of both versions compare.

import { mulberry32, OBJECT_CLASSES } from "@macnet/core";
import {
  badInput,
  type LabelVerdict,
  MacnetError,
  type ObjectClass,
  type Prisma,
  type PrismaClient,
  type Role,
  type Verdict,
} from "@macnet/db";
import { InputError, type Rejection, readCsvRows } from "@macnet/ingest";
import { CLASSES, type DatasetSummary, emptyClassCounts, nextVersion, SPLITS, type Split } from "./datasets.ts";

export const VERDICTS = ["CATALOGUE_RIGHT", "CATALOGUE_WRONG", "UNSURE"] as const satisfies readonly Verdict[];
/** Longest comment kept with a verdict, in characters. */
export const MAX_COMMENT_LENGTH = 2000;
/**
 * The rule `createReviewedDataset` applies (README, "Label review"): each reviewer counts with their
 * latest verdict; the latest of the ADMINs' decisive ones decides; without one, at least two
 * SCIENTISTs whose decisive verdicts all agree decide. UNSURE never decides.
 */
export const REVIEW_RULE = "admin-or-two-agreeing-scientists";

export interface Reviewer {
  id: number;
  name: string;
  role: Role;
}

export interface VerdictInput {
  objectId: number;
  verdict: Verdict;
  /** The class the object really is: required with CATALOGUE_WRONG, refused otherwise. */
  correctedClass?: ObjectClass | null;
  comment?: string | null;
  /** The audit the reviewer works from: the object must be one of its entries. */
  auditId?: number | null;
}

/** Only these roles write verdicts; COLLABORATORs read them. */
export function mayReview(role: Role): boolean {
  return role === "SCIENTIST" || role === "ADMIN";
}

/**
 * Records one verdict. Nothing is overwritten: a second verdict by anyone, the same reviewer included,
 * is a new row beside the first.
 */
export async function reviewLabel(
  prisma: PrismaClient,
  reviewer: Reviewer,
  input: VerdictInput,
): Promise<LabelVerdict> {
  if (!mayReview(reviewer.role)) {
    throw new MacnetError(`Only a SCIENTIST or ADMIN may review labels (you are ${reviewer.role})`, "FORBIDDEN");
  }
  if (!Number.isSafeInteger(input.objectId) || input.objectId <= 0)
    throw badInput(`objectId must be a positive integer (got ${String(input.objectId).slice(0, 40)})`, "objectId");
  if (!(VERDICTS as readonly string[]).includes(input.verdict)) {
    throw badInput(
      `verdict must be one of ${VERDICTS.join(", ")} (got "${String(input.verdict).slice(0, 40)}")`,
      "verdict",
    );
  }
  const corrected = input.correctedClass ?? null;
  if (corrected !== null && !(CLASSES as readonly string[]).includes(corrected)) {
    throw badInput(
      `correctedClass must be one of ${CLASSES.join(", ")} (got "${String(corrected).slice(0, 40)}")`,
      "correctedClass",
    );
  }
  if (input.verdict === "CATALOGUE_WRONG" && corrected === null)
    throw badInput("A CATALOGUE_WRONG verdict names the class the object really is (correctedClass)", "correctedClass");
  if (input.verdict !== "CATALOGUE_WRONG" && corrected !== null)
    throw badInput(`correctedClass goes only with CATALOGUE_WRONG (the verdict is ${input.verdict})`, "correctedClass");
  const comment = input.comment?.trim() || null;
  if (comment !== null && comment.length > MAX_COMMENT_LENGTH)
    throw badInput(`comment must be at most ${MAX_COMMENT_LENGTH} characters (got ${comment.length})`, "comment");
  const object = await prisma.celestialObject.findUnique({
    where: { id: input.objectId },
    select: { id: true, catalogClass: true },
  });
  if (!object) throw new MacnetError(`No object with id ${input.objectId}`, "OBJECT_NOT_FOUND", "objectId");
  if (object.catalogClass === null) {
    throw badInput(`Object ${object.id} has no catalogue class to judge`, "objectId");
  }
  if (corrected === object.catalogClass) {
    throw badInput(
      `Object ${object.id} is catalogued as ${corrected} already: that is CATALOGUE_RIGHT, not a correction`,
      "correctedClass",
    );
  }
  const auditId = input.auditId ?? null;
  if (auditId !== null) {
    const audit = await prisma.labelAudit.findUnique({ where: { id: auditId }, select: { id: true } });
    if (!audit) throw new MacnetError(`No label audit with id ${auditId}`, "AUDIT_NOT_FOUND", "auditId");
    const entry = await prisma.labelAuditEntry.findFirst({
      where: { auditId, objectId: object.id },
      select: { rank: true },
    });
    if (!entry) {
      throw new MacnetError(
        `Object ${object.id} is not among audit ${auditId}'s objects (its dataset does not hold it)`,
        "OBJECT_NOT_IN_DATASET",
        "objectId",
      );
    }
  }
  return prisma.labelVerdict.create({
    data: {
      objectId: object.id,
      reviewerId: reviewer.id,
      reviewerName: reviewer.name,
      reviewerRole: reviewer.role,
      verdict: input.verdict,
      correctedClass: corrected,
      catalogueClass: object.catalogClass,
      comment,
      auditId,
    },
  });
}

/** Every verdict on these objects, oldest first. */
export function verdictsOn(prisma: PrismaClient, objectIds: number[]): Promise<LabelVerdict[]> {
  return prisma.labelVerdict.findMany({ where: { objectId: { in: objectIds } }, orderBy: { id: "asc" } });
}

type VerdictFacts = Pick<
  LabelVerdict,
  "id" | "reviewerId" | "reviewerName" | "reviewerRole" | "verdict" | "correctedClass"
>;

/** What a decisive verdict says the object is. */
const claimOf = (v: VerdictFacts, catalogue: ObjectClass): ObjectClass =>
  v.verdict === "CATALOGUE_WRONG" ? (v.correctedClass as ObjectClass) : catalogue;

/**
 * The label the review rule accepts for one object from its verdicts (any order), or null when the
 * verdicts decide nothing: each reviewer counts with their latest verdict; an ADMIN's latest decisive
 * verdict wins; else at least two SCIENTISTs whose decisive verdicts all agree. The ids are the
 * verdicts that decided (provenance).
 */
export function acceptedLabel(
  verdicts: VerdictFacts[],
  catalogue: ObjectClass,
): { label: ObjectClass; verdictIds: number[] } | null {
  const latest = new Map<string, VerdictFacts>();
  for (const v of [...verdicts].sort((a, b) => a.id - b.id))
    latest.set(v.reviewerId === null ? `name:${v.reviewerName}` : `id:${v.reviewerId}`, v);
  const decisive = [...latest.values()].filter((v) => v.verdict !== "UNSURE");
  const admins = decisive.filter((v) => v.reviewerRole === "ADMIN").sort((a, b) => b.id - a.id);
  const admin = admins[0];
  if (admin) return { label: claimOf(admin, catalogue), verdictIds: [admin.id] };
  const scientists = decisive.filter((v) => v.reviewerRole === "SCIENTIST");
  const claims = new Set(scientists.map((v) => claimOf(v, catalogue)));
  if (scientists.length < 2 || claims.size !== 1) return null;
  return { label: [...claims][0] as ObjectClass, verdictIds: scientists.map((v) => v.id).sort((a, b) => a - b) };
}

export interface ReviewedDatasetSummary extends DatasetSummary {
  parentId: number;
  rule: string;
  /** Members whose label differs from the parent version's. */
  corrections: number;
  /** Members with at least one verdict, and those whose verdicts decided nothing under the rule. */
  reviewed: number;
  undecided: number;
}

/**
 * A new version of a dataset (same name, next version) with the same members in the same splits,
 * whose labels take the corrections the review rule accepts; the catalogue itself is never changed.
 */
export async function createReviewedDataset(
  prisma: PrismaClient,
  options: { from: number; createdById?: number | null },
): Promise<ReviewedDatasetSummary> {
  const parent = await prisma.dataset.findUnique({ where: { id: options.from } });
  if (!parent) throw new MacnetError(`No dataset with id ${options.from}`, "DATASET_NOT_FOUND", "from");
  // Verdicts are few (people write them): read those on the parent's members with each member's labels.
  const rows = await prisma.$queryRaw<
    Array<{ object_id: number; catalogue: ObjectClass; parent_label: ObjectClass } & VerdictFactsRow>
  >`
    SELECT v.id, v.reviewer_id, v.reviewer_name, v.reviewer_role::text, v.verdict::text, v.corrected_class::text,
           v.object_id, o.catalog_class::text AS catalogue, coalesce(m.label, o.catalog_class)::text AS parent_label
    FROM label_verdict v
    JOIN dataset_member m ON m.dataset_id = ${parent.id} AND m.object_id = v.object_id
    JOIN celestial_object o ON o.id = v.object_id
    WHERE o.catalog_class IS NOT NULL
    ORDER BY v.object_id, v.id`;
  const byObject = new Map<number, typeof rows>();
  for (const row of rows) {
    const list = byObject.get(row.object_id);
    if (list) list.push(row);
    else byObject.set(row.object_id, [row]);
  }
  const changed = { ids: [] as number[], labels: [] as (ObjectClass | null)[], verdicts: [] as string[] };
  let undecided = 0;
  for (const [objectId, verdicts] of byObject) {
    const first = verdicts[0] as (typeof rows)[number];
    const decision = acceptedLabel(verdicts.map(factsOf), first.catalogue);
    if (!decision) {
      undecided++;
      continue;
    }
    if (decision.label === first.parent_label) continue;
    changed.ids.push(objectId);
    changed.labels.push(decision.label === first.catalogue ? null : decision.label);
    changed.verdicts.push(`{${decision.verdictIds.join(",")}}`);
  }
  const dataset = await prisma.$transaction(
    async (tx) => {
      const { id: _id, version: _version, createdAt: _createdAt, lockedAt: _lockedAt, ...settings } = parent;
      const created = await tx.dataset.create({
        data: {
          ...settings,
          classCounts: {},
          version: await nextVersion(tx, parent.name),
          parentId: parent.id,
          reviewRule: REVIEW_RULE,
          corrections: changed.ids.length,
          createdById: options.createdById ?? null,
        },
      });
      await tx.$executeRaw`INSERT INTO dataset_member (dataset_id, object_id, split, label, verdict_ids)
        SELECT ${created.id}, object_id, split, label, verdict_ids FROM dataset_member WHERE dataset_id = ${parent.id}`;
      if (changed.ids.length > 0) {
        await tx.$executeRaw`UPDATE dataset_member m
          SET label = c.label::"ObjectClass", verdict_ids = c.verdicts::int[]
          FROM unnest(${changed.ids}::int[], ${changed.labels}::text[], ${changed.verdicts}::text[]) AS c(object_id, label, verdicts)
          WHERE m.dataset_id = ${created.id} AND m.object_id = c.object_id`;
      }
      const counts = await tx.$queryRaw<Array<{ split: Split; cls: string; n: number }>>`
        SELECT m.split::text AS split, coalesce(m.label, o.catalog_class)::text AS cls, count(*)::int AS n
        FROM dataset_member m JOIN celestial_object o ON o.id = m.object_id
        WHERE m.dataset_id = ${created.id} GROUP BY 1, 2`;
      const classCounts = emptyClassCounts();
      for (const { split, cls, n } of counts) classCounts[split][cls] = n;
      return tx.dataset.update({ where: { id: created.id }, data: { classCounts } });
    },
    { timeout: 3_600_000, maxWait: 60_000 },
  );
  const classCounts = dataset.classCounts as Record<Split, Record<string, number>>;
  return {
    id: dataset.id,
    name: dataset.name,
    version: dataset.version,
    seed: dataset.seed,
    ratios: [dataset.ratioTrain, dataset.ratioVal, dataset.ratioTest],
    blue: [dataset.blueWindowStart, dataset.blueWindowEnd],
    red: [dataset.redWindowStart, dataset.redWindowEnd],
    source: dataset.sourceFilter,
    members: SPLITS.reduce((sum, s) => sum + Object.values(classCounts[s]).reduce((a, b) => a + b, 0), 0),
    classCounts,
    excluded: { shortStrips: 0 },
    parentId: parent.id,
    rule: REVIEW_RULE,
    corrections: changed.ids.length,
    reviewed: byObject.size,
    undecided,
  };
}

interface VerdictFactsRow {
  id: number;
  reviewer_id: number | null;
  reviewer_name: string;
  reviewer_role: Role;
  verdict: Verdict;
  corrected_class: ObjectClass | null;
}

const factsOf = (row: VerdictFactsRow): VerdictFacts => ({
  id: row.id,
  reviewerId: row.reviewer_id,
  reviewerName: row.reviewer_name,
  reviewerRole: row.reviewer_role,
  verdict: row.verdict,
  correctedClass: row.corrected_class,
});

/** Audit entries whose suggested class is not the catalogue's (no entry with both the same class). */
export const CONTRADICTED: Prisma.LabelAuditEntryWhereInput = {
  NOT: OBJECT_CLASSES.map((cls) => ({ catalogueClass: cls, suggestedClass: cls })),
};

/**
 * The next entries of an audit for this reviewer: by rank after `afterRank`, skipping objects the
 * reviewer has judged (in any context).
 */
export async function reviewQueue(
  prisma: PrismaClient,
  options: { auditId: number; reviewerId: number; limit: number; afterRank?: number; onlyContradicted?: boolean },
) {
  const audit = await prisma.labelAudit.findUnique({ where: { id: options.auditId }, select: { id: true } });
  if (!audit) throw new MacnetError(`No label audit with id ${options.auditId}`, "AUDIT_NOT_FOUND", "auditId");
  return prisma.labelAuditEntry.findMany({
    where: {
      auditId: audit.id,
      rank: { gt: options.afterRank ?? 0 },
      object: { verdicts: { none: { reviewerId: options.reviewerId } } },
      ...(options.onlyContradicted ? CONTRADICTED : {}),
    },
    orderBy: { rank: "asc" },
    take: options.limit,
    include: { object: true },
  });
}

export interface SimulatedReview {
  auditId: number;
  /** Entries judged (the audit's first k with a truth row). */
  judged: number;
  /** Verdicts made wrong on purpose (a measured fraction, to show the loop's robustness). */
  deliberatelyWrong: number;
  /** CATALOGUE_WRONG verdicts, and those among them that name the true class. */
  corrections: number;
  rightCorrections: number;
}

/**
 * A reviewer simulated from an ingested truth file: judges an audit's first `top` entries (default
 * 2 × the planted wrong labels) as the truth says, except a seeded `errorRate` of them judged wrong on
 * purpose (a right label called wrong, a wrong one called right).
 */
export async function simulateReviewer(
  prisma: PrismaClient,
  reviewer: Reviewer,
  options: { auditId: number; top?: number; errorRate?: number; seed?: number },
): Promise<SimulatedReview> {
  const errorRate = options.errorRate ?? 0;
  if (!(errorRate >= 0 && errorRate <= 1)) throw badInput("errorRate must be in [0, 1]", "errorRate");
  const audit = await prisma.labelAudit.findUnique({ where: { id: options.auditId } });
  if (!audit) throw new MacnetError(`No label audit with id ${options.auditId}`, "AUDIT_NOT_FOUND", "auditId");
  const entries = await prisma.$queryRaw<
    Array<{ rank: number; object_id: number; catalogue: ObjectClass; suggested: ObjectClass; truth: ObjectClass }>
  >`
    SELECT e.rank, e.object_id, e.catalogue_class::text AS catalogue, e.suggested_class::text AS suggested,
           t.true_class::text AS truth
    FROM label_audit_entry e JOIN celestial_object o ON o.id = e.object_id JOIN label_truth t ON t.obsid = o.obsid
    WHERE e.audit_id = ${audit.id} ORDER BY e.rank`;
  if (entries.length === 0)
    throw badInput(`Audit ${audit.id}'s objects have no ingested truth rows to simulate a reviewer from`, "auditId");
  const planted = entries.filter((e) => e.truth !== e.catalogue).length;
  const top = options.top ?? Math.max(1, 2 * planted);
  // mulberry32, not the trainer's xorshift32: from seed 1 its first draws are 0.0001 and 0.016, which
  // made the first entries' verdicts wrong at any error rate above 2 %.
  const chance = mulberry32(options.seed ?? 1);
  const result: SimulatedReview = {
    auditId: audit.id,
    judged: 0,
    deliberatelyWrong: 0,
    corrections: 0,
    rightCorrections: 0,
  };
  for (const entry of entries.slice(0, top)) {
    const mistaken = chance() < errorRate;
    const labelWrong = entry.truth !== entry.catalogue;
    let input: VerdictInput;
    if (labelWrong !== mistaken) {
      // Called wrong: the truth when it is wrong, else (a mistake) the audit's suggestion or another class.
      const claim = labelWrong
        ? entry.truth
        : entry.suggested !== entry.catalogue
          ? entry.suggested
          : (CLASSES.find((c) => c !== entry.catalogue) as ObjectClass);
      input = { objectId: entry.object_id, verdict: "CATALOGUE_WRONG", correctedClass: claim, auditId: audit.id };
      result.corrections++;
      if (claim === entry.truth) result.rightCorrections++;
    } else {
      input = { objectId: entry.object_id, verdict: "CATALOGUE_RIGHT", auditId: audit.id };
    }
    await reviewLabel(prisma, reviewer, {
      ...input,
      comment: `simulated from the truth file${mistaken ? " (deliberately wrong)" : ""}`,
    });
    result.judged++;
    if (mistaken) result.deliberatelyWrong++;
  }
  return result;
}

/** Most verdicts one import file may hold (a reviewer's CSV, not a catalogue). */
export const MAX_IMPORT_ROWS = 100_000;

/** `right`, `wrong`, `unsure` (any case) or the enum's names. */
export function parseVerdict(text: string): Verdict {
  const word = text.trim().toUpperCase();
  const verdict = ({ RIGHT: "CATALOGUE_RIGHT", WRONG: "CATALOGUE_WRONG", UNSURE: "UNSURE" } as const)[
    word as "RIGHT" | "WRONG" | "UNSURE"
  ];
  if (verdict) return verdict;
  if ((VERDICTS as readonly string[]).includes(word)) return word as Verdict;
  throw badInput(`verdict must be right, wrong or unsure (got "${text.slice(0, 40)}")`, "verdict");
}

/**
 * Imports verdicts from a CSV (columns: object_id or obsid, verdict, class, comment; class only with
 * `wrong`). Every row is checked as `reviewLabel` checks one verdict; a bad row is rejected alone as
 * `file:line` naming its field, and every good row is stored.
 */
export async function importVerdicts(
  prisma: PrismaClient,
  reviewer: Reviewer,
  options: { path: string; bytes: Buffer; auditId?: number | null },
): Promise<{ stored: number; rejected: Rejection[] }> {
  if (!mayReview(reviewer.role)) {
    throw new MacnetError(`Only a SCIENTIST or ADMIN may review labels (you are ${reviewer.role})`, "FORBIDDEN");
  }
  const { rows, rejections } = readCsvRows(options.path, options.bytes, (row, line) => {
    if (row.object_id === undefined && row.obsid === undefined)
      throw new InputError("the header names neither object_id nor obsid", "object_id");
    const id = (row.object_id ?? row.obsid ?? "").trim();
    if (!/^\d{1,18}$/.test(id))
      throw new InputError(
        `${row.object_id !== undefined ? "object_id" : "obsid"} "${id.slice(0, 40)}" is not a number`,
        row.object_id !== undefined ? "object_id" : "obsid",
      );
    let verdict: Verdict;
    try {
      verdict = parseVerdict(row.verdict ?? "");
    } catch (error) {
      throw new InputError((error as Error).message, "verdict");
    }
    const cls = (row.class ?? "").trim().toUpperCase();
    return {
      line,
      by: row.object_id !== undefined ? ("object_id" as const) : ("obsid" as const),
      id,
      verdict,
      correctedClass: cls === "" ? null : (cls as ObjectClass),
      comment: row.comment ?? null,
    };
  });
  const rejected = [...rejections];
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badInput(
      `${options.path} holds ${rows.length} verdicts, more than the ${MAX_IMPORT_ROWS} one import may`,
      "csv",
    );
  }
  const obsids = rows.filter((r) => r.by === "obsid").map((r) => BigInt(r.id));
  const byObsid = new Map(
    (
      await prisma.celestialObject.findMany({ where: { obsid: { in: obsids } }, select: { id: true, obsid: true } })
    ).map((o) => [String(o.obsid), o.id]),
  );
  let stored = 0;
  for (const row of rows) {
    const objectId = row.by === "object_id" ? Number(row.id) : byObsid.get(row.id);
    try {
      if (objectId === undefined) throw new MacnetError(`No object with obsid ${row.id}`, "OBJECT_NOT_FOUND", "obsid");
      await reviewLabel(prisma, reviewer, {
        objectId,
        verdict: row.verdict,
        correctedClass: row.correctedClass,
        comment: row.comment,
        auditId: options.auditId ?? null,
      });
      stored++;
    } catch (error) {
      if (!(error instanceof MacnetError)) throw error;
      rejected.push({ file: `${options.path}:${row.line}`, field: error.field, reason: error.message });
    }
  }
  return { stored, rejected };
}
