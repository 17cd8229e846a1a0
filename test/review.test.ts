// The review loop end to end (issue #33): verdicts by role, kept side by side, a CSV import, the
// queue, a reviewer simulated from the truth file, the corrected dataset version (same splits,
// provenance) and the two versions compared against the truth. It works on a stored audit whose
// ranking is made from the truth file (the planted wrong labels spread over the top ranks, between
// right ones): what is tested here is the review machinery, not how well an audit ranks, which
// test/audit.test.ts measures with `macnet audit` itself.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createUser, type ObjectClass } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import { createDataset, type Reviewer, reviewLabel } from "@macnet/model";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { queryRows } from "./helpers/database.ts";
import { database, env, OBJECTS, planted, prisma, survey, useLabelledSurvey } from "./helpers/labelled-survey.ts";
import { CLASS_ORDER } from "./helpers/seed-models.ts";

useLabelledSurvey();

/**
 * Stores a cross-fitted-looking audit of dataset `datasetId` ranked from the truth file: the objects
 * whose catalogue class was made wrong take every other rank from the top (suggesting their true
 * class) until they run out, the others follow in id order (suggesting their catalogue class).
 */
async function storeAuditFromTruth(datasetId: number): Promise<number> {
  const objects = await prisma.celestialObject.findMany({ orderBy: { id: "asc" } });
  const wrong = objects.filter((o) => planted.has(String(o.obsid)));
  const right = objects.filter((o) => !planted.has(String(o.obsid)));
  const ranked: Array<{ object: (typeof objects)[number]; suggested: ObjectClass }> = [];
  while (wrong.length > 0 || right.length > 0) {
    const w = wrong.shift();
    if (w) ranked.push({ object: w, suggested: planted.get(String(w.obsid)) as ObjectClass });
    const r = right.shift();
    if (r) ranked.push({ object: r, suggested: r.catalogClass as ObjectClass });
  }
  const audit = await prisma.labelAudit.create({
    data: {
      datasetId,
      modelIds: [],
      folds: 3,
      objects: ranked.length,
      contradicted: planted.size,
      entries: {
        create: ranked.map(({ object, suggested }, i) => {
          const catalogue = object.catalogClass as ObjectClass;
          const pCatalogue = (i + 1) / (ranked.length + 1);
          const p = CLASS_ORDER.map((c) => (c === catalogue ? pCatalogue : 0) + (c === suggested ? 1 - pCatalogue : 0));
          return {
            rank: i + 1,
            objectId: object.id,
            catalogueClass: catalogue,
            suggestedClass: suggested,
            pCatalogue,
            probGalaxy: p[0] as number,
            probQso: p[1] as number,
            probStar: p[2] as number,
            votes: suggested === catalogue ? 0 : 1,
            inSample: false,
          };
        }),
      },
    },
  });
  return audit.id;
}

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
    await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "audit-sim" });
    const dataset = await createDataset(prisma, { name: "audit", seed: 3, ratios: [6, 2, 2] });
    auditId = await storeAuditFromTruth(dataset.id);
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
