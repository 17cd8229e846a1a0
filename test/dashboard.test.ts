import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  browser,
  camObjectId,
  canvasStats,
  datasetId,
  inkBox,
  models,
  prisma,
  ROLES,
  shot,
  signedIn,
  url,
  useDashboardFixture,
} from "./helpers/dashboard-fixture.ts";

// The dashboard's pages in chromium: sign-in and roles, the overview, the objects browser and cone
// search, an object's page, the model comparison (fixture: test/helpers/dashboard-fixture.ts).
useDashboardFixture();

describe("dashboard in chromium", () => {
  it("signs in each role (and refuses a wrong password), with admin-only actions shown to admins only", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 850 } });
    const page = await context.newPage();
    await page.goto(url("/objects"));
    await page.waitForURL(/\/login\?next=%2Fobjects/);
    await shot(page, "login");
    await page.fill("input[name=name]", "admin");
    await page.fill("input[name=password]", "not-the-password");
    await page.click("button[type=submit]");
    await expect(page.locator("form [role=alert]").textContent()).resolves.toMatch(/name or password|invalid|wrong/i);
    await context.close();

    for (const role of ROLES) {
      const signed = await signedIn(role);
      await signed.goto(url("/jobs"));
      await expect(signed.locator("[data-testid=viewer]").textContent()).resolves.toContain(role.toLowerCase());
      await signed.locator("[data-testid=job-table]").or(signed.getByText("No jobs yet.")).waitFor();
      const form = await signed.locator("form[aria-label='launch training']").count();
      const notice = await signed.locator("[data-testid=admin-only]").count();
      expect({ role, form, notice }).toEqual({
        role,
        form: role === "ADMIN" ? 1 : 0,
        notice: role === "ADMIN" ? 0 : 1,
      });
      await signed.goto(url("/datasets"));
      await signed.waitForSelector(`[data-testid=dataset-${datasetId}]`);
      expect(await signed.locator("form[aria-label='create dataset']").count()).toBe(role === "ADMIN" ? 1 : 0);
      await signed.close();
    }
  });

  it("shows the overview: counts per class and source, best models, latest jobs", async () => {
    const page = await signedIn("SCIENTIST");
    await page.goto(url("/"));
    await page.waitForSelector("[data-testid=class-source-table]");
    const total = await prisma.celestialObject.count();
    await expect(page.locator("[data-testid=total-objects]").textContent()).resolves.toBe(
      total.toLocaleString("en-US"),
    );
    const stars = await prisma.celestialObject.count({ where: { source: "sim", catalogClass: "STAR" } });
    const row = page.locator("[data-testid=class-source-table] tr", { hasText: "sim" });
    await expect(row.locator("td").nth(3).textContent()).resolves.toBe(String(stars));
    await expect(page.locator("[data-testid=best-models] tbody tr").count()).resolves.toBe(2);
    // A favicon, so the tab is recognisable.
    const icon = await page.getAttribute("link[rel=icon]", "href");
    const answer = await page.request.get(url(icon as string));
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
    await shot(page, "overview");
    await page.close();
  });

  it("browses, filters and cone-searches objects, with a sky plot coloured by class", async () => {
    const page = await signedIn("COLLABORATOR");
    await page.goto(url("/objects"));
    const total = await prisma.celestialObject.count();
    await page.waitForSelector(`[data-testid=total-count]:has-text("${total} objects")`);
    await expect(page.locator("[data-testid=objects-table] tbody tr").count()).resolves.toBe(Math.min(total, 50));
    await page.waitForSelector("[data-testid=sky-plot]");
    const sky = await canvasStats(page, "[data-testid=sky-plot]");
    expect(sky.colours["#004488"] ?? 0, "star-coloured points").toBeGreaterThan(0);
    // The simulated plan covers a few degrees: the tangent plane, not the whole sky.
    await expect(page.getAttribute("[data-testid=sky-plot]", "data-projection")).resolves.toBe("tangent");
    await page.check("[data-testid=sky-view] + label input");
    await page.waitForSelector("[data-testid=sky-plot][data-projection=hammer]");
    // The whole sky is the Hammer ellipse (filled white on the off-white canvas), twice as wide as high.
    const ellipse = await inkBox(page, "[data-testid=sky-plot]", (r, g, b) => r === 255 && g === 255 && b === 255);
    expect(ellipse.width / ellipse.height).toBeCloseTo(2, 1);
    await shot(page, "objects-whole-sky");
    await page.uncheck("[data-testid=sky-view] + label input");
    await page.waitForSelector("[data-testid=sky-plot][data-projection=tangent]");
    await shot(page, "objects");

    // Downloads: the CSV of the current filter holds every object, one line each.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[data-format=csv]")]);
    expect(download.suggestedFilename()).toBe("macnet-objects.csv");
    const csv = readFileSync((await download.path()) as string, "utf8")
      .trim()
      .split("\r\n");
    expect(csv[0]).toMatch(/^id,ra,dec,designation,obsid,catalogue_class,/);
    expect(csv).toHaveLength(total + 1);

    await page.selectOption("select[name=class]", "QSO");
    await page.click("form[aria-label=filters] button[type=submit]");
    const qsos = await prisma.celestialObject.count({ where: { catalogClass: "QSO" } });
    await page.waitForSelector(`[data-testid=total-count]:has-text("${qsos} objects")`);
    const badges = await page.locator("[data-testid=objects-table] tbody tr td:nth-child(4)").allTextContents();
    expect(badges).toEqual(Array(qsos).fill("QSO"));

    // A cone around one object, radius 2°: exactly the objects within 2° (brute force here).
    const all = await prisma.celestialObject.findMany({ where: { raDeg: { not: null } } });
    const centre = all[0] as (typeof all)[number];
    const rad = Math.PI / 180;
    const within = all.filter((o) => {
      const h =
        Math.sin((((o.decDeg as number) - (centre.decDeg as number)) * rad) / 2) ** 2 +
        Math.cos((o.decDeg as number) * rad) *
          Math.cos((centre.decDeg as number) * rad) *
          Math.sin((((o.raDeg as number) - (centre.raDeg as number)) * rad) / 2) ** 2;
      return (2 * Math.asin(Math.sqrt(h))) / rad <= 2;
    });
    await page.goto(url("/objects"));
    await page.fill("input[name=ra]", String(centre.raDeg));
    await page.fill("input[name=dec]", String(centre.decDeg));
    await page.fill("input[name=radius]", "2");
    await page.click("form[aria-label=filters] button[type=submit]");
    await page.waitForURL(/radius=2/);
    await page.waitForSelector(`[data-testid=total-count]:has-text("${within.length} objects")`);
    // A cone is drawn round: its outline is as wide as it is high on the screen.
    await page.waitForSelector("[data-testid=sky-plot][data-projection=tangent]");
    const cone = await inkBox(page, "[data-testid=sky-plot]", (r, g, b) => r > 180 && g < 60 && b < 60);
    expect(cone.width).toBeGreaterThan(100);
    expect(Math.abs(cone.width - cone.height) / cone.width).toBeLessThan(0.02);
    await expect(page.locator("a[data-format=fits]").getAttribute("href")).resolves.toBe(
      `/export?format=fits&ra=${centre.raDeg}&dec=${centre.decDeg}&radius=2`,
    );
    await shot(page, "objects-cone");

    await page.fill("input[name=ra]", "400");
    await page.click("form[aria-label=filters] button[type=submit]");
    await page.waitForSelector("text=Cone: RA must be in [0, 360) degrees.");
    await page.close();
  });

  it("draws an object's strips, profiles, cutout and predictions, and overlays Grad-CAM", async () => {
    const page = await signedIn("SCIENTIST");
    // JPEG cutouts carry no pixel scale; this one is given SDSS's, so that its scale bar is drawn.
    await prisma.cutout.updateMany({ where: { objectId: camObjectId }, data: { pixelScaleArcsec: 0.396 } });
    await page.goto(url(`/objects/${camObjectId}`));
    await page.waitForSelector("[data-testid=strip-blue]");
    await page.waitForSelector("[data-testid=profile-blue] canvas");
    await page.waitForTimeout(300); // let the cutout's image decode and draw
    const strip = await canvasStats(page, "[data-testid=strip-blue]");
    expect(strip.distinct, "grey levels in the strip").toBeGreaterThan(20);
    expect(strip.coloured, "no overlay yet").toBe(0);
    const profile = await canvasStats(page, "[data-testid=profile-blue] canvas");
    expect(profile.ink).toBeGreaterThan(500);
    const red = await canvasStats(page, "[data-testid=strip-red]");
    expect(red.distinct).toBeGreaterThan(20);
    const cutout = await canvasStats(page, "[data-testid=cutout]");
    expect(cutout.distinct).toBeGreaterThan(10);
    // The compass and the scale bar are drawn in white over the image; the caption says the scale.
    expect(cutout.colours["#FFFFFF"] ?? 0, "compass and scale bar").toBeGreaterThan(60);
    await expect(page.locator("figure.cutout-figure figcaption").textContent()).resolves.toMatch(
      /64 × 64 px at 0\.396″\/px; north up, east left/,
    );
    await expect(page.locator("[data-testid=predictions] .prediction").count()).resolves.toBe(2);
    // Line labels: the class's lines, inside the plot, none overlapping another.
    const object = await prisma.celestialObject.findUniqueOrThrow({ where: { id: camObjectId } });
    for (const arm of ["blue", "red"]) {
      const labels = JSON.parse(
        (await page.getAttribute(`[data-testid=profile-${arm}]`, "data-marker-labels")) ?? "[]",
      ) as { label: string; row: number; left: number; right: number; plotLeft: number; plotRight: number }[];
      expect(labels.length, `${arm} arm line labels`).toBeGreaterThan(0);
      for (const [i, a] of labels.entries()) {
        expect(a.left).toBeGreaterThanOrEqual(a.plotLeft);
        expect(a.right).toBeLessThanOrEqual(a.plotRight);
        for (const b of labels.slice(i + 1)) {
          expect(a.row !== b.row || a.right <= b.left || b.right <= a.left, `${a.label} / ${b.label}`).toBe(true);
        }
      }
      if (object.catalogClass === "STAR") expect(labels.map((l) => l.label)).not.toContain("[O III]");
    }

    await page.selectOption("[data-testid=gradcam-select]", String(models[0]));
    await page.waitForFunction(() => {
      const canvas = document.querySelector("[data-testid=strip-blue]") as HTMLCanvasElement;
      const { data } = (canvas.getContext("2d") as CanvasRenderingContext2D).getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      );
      for (let i = 0; i < data.length; i += 4)
        if (Math.abs((data[i] as number) - (data[i + 2] as number)) > 40) return true;
      return false;
    });
    const overlaid = await canvasStats(page, "[data-testid=strip-blue]");
    expect(overlaid.coloured, "Grad-CAM colours over the strip").toBeGreaterThan(100);
    await shot(page, "object");
    await page.close();
  });

  it("compares two models: Tables 4 and 5, calibration, both confusion matrices and their difference; a cell lists its objects", async () => {
    const page = await signedIn("SCIENTIST");
    // The first model's evaluation as calibration measures it: 12 objects in three bins of confidence.
    const bin = (b: number, count: number, confidence: number | null, accuracy: number | null) => ({
      lower: b / 10,
      upper: (b + 1) / 10,
      count,
      confidence,
      accuracy,
    });
    const calibrated = Array.from({ length: 10 }, (_, b) =>
      b === 4
        ? bin(4, 5, 0.45, 0.4)
        : b === 6
          ? bin(6, 4, 0.66, 0.75)
          : b === 9
            ? bin(9, 3, 0.93, 1)
            : bin(b, 0, null, null),
    );
    const uncalibrated = Array.from({ length: 10 }, (_, b) =>
      b === 9 ? bin(9, 12, 0.97, 0.75) : bin(b, 0, null, null),
    );
    await prisma.trainedModel.update({ where: { id: models[0] }, data: { temperature: 2.5 } });
    await prisma.modelEvaluation.updateMany({
      where: { modelId: models[0] },
      data: { ece: 0.06, eceUncalibrated: 0.22, reliability: { calibrated, uncalibrated } },
    });
    await page.goto(url("/models"));
    await page.click(`[data-testid=compare-${models[0]}]`);
    await page.click(`[data-testid=compare-${models[1]}]`);
    await page.waitForSelector(`[data-testid=matrix-${models[1]}]`);
    const cells = async (testId: string) => page.locator(`[data-testid=${testId}] g[data-cell] text`).allTextContents();
    expect(await cells(`matrix-${models[0]}`)).toEqual(["3", "1", "0", "0", "2", "1", "1", "0", "4"]);
    expect(await cells(`matrix-${models[1]}`)).toEqual(["4", "0", "0", "0", "3", "0", "0", "1", "4"]);
    // The reliability diagram: a bar per populated bin, as tall as its accuracy; ECE before and after.
    const diagram = page.locator(`[data-testid=reliability-${models[0]}]`);
    await expect(diagram.locator("rect[data-bin]").count()).resolves.toBe(3);
    const heights = await diagram
      .locator("rect[data-bin]")
      .evaluateAll((bars) => bars.map((b) => Number(b.getAttribute("height"))));
    expect(heights[2] as number).toBeCloseTo(180, 0);
    expect((heights[0] as number) / (heights[2] as number)).toBeCloseTo(0.4, 2);
    await expect(diagram.locator("figcaption").textContent()).resolves.toMatch(
      /T = 2\.50.*ECE 0\.060 calibrated, 0\.220 raw/,
    );
    await expect(page.locator("[data-testid=calibration]").textContent()).resolves.toContain(
      "evaluate it again to measure its calibration",
    );
    expect(await cells(`difference-${models[1]}`)).toEqual(["+1", "-1", "0", "0", "+1", "-1", "-1", "+1", "0"]);
    await expect(page.locator("[data-testid=table4] tbody tr").count()).resolves.toBe(2);
    await expect(page.locator("[data-testid=table5]").textContent()).resolves.toContain("12,345");
    await shot(page, "models");

    await page.click(`[data-testid=matrix-${models[0]}] g[data-cell="STAR-GALAXY"]`);
    await page.waitForURL(/\/objects\?/);
    const expected = await prisma.prediction.count({
      where: {
        modelId: models[0],
        predictedClass: "GALAXY",
        object: { catalogClass: "STAR", datasetMembers: { some: { datasetId, split: "TEST" } } },
      },
    });
    await page.waitForSelector(`[data-testid=total-count]:has-text("${expected} objects")`);
    await page.close();
  });
});
