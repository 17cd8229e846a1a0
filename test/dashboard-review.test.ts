import type { ObjectClass } from "@macnet/db";
import { describe, expect, it } from "vitest";
import {
  canvasStats,
  datasetId,
  models,
  prisma,
  shot,
  signedIn,
  url,
  useDashboardFixture,
} from "./helpers/dashboard-fixture.ts";
import { CLASS_ORDER } from "./helpers/seed-models.ts";

// The dashboard's label work in chromium: a model's disagreements, a stored label audit, and the
// keyboard review of its suspects with verdicts on the object page and the triage items.
useDashboardFixture();

describe("dashboard in chromium: disagreements, audits, review", () => {
  it("ranks a model's disagreements with the catalogue, with spectra and cutouts inline", async () => {
    const page = await signedIn("COLLABORATOR");
    // Without a choice, the best evaluated model (the second seeded one) and each object's split.
    await page.goto(url("/triage"));
    await page.waitForSelector("[data-testid=default-model]:has-text('best evaluated')");
    await expect(page.locator("select[name=model]").inputValue()).resolves.toBe(String(models[1]));
    const bestRows = await prisma.prediction.findMany({ where: { modelId: models[1] }, include: { object: true } });
    const bestWrong = bestRows.filter((p) => p.object.catalogClass && p.object.catalogClass !== p.predictedClass);
    await page.waitForSelector(`[data-testid=disagreement-count]:has-text("${bestWrong.length} objects")`);
    const splits = await page.locator("[data-testid=triage-split]").allTextContents();
    expect(splits.length).toBe(Math.min(10, bestWrong.length));
    for (const text of splits) expect(text).toMatch(/^(training|validation|test) split$/);
    await page.goto(url(`/triage?model=${models[0]}`));
    const rows = await prisma.prediction.findMany({ where: { modelId: models[0] }, include: { object: true } });
    const wrong = rows.filter((p) => p.object.catalogClass && p.object.catalogClass !== p.predictedClass);
    await page.waitForSelector(`[data-testid=disagreement-count]:has-text("${wrong.length} objects")`);
    await expect(page.locator(".triage-item").count()).resolves.toBe(Math.min(10, wrong.length));
    const firstStrip = await canvasStats(page, ".triage-item canvas.strip");
    expect(firstStrip.distinct).toBeGreaterThan(10);
    await shot(page, "triage");
    expect(await page.locator("[data-testid=quick-verdict]").count()).toBe(0); // collaborators only read
    await page.close();
  });

  it("shows a stored label audit: the ranking, the contradicted ones, the truth figures, pages", async () => {
    const objects = await prisma.celestialObject.findMany({ orderBy: { id: "asc" } });
    // Ranked by a made-up p(catalogue) that rises with the index; every third object contradicted.
    const entries = objects.map((o, i) => {
      const catalogue = o.catalogClass ?? "STAR";
      const contradicted = i % 3 === 0;
      const suggested = contradicted
        ? (CLASS_ORDER[(CLASS_ORDER.indexOf(catalogue) + 1) % 3] as ObjectClass)
        : catalogue;
      const pCatalogue = contradicted ? 0.01 * (i + 1) : 0.5 + 0.01 * i;
      const p = { GALAXY: 0, QSO: 0, STAR: 0 };
      p[catalogue] = pCatalogue;
      p[suggested] += 1 - pCatalogue;
      return { objectId: o.id, catalogueClass: catalogue, suggestedClass: suggested, pCatalogue, p };
    });
    entries.sort((a, b) => a.pCatalogue - b.pCatalogue);
    const contradicted = entries.filter((e) => e.suggestedClass !== e.catalogueClass).length;
    const truth = { withTruth: objects.length, planted: 2, k: 10, found: 2, recall: 1, precision: 0.2 };
    const audit = await prisma.labelAudit.create({
      data: {
        datasetId,
        modelIds: [models[0] as number, models[1] as number],
        folds: 5,
        objects: objects.length,
        contradicted,
        summary: { inSample: 0, truth: { ...truth, atTwicePlanted: { k: 4, found: 2, recall: 1, precision: 0.5 } } },
        entries: {
          create: entries.map((e, i) => ({
            rank: i + 1,
            objectId: e.objectId,
            catalogueClass: e.catalogueClass,
            suggestedClass: e.suggestedClass,
            pCatalogue: e.pCatalogue,
            probGalaxy: e.p.GALAXY,
            probQso: e.p.QSO,
            probStar: e.p.STAR,
            votes: e.suggestedClass === e.catalogueClass ? 0 : 2,
            inSample: false,
          })),
        },
      },
    });
    const page = await signedIn("SCIENTIST");
    await page.goto(url("/triage"));
    await page.click("[data-testid=audit-tab]");
    await page.waitForSelector(`[data-testid=audit-summary]:has-text("${objects.length} labelled objects")`);
    await expect(page.locator("select[name=audit]").inputValue()).resolves.toBe(String(audit.id));
    await expect(page.locator("[data-testid=audit-summary]").textContent()).resolves.toContain(
      `${contradicted} contradicted, each scored by models that never trained on it (5 folds)`,
    );
    await expect(page.locator("[data-testid=audit-truth]").textContent()).resolves.toMatch(
      /2 wrong catalogue labels among \d+ objects; the first 4 \(2 × planted\) hold 2 \(recall 100\.0 %, precision 50\.0 %\)/,
    );
    const heads = async () => page.locator("[data-testid=audit-entry] .triage-head").allTextContents();
    await page.waitForSelector("[data-testid=audit-entry]");
    const first = await heads();
    expect(first).toHaveLength(10);
    expect(first.map((h) => Number(/^#(\d+)/.exec(h)?.[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first[0]).toContain(`p(catalogue) ${entries[0]?.pCatalogue.toFixed(3)} · 2/2 models disagree`);
    await shot(page, "triage-audit");
    await page.click("text=Next →");
    await page.waitForSelector("[data-testid=audit-entry] .triage-head:has-text('#11')");
    await page.click("text=← Previous");
    await page.check("text=only contradicted");
    await page.waitForFunction(
      (n) => document.querySelectorAll("[data-testid=audit-entry]").length === n,
      Math.min(10, contradicted),
    );
    for (const head of await heads()) expect(head).toContain("2/2 models disagree");
    await page.close();
  });

  it("reviews an audit's suspects from the keyboard: 1/2/3 and u record verdicts, n/p move, judged ones skipped", async () => {
    const audit = await prisma.labelAudit.findFirstOrThrow({ where: { datasetId }, orderBy: { id: "desc" } });
    const entries = await prisma.labelAuditEntry.findMany({ where: { auditId: audit.id }, orderBy: { rank: "asc" } });
    const keyOf = (cls: string) => String(CLASS_ORDER.indexOf(cls as ObjectClass) + 1);
    const otherThan = (cls: string) => CLASS_ORDER.find((c) => c !== cls) as string;
    const page = await signedIn("SCIENTIST");
    await page.goto(url(`/review?audit=${audit.id}`));
    const card = async (rank: number) => page.waitForSelector(`[data-testid=review-card][data-rank="${rank}"]`);
    await card(1);
    await shot(page, "review");
    const [e1, e2, e3, e4] = entries as [
      (typeof entries)[number],
      (typeof entries)[number],
      (typeof entries)[number],
      (typeof entries)[number],
    ];
    // #1: the object is another class than the catalogue's (catalogue wrong → that class).
    await page.keyboard.press(keyOf(otherThan(e1.catalogueClass)));
    await card(2);
    // #2: skipped with n, then back with p, then judged right with a comment typed after c.
    await page.keyboard.press("n");
    await card(3);
    await page.keyboard.press("p");
    await card(2);
    await page.keyboard.press("c");
    await page.keyboard.type("clean absorption lines 1 2 3 u");
    await page.keyboard.press("Escape");
    await page.keyboard.press(keyOf(e2.catalogueClass));
    await card(3);
    await page.keyboard.press("u");
    await card(4);
    await page.waitForSelector("[data-testid=review-message]:has-text('#3: unsure recorded')");
    const mine = await prisma.labelVerdict.findMany({ where: { reviewerName: "scientist" }, orderBy: { id: "asc" } });
    expect(mine.map((v) => [v.objectId, v.verdict, v.correctedClass, v.comment, v.auditId])).toEqual([
      [e1.objectId, "CATALOGUE_WRONG", otherThan(e1.catalogueClass), null, audit.id],
      [e2.objectId, "CATALOGUE_RIGHT", null, "clean absorption lines 1 2 3 u", audit.id],
      [e3.objectId, "UNSURE", null, null, audit.id],
    ]);
    // Back on #3, the verdict just given shows; a reload starts at the first object not judged.
    await page.keyboard.press("ArrowLeft");
    await page.waitForSelector("[data-testid=review-verdicts]:has-text('scientist (SCIENTIST): unsure')");
    await page.reload();
    await card(e4.rank);
    await page.close();
    // On an object page: an admin's verdict, listed with the scientist's, none overwritten.
    const admin = await signedIn("ADMIN");
    await admin.goto(url(`/objects/${e3.objectId}`));
    await admin.waitForSelector(
      "[data-testid=label-verdicts] [data-testid=review-verdicts]:has-text('scientist (SCIENTIST): unsure')",
    );
    await admin.click(`[data-testid=label-verdicts] button:has-text("${otherThan(e3.catalogueClass)}")`);
    await admin.waitForSelector(
      `[data-testid=label-verdicts] [data-testid=review-verdicts]:has-text('admin (ADMIN): catalogue wrong → ${otherThan(e3.catalogueClass)}')`,
    );
    expect(await prisma.labelVerdict.count({ where: { objectId: e3.objectId } })).toBe(2);
    // On a disagreement (triage item): one click.
    await admin.goto(url(`/triage?model=${models[0]}`));
    const item = admin.locator(".triage-item").first();
    const href = (await item.locator(".triage-head a").first().getAttribute("href")) as string;
    await item.locator("[data-testid=quick-verdict] button:has-text('unsure')").click();
    await item.locator("[data-testid=quick-verdict]:has-text('unsure recorded')").waitFor();
    const triaged = Number(href.split("/").at(-1));
    expect(
      await prisma.labelVerdict.findFirst({
        where: { objectId: triaged, reviewerName: "admin" },
        orderBy: { id: "desc" },
      }),
    ).toMatchObject({ verdict: "UNSURE", auditId: null });
    await admin.close();
    // A collaborator reads the queue and the verdicts but has nothing to press.
    const guest = await signedIn("COLLABORATOR");
    await guest.goto(url(`/review?audit=${audit.id}`));
    await guest.waitForSelector("[data-testid=review-read-only]");
    await guest.waitForSelector(
      "[data-testid=review-card][data-rank='1'] [data-testid=review-verdicts]:has-text('catalogue wrong')",
    );
    expect(await guest.locator(".review-actions").count()).toBe(0);
    await guest.close();
  });
});
