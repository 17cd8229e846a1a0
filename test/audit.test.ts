// Label audit and architecture comparison end to end (issue #19): a small simulated survey with 5 %
// of its catalogue classes made wrong on purpose, its truth file ingested apart from the objects,
// `macnet audit` cross-fitted over folds finding the wrong labels, and `macnet compare` reporting
// mean ± std over seeds with loss curves, resuming from its results file. Then the review loop (issue
// #33): verdicts by role, kept side by side, a reviewer simulated from the truth file, the corrected
// dataset version (same splits, provenance) and the two versions compared against the truth.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrismaClient, createUser, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import {
  type AuditResult,
  COMPACT_CONFIG,
  createDataset,
  type Reviewer,
  rankEntries,
  recallAt,
  reviewLabel,
  stratifiedFolds,
  trainModel,
} from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import { selectBackend } from "@macnet/tfjs-native";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { createMigratedTestDatabase, queryRows, type TestDatabase } from "./helpers/database.ts";

let database: TestDatabase;
let prisma: PrismaClient;
let survey: string;
let env: Record<string, string>;
let modelId: number;
/** obsid → true class, for the objects whose catalogue class the simulator made wrong. */
let planted: Map<string, string>;
const OBJECTS = 400;

beforeAll(async () => {
  await selectBackend();
  survey = mkdtempSync(join(tmpdir(), "macnet-audit-sim-"));
  await simulateSurvey({ outDir: survey, objects: OBJECTS, seed: 21, plans: 1, labelNoise: 0.05, missingCutouts: 0 });
  const truthLines = readFileSync(join(survey, "truth.csv"), "utf8").trim().split("\n");
  const header = (truthLines[0] as string).split(",");
  const column = (name: string) => header.indexOf(name);
  planted = new Map(
    truthLines
      .slice(1)
      .map((line) => line.split(","))
      .filter((row) => row[column("label_flipped")] === "1")
      .map((row) => [row[column("obsid")] as string, row[column("true_class")] as string]),
  );
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  env = { DATABASE_URL: database.url, MACNET_HOME: mkdtempSync(join(tmpdir(), "macnet-audit-home-")) };
}, 300_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.dispose();
});

describe("truth files", () => {
  it("are stored apart from the objects (label_truth), bad rows rejected by line and field, good rows kept", async () => {
    const extra = mkdtempSync(join(tmpdir(), "macnet-truth-"));
    writeFileSync(
      join(extra, "truth-extra.csv"),
      [
        "obsid,true_class,catalogue_class,label_flipped",
        "990000001,STAR,QSO,1",
        "990000002,PULSAR,STAR,0",
        "abc,STAR,STAR,0",
        "990000003,GALAXY,GALAXY,maybe",
        "990000004,QSO,QSO,0",
      ].join("\n"),
    );
    const report = await ingestPaths({ databaseUrl: database.url, paths: [survey, extra], source: "audit-sim" });
    expect(report.stored.truthLabels).toBe(OBJECTS + 2);
    expect(report.objects.created).toBe(OBJECTS);
    expect(report.rejected).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: `${join(extra, "truth-extra.csv")}:3`, field: "true_class" }),
        expect.objectContaining({ file: `${join(extra, "truth-extra.csv")}:4`, field: "obsid" }),
        expect.objectContaining({ file: `${join(extra, "truth-extra.csv")}:5`, field: "label_flipped" }),
      ]),
    );
    const rows = await queryRows<{ flipped: string; total: string }>(
      database.url,
      "SELECT count(*) FILTER (WHERE label_flipped) AS flipped, count(*) AS total FROM label_truth",
    );
    expect(rows[0]).toEqual({ flipped: String(planted.size + 1), total: String(OBJECTS + 2) });
    // The truth never reaches the objects: their class is the catalogue's, wrong ones included.
    const wrong = await queryRows<{ n: string }>(
      database.url,
      `SELECT count(*) AS n FROM celestial_object o JOIN label_truth t ON t.obsid = o.obsid
        WHERE o.catalog_class::text <> t.true_class::text`,
    );
    expect(Number(wrong[0]?.n)).toBe(planted.size);
    expect(planted.size).toBeGreaterThanOrEqual(12);
  });
});

describe("label audit", () => {
  beforeAll(async () => {
    const dataset = await createDataset(prisma, { name: "audit", seed: 3, ratios: [6, 2, 2] });
    // The recipe the audit retrains per fold (its epochs are set by `macnet audit --epochs`).
    const trained = await trainModel({
      prisma,
      datasetId: dataset.id,
      arch: "SSCNN_1D",
      config: COMPACT_CONFIG,
      epochs: 1,
      batchSize: 8,
      learningRate: 0.01,
      patience: 25,
      home: env.MACNET_HOME as string,
    });
    modelId = trained.modelId as number;
  }, 600_000);

  it("ranks, scores and folds as documented", () => {
    const folds = stratifiedFolds([0, 1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 1, 1, 1, 2, 2, 2], 3, 1);
    for (let cls = 0; cls < 3; cls++) expect(new Set(folds.slice(cls * 3, cls * 3 + 3))).toEqual(new Set([0, 1, 2]));
    const ranked = rankEntries(
      [
        new Map([
          [10, { probabilities: [0.9, 0.05, 0.05], label: 0, inSample: false }],
          [11, { probabilities: [0.1, 0.8, 0.1], label: 0, inSample: false }],
        ]),
        new Map([
          [10, { probabilities: [0.7, 0.2, 0.1], label: 0, inSample: true }],
          [11, { probabilities: [0.5, 0.4, 0.1], label: 0, inSample: false }],
        ]),
      ],
      (label) => (["GALAXY", "QSO", "STAR"] as const)[label] as "GALAXY",
    );
    expect(ranked.map((e) => e.objectId)).toEqual([11, 10]);
    expect(ranked[0]).toMatchObject({ catalogueClass: "GALAXY", suggestedClass: "QSO", votes: 1, inSample: false });
    expect(ranked[0]?.pCatalogue).toBeCloseTo(0.3, 10);
    expect(ranked[1]).toMatchObject({ votes: 0, inSample: true });
    const entries = ranked.map((e, i) => ({ ...e, rank: i + 1, trueClass: i === 0 ? ("QSO" as const) : undefined }));
    expect(recallAt(entries, 1, 2)).toEqual({ k: 1, found: 1, recall: 0.5, precision: 1 });
  });

  it("finds the planted wrong labels with models that never trained on the objects they score (`macnet audit`)", async () => {
    const result = await runCli(
      ["audit", "--model", String(modelId), "--folds", "3", "--epochs", "25", "--top", "20", "--json"],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const audit = result.json as AuditResult;
    expect(audit).toMatchObject({ folds: 3, objects: OBJECTS, inSample: 0, top: 20 });
    expect(audit.models).toEqual([expect.objectContaining({ id: modelId, architecture: "SSCNN_1D" })]);
    expect(audit.entries).toHaveLength(20);
    const p = audit.entries.map((e) => e.pCatalogue);
    expect(p).toEqual([...p].sort((a, b) => a - b));
    expect(audit.truth).toMatchObject({ withTruth: OBJECTS, planted: planted.size, k: 20 });
    const twice = audit.truth?.atTwicePlanted;
    expect(twice?.k).toBe(2 * planted.size);
    // The yardstick of issue #19 is 80 % on the paper-size survey (README). This small one, 25 short
    // epochs per fold on 240 objects, must still do far better than chance (2 × 5 % = 10 %).
    expect(twice?.recall).toBeGreaterThanOrEqual(0.5);
    // The ranking is stored whole, for the dashboard.
    const stored = await prisma.labelAudit.findUniqueOrThrow({
      where: { id: audit.auditId },
      include: { _count: { select: { entries: true } } },
    });
    expect(stored).toMatchObject({ folds: 3, objects: OBJECTS, modelIds: [modelId], contradicted: audit.contradicted });
    expect(stored._count.entries).toBe(OBJECTS);
    const first = await prisma.labelAuditEntry.findFirstOrThrow({ where: { auditId: audit.auditId, rank: 1 } });
    expect(first.objectId).toBe(audit.entries[0]?.objectId);

    const text = await runCli(["audit", "--model", String(modelId), "--folds", "0", "--top", "5"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/the models as trained \(\d+ of the objects are in a model's training split/);
    expect(text.stdout).toMatch(
      new RegExp(`Truth file: ${planted.size} wrong catalogue labels among ${OBJECTS} objects`),
    );
    const asTrained = await prisma.labelAudit.findFirstOrThrow({ where: { folds: 0 } });
    const seen = await prisma.labelAuditEntry.count({ where: { auditId: asTrained.id, inSample: true } });
    const trainSplit = await prisma.datasetMember.count({
      where: { dataset: { name: "audit" }, split: "TRAIN" },
    });
    expect(seen).toBe(trainSplit);
  }, 900_000);

  it("refuses bad requests with a clear message", async () => {
    const one = await runCli(["audit", "--model", String(modelId), "--folds", "1"], env);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/--folds must be 0 \(the models as trained\) or at least 2/);
    const missing = await runCli(["audit", "--model", "999999", "--folds", "0"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/macnet: error: No model with id 999999/);
    const badDataset = await runCli(["audit", "--model", String(modelId), "--dataset", "nope"], env);
    expect(badDataset.code).toBe(1);
    expect(badDataset.stderr).toMatch(/No dataset 'nope'/);
  });
});

describe("architecture comparison", () => {
  it("reports mean ± std over seeds with loss curves, and resumes from runs.json (`macnet compare`)", async () => {
    const out = mkdtempSync(join(tmpdir(), "macnet-compare-"));
    const args = [
      ...["compare", "--dataset", "audit", "--archs", "sscnn-1d", "--seeds", "1,2", "--compact"],
      ...["--epochs", "2", "--batch", "16", "--lr", "0.01", "--out", out, "--json"],
    ];
    const first = await runCli(args, env);
    expect(first.code, first.stderr).toBe(0);
    const summary = first.json as {
      runs: Array<{ arch: string; seed: number; modelId: number; accuracy: number }>;
      summary: Array<{ arch: string; seeds: number[]; accuracy: { mean: number; std: number; n: number } }>;
    };
    expect(summary.runs.map((r) => [r.arch, r.seed])).toEqual([
      ["SSCNN_1D", 1],
      ["SSCNN_1D", 2],
    ]);
    const accuracies = summary.runs.map((r) => r.accuracy);
    const mean = (accuracies[0] as number) / 2 + (accuracies[1] as number) / 2;
    expect(summary.summary[0]?.accuracy.mean).toBeCloseTo(mean, 10);
    expect(summary.summary[0]?.accuracy.std).toBeCloseTo(
      Math.abs((accuracies[0] as number) - (accuracies[1] as number)) / Math.SQRT2,
      10,
    );
    const table = readFileSync(join(out, "table.md"), "utf8");
    expect(table).toMatch(/\| SSCNN_1D \| \d\.\d{3} ± \d\.\d{3} \|/);
    const svg = readFileSync(join(out, "loss-curves.svg"), "utf8");
    expect(svg.match(/<polyline /g)).toHaveLength(4); // training and validation loss, two seeds
    expect(svg).toContain("seed 2");

    const models = await prisma.trainedModel.count();
    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(await prisma.trainedModel.count()).toBe(models); // nothing retrained
    expect((again.json as typeof summary).runs.map((r) => r.modelId)).toEqual(summary.runs.map((r) => r.modelId));

    // A report of part of it trains nothing and keeps the other runs in the results file.
    const third = await runCli(
      [
        ...args.slice(0, args.indexOf("--seeds")),
        "--seeds",
        "2,3",
        ...args.slice(args.indexOf("--seeds") + 2),
        "--no-train",
      ],
      env,
    );
    expect(third.code, third.stderr).toBe(0);
    expect(await prisma.trainedModel.count()).toBe(models);
    expect(third.json).toMatchObject({ complete: false, runs: [{ arch: "SSCNN_1D", seed: 2 }] });
    const file = JSON.parse(readFileSync(join(out, "runs.json"), "utf8")) as typeof summary;
    expect(file.runs.map((r) => r.seed).sort()).toEqual([1, 2]);
    expect(readFileSync(join(out, "table.md"), "utf8")).toMatch(/\| SSCNN_1D \| \d\.\d{3} \| .* \| 2 \|/);
  }, 600_000);
});

describe("label review loop", () => {
  const reviewers: Record<string, Reviewer> = {};
  let auditId: number;
  let entries: Array<{ rank: number; objectId: number; catalogueClass: string }>;

  beforeAll(async () => {
    for (const [name, role] of [
      ["sci-one", "SCIENTIST"],
      ["sci-two", "SCIENTIST"],
      ["boss", "ADMIN"],
      ["guest", "COLLABORATOR"],
    ] as const) {
      const user = await createUser({ prisma, input: { name, role } });
      reviewers[name] = { id: user.id, name, role };
    }
    const audit = await prisma.labelAudit.findFirstOrThrow({ where: { folds: 3 }, orderBy: { id: "desc" } });
    auditId = audit.id;
    entries = await prisma.labelAuditEntry.findMany({ where: { auditId }, orderBy: { rank: "asc" } });
  });

  const other = (cls: string) => (cls === "STAR" ? "QSO" : "STAR");

  it("records verdicts by SCIENTISTs and ADMINs only, keeps every one, and refuses bad ones by field", async () => {
    const [a, b] = entries as [(typeof entries)[number], (typeof entries)[number]];
    const guest = await runCli(
      ["review", "set", "--object", String(a.objectId), "--verdict", "right", "--as", "guest"],
      env,
    );
    expect(guest.code).toBe(1);
    expect(guest.stderr).toMatch(/Only a SCIENTIST or ADMIN may review labels \(you are COLLABORATOR\)/);
    const first = await runCli(
      [
        ...["review", "set", "--object", String(a.objectId), "--verdict", "wrong", "--class", other(a.catalogueClass)],
        ...["--comment", "broad lines", "--audit", String(auditId), "--as", "sci-one", "--json"],
      ],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({
      objectId: a.objectId,
      verdict: "CATALOGUE_WRONG",
      correctedClass: other(a.catalogueClass),
      catalogueClass: a.catalogueClass,
      reviewerName: "sci-one",
      reviewerRole: "SCIENTIST",
      comment: "broad lines",
      auditId,
    });
    // The same reviewer changing their mind, and two reviewers at the same moment: all rows kept.
    await reviewLabel(prisma, reviewers["sci-one"] as Reviewer, { objectId: a.objectId, verdict: "UNSURE" });
    await Promise.all([
      reviewLabel(prisma, reviewers["sci-two"] as Reviewer, {
        objectId: b.objectId,
        verdict: "CATALOGUE_WRONG",
        correctedClass: other(b.catalogueClass) as "STAR",
      }),
      reviewLabel(prisma, reviewers.boss as Reviewer, { objectId: b.objectId, verdict: "CATALOGUE_RIGHT" }),
    ]);
    const listed = await runCli(["review", "list", "--object", String(a.objectId), "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect((listed.json as { verdicts: Array<{ verdict: string }> }).verdicts.map((v) => v.verdict)).toEqual([
      "UNSURE",
      "CATALOGUE_WRONG",
    ]);
    expect(await prisma.labelVerdict.count({ where: { objectId: b.objectId } })).toBe(2);

    const bad = async (args: string[]) => {
      const result = await runCli(["review", "set", "--as", "sci-one", ...args], env);
      return { code: result.code, stderr: result.stderr };
    };
    expect(await bad(["--object", String(a.objectId), "--verdict", "wrong", "--class", "PULSAR"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--class must be GALAXY, QSO, STAR \(got "PULSAR"\)/),
    });
    expect(await bad(["--object", String(a.objectId), "--verdict", "wrong"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/CATALOGUE_WRONG verdict names the class/),
    });
    expect(
      await bad(["--object", String(a.objectId), "--verdict", "right", "--comment", "x".repeat(2001)]),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/comment must be at most 2000 characters/),
    });
    expect(await bad(["--object", "99999999", "--verdict", "right"])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/No object with id 99999999/),
    });
    const outsider = await prisma.celestialObject.create({ data: { source: "elsewhere", catalogClass: "STAR" } });
    expect(
      await bad(["--object", String(outsider.id), "--verdict", "right", "--audit", String(auditId)]),
    ).toMatchObject({ code: 1, stderr: expect.stringMatching(new RegExp(`not among audit ${auditId}'s objects`)) });
    expect(await bad(["--object", String(a.objectId), "--verdict", "maybe"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/verdict must be right, wrong or unsure/),
    });
  });

  it("imports a CSV, rejecting bad rows by line and field, and queues what a reviewer has not judged", async () => {
    const [, , c, d] = entries as Array<(typeof entries)[number]>;
    const dir = mkdtempSync(join(tmpdir(), "macnet-review-"));
    const csv = join(dir, "verdicts.csv");
    writeFileSync(
      csv,
      [
        "object_id,verdict,class,comment",
        `${c?.objectId},wrong,${other(c?.catalogueClass as string)},"from the strips, clearly"`,
        `${d?.objectId},right,,`,
        `${d?.objectId},wrong,PULSAR,`,
        "abc,right,,",
        "99999999,right,,",
      ].join("\n"),
    );
    const imported = await runCli(["review", "import", "--csv", csv, "--as", "sci-two", "--json"], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json).toMatchObject({
      stored: 2,
      rejected: [
        expect.objectContaining({ file: `${csv}:5`, field: "object_id" }),
        expect.objectContaining({ file: `${csv}:4`, field: "correctedClass" }),
        expect.objectContaining({ file: `${csv}:6`, field: "objectId" }),
      ],
    });
    const stored = await prisma.labelVerdict.findFirstOrThrow({
      where: { objectId: c?.objectId, reviewerName: "sci-two" },
    });
    expect(stored.comment).toBe("from the strips, clearly");
    const queue = await runCli(
      ["review", "queue", "--audit", String(auditId), "--as", "sci-two", "--limit", "3", "--json"],
      env,
    );
    expect(queue.code, queue.stderr).toBe(0);
    const judged = new Set(
      (await prisma.labelVerdict.findMany({ where: { reviewerName: "sci-two" } })).map((v) => v.objectId),
    );
    const expected = entries.filter((e) => !judged.has(e.objectId)).slice(0, 3);
    expect((queue.json as { entries: Array<{ rank: number }> }).entries.map((e) => e.rank)).toEqual(
      expected.map((e) => e.rank),
    );
  });

  it("makes a corrected dataset version from a simulated reviewer's verdicts, splits and provenance kept", async () => {
    const simulated = await runCli(
      [
        "review",
        "simulate",
        "--audit",
        String(auditId),
        "--as",
        "boss",
        "--error-rate",
        "0.1",
        "--seed",
        "4",
        "--json",
      ],
      env,
    );
    expect(simulated.code, simulated.stderr).toBe(0);
    const review = simulated.json as { judged: number; deliberatelyWrong: number; corrections: number };
    expect(review.judged).toBe(2 * planted.size);
    expect(review.deliberatelyWrong).toBeGreaterThan(0);
    const parent = await prisma.dataset.findFirstOrThrow({ where: { name: "audit" }, orderBy: { version: "desc" } });
    const made = await runCli(["dataset", "create", "--from", String(parent.id), "--apply-reviews", "--json"], env);
    expect(made.code, made.stderr).toBe(0);
    const version = made.json as {
      id: number;
      version: number;
      parentId: number;
      corrections: number;
      members: number;
    };
    expect(version).toMatchObject({ version: parent.version + 1, parentId: parent.id, members: OBJECTS });
    expect(version.corrections).toBeGreaterThan(0);
    const splitOf = async (datasetId: number) =>
      (await prisma.datasetMember.findMany({ where: { datasetId }, orderBy: { objectId: "asc" } })).map((m) => [
        m.objectId,
        m.split,
      ]);
    expect(await splitOf(version.id)).toEqual(await splitOf(parent.id));
    // Against the truth, the corrected labels are better than the catalogue's.
    const agreeing = async (datasetId: number) =>
      Number(
        (
          await queryRows<{ n: string }>(
            database.url,
            `SELECT count(*) AS n FROM dataset_member m JOIN celestial_object o ON o.id = m.object_id
              JOIN label_truth t ON t.obsid = o.obsid
             WHERE m.dataset_id = ${datasetId} AND coalesce(m.label, o.catalog_class)::text = t.true_class::text`,
          )
        )[0]?.n,
      );
    const before = await agreeing(parent.id);
    const after = await agreeing(version.id);
    expect(after).toBeGreaterThan(before);
    console.log(`review loop: labels agreeing with the truth ${before} → ${after} of ${OBJECTS}`);
    // Every corrected member names the verdicts that decided it; the catalogue itself is untouched.
    const corrected = await prisma.datasetMember.findMany({ where: { datasetId: version.id, label: { not: null } } });
    expect(corrected.length).toBe(version.corrections);
    for (const member of corrected) {
      expect(member.verdictIds.length).toBeGreaterThan(0);
      const verdicts = await prisma.labelVerdict.findMany({ where: { id: { in: member.verdictIds } } });
      expect(verdicts.every((v) => v.objectId === member.objectId && v.correctedClass === member.label)).toBe(true);
    }
    const [a, b] = entries as [(typeof entries)[number], (typeof entries)[number]];
    const objectA = await prisma.celestialObject.findUniqueOrThrow({ where: { id: a.objectId } });
    expect(objectA.catalogClass).toBe(a.catalogueClass);
    // Object b: the ADMIN's CATALOGUE_RIGHT (before the simulation) was overruled by the simulated ADMIN, the later one.
    const memberB = await prisma.datasetMember.findUniqueOrThrow({
      where: { datasetId_objectId: { datasetId: version.id, objectId: b.objectId } },
    });
    const latestAdmin = await prisma.labelVerdict.findFirstOrThrow({
      where: { objectId: b.objectId, reviewerRole: "ADMIN" },
      orderBy: { id: "desc" },
    });
    expect(memberB.label).toBe(latestAdmin.verdict === "CATALOGUE_WRONG" ? latestAdmin.correctedClass : null);
  });

  it("compares the two versions against the truth file on the same test objects (`macnet compare --versus`)", async () => {
    const out = mkdtempSync(join(tmpdir(), "macnet-versus-"));
    const versions = await prisma.dataset.findMany({ where: { name: "audit" }, orderBy: { version: "asc" } });
    const [v1, v2] = [versions.at(-2), versions.at(-1)] as [(typeof versions)[number], (typeof versions)[number]];
    const result = await runCli(
      [
        ...["compare", "--dataset", "audit", "--dataset-version", String(v1.version), "--versus", String(v2.version)],
        ...[
          "--archs",
          "sscnn-1d",
          "--seeds",
          "1",
          "--compact",
          "--epochs",
          "2",
          "--batch",
          "16",
          "--out",
          out,
          "--json",
        ],
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = result.json as {
      complete: boolean;
      versions: Array<{
        dataset: { version: number; corrections: number };
        runs: Array<{ accuracy: number; accuracyTruth: number; accuracyCatalogue: number; truthObjects: number }>;
      }>;
    };
    expect(summary.complete).toBe(true);
    expect(summary.versions.map((v) => v.dataset.version)).toEqual([v1.version, v2.version]);
    const tests = await prisma.datasetMember.count({ where: { datasetId: v1.id, split: "TEST" } });
    for (const version of summary.versions) {
      const run = version.runs[0] as (typeof version.runs)[number];
      expect(run.truthObjects).toBe(tests);
      for (const value of [run.accuracy, run.accuracyTruth, run.accuracyCatalogue]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    expect(readFileSync(join(out, "versions.md"), "utf8")).toMatch(
      new RegExp(`\\| v${v2.version} \\| ${v2.corrections} \\| SSCNN_1D \\| 1 \\| \\d\\.\\d{3} \\|`),
    );
  }, 600_000);
});
