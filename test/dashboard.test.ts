import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiServer, parseApiEnv, startApiServer } from "@macnet/api";
import { createPrismaClient, createUser, type ObjectClass, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import { createDataset } from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import { ensureDashboardBuilt, startWebServer, type WebServer } from "@macnet/web/server";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";
import { cliEntry, repoRoot } from "./helpers/paths.ts";
import { CLASS_ORDER, createScoredModel } from "./helpers/seed-models.ts";

// The dashboard in a real browser (Debian's chromium driven by Playwright) against the real API and
// PostgreSQL: a simulated survey ingested, users of each role, two models with predictions and
// evaluations, a Grad-CAM map, and a worker that trains what the admin launches. Every page is
// screenshotted into MACNET_SCREENSHOT_DIR (default test-results/screenshots; the README shows copies
// in docs/screenshots).

const screenshotDir = process.env.MACNET_SCREENSHOT_DIR ?? join(repoRoot, "test-results", "screenshots");
const ROLES = ["ADMIN", "SCIENTIST", "COLLABORATOR"] as const;
type Role = (typeof ROLES)[number];
const password = (role: Role) => `${role.toLowerCase()}-secret-password`;

let database: TestDatabase;
let prisma: PrismaClient;
let api: ApiServer;
let web: WebServer;
let browser: Browser;
let worker: ChildProcess | undefined;
let datasetId: number;
const models: number[] = [];
let camObjectId: number;
const contexts: Partial<Record<Role, BrowserContext>> = {};

beforeAll(async () => {
  await ensureDashboardBuilt(() => {});
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  const survey = mkdtempSync(join(tmpdir(), "macnet-web-sim-"));
  await simulateSurvey({ outDir: survey, objects: 30, seed: 5, plans: 1, fibresPerSpectrograph: 30 });
  await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "sim" });
  datasetId = (await createDataset(prisma, { name: "web", seed: 3, ratios: [6, 2, 2] })).id;
  for (const role of ROLES) {
    await createUser({ prisma, input: { name: role.toLowerCase(), role, password: password(role) } });
  }
  const objects = await prisma.celestialObject.findMany({ orderBy: { id: "asc" } });
  for (const m of [0, 1]) {
    const id = await createScoredModel(prisma, {
      name: `seeded-${m === 0 ? "a" : "b"}`,
      architecture: m === 0 ? "MAC_NET" : "C_NET",
      datasetId,
      parameterCount: 12_345 + m,
      backend: "onednn",
      objects,
      // Every fourth object (offset by the model) is predicted as another class than the catalogue's.
      predict: (o, i) => [
        i % 4 === m ? (CLASS_ORDER[(i + 1) % 3] as ObjectClass) : (o.catalogClass ?? "STAR"),
        0.4 + ((i * 13) % 55) / 100,
      ],
      evaluation: {
        accuracy: 0.7 + m / 10,
        confusionMatrix: m === 0 ? [3, 1, 0, 0, 2, 1, 1, 0, 4] : [4, 0, 0, 0, 3, 0, 0, 1, 4],
        inferenceMsPerObject: 2.5 + m,
        objectCount: 12,
        metric: (_cls, k) => ({ precision: 0.6 + k / 20, recall: 0.7, f1: 0.65, support: 4 }),
      },
    });
    models.push(id);
  }
  // A Grad-CAM map along the blue arm of one object: a bump in the middle of the arm's wavelengths.
  const strip = await prisma.spectrum2D.findFirstOrThrow({ where: { arm: "BLUE" }, orderBy: { objectId: "asc" } });
  camObjectId = strip.objectId;
  const length = 200;
  const [c0, c1] = strip.wavelengthCoeffs as [number, number];
  const wavelengths = Float32Array.from({ length }, (_, i) => c0 + c1 * ((i + 0.5) * (strip.lengthPx / length)));
  const values = Float32Array.from({ length }, (_, i) => Math.exp(-(((i - 100) / 15) ** 2)));
  await prisma.activationMap.create({
    data: {
      modelId: models[0] as number,
      objectId: camObjectId,
      target: "BLUE",
      targetClass: "STAR",
      shape: [length],
      values: Buffer.from(values.buffer),
      wavelengthAngstrom: Buffer.from(wavelengths.buffer),
    },
  });

  api = await startApiServer({
    prisma,
    databaseUrl: database.url,
    config: parseApiEnv({ MACNET_API_LOG: "0" }),
    port: 0,
  });
  web = await startWebServer({ apiPort: api.port, port: 0 });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  mkdirSync(screenshotDir, { recursive: true });
}, 300_000);

afterAll(async () => {
  worker?.kill("SIGTERM");
  await browser?.close();
  await web?.close();
  await api?.close();
  await prisma?.$disconnect();
  await database?.dispose();
});

const url = (path: string) => new URL(path, web.url).href;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** A browser context signed in through the login form as `role`. */
async function signedIn(role: Role): Promise<Page> {
  let context = contexts[role];
  if (!context) {
    context = await browser.newContext({ viewport: { width: 1366, height: 850 } });
    contexts[role] = context;
    const page = await context.newPage();
    await page.goto(url("/login"));
    await page.fill("input[name=name]", role.toLowerCase());
    await page.fill("input[name=password]", password(role));
    await page.click("button[type=submit]");
    await page.waitForSelector("[data-testid=viewer]");
    await page.close();
  }
  return context.newPage();
}

/** Pixel statistics of a canvas: how many sampled pixels are not near-white, are coloured (not grey), distinct. */
function canvasStats(page: Page, selector: string) {
  return page.$eval(selector, (element) => {
    const canvas = element as HTMLCanvasElement;
    const { data } = (canvas.getContext("2d") as CanvasRenderingContext2D).getImageData(
      0,
      0,
      canvas.width,
      canvas.height,
    );
    const distinct = new Set<number>();
    let ink = 0;
    let coloured = 0;
    const colours: Record<string, number> = {};
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i] as number, data[i + 1] as number, data[i + 2] as number, data[i + 3] as number];
      if (a === 0) continue;
      distinct.add((r << 16) | (g << 8) | b);
      if (r < 235 || g < 235 || b < 235) ink++;
      if (Math.max(Math.abs(r - g), Math.abs(g - b)) > 24) coloured++;
      const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`.toUpperCase();
      colours[hex] = (colours[hex] ?? 0) + 1;
    }
    return { ink, coloured, distinct: distinct.size, colours };
  });
}

/** The bounding box (canvas pixels) of a canvas's pixels that satisfy `match` (r, g, b). */
function inkBox(page: Page, selector: string, match: (r: number, g: number, b: number) => boolean) {
  return page.$eval(
    selector,
    (element, source) => {
      const test = new Function(`return ${source}`)() as (r: number, g: number, b: number) => boolean;
      const canvas = element as HTMLCanvasElement;
      const { data, width } = (canvas.getContext("2d") as CanvasRenderingContext2D).getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      );
      let [left, right, top, bottom] = [Number.POSITIVE_INFINITY, -1, Number.POSITIVE_INFINITY, -1];
      for (let i = 0; i < data.length; i += 4) {
        if (!test(data[i] as number, data[i + 1] as number, data[i + 2] as number)) continue;
        const x = (i / 4) % width;
        const y = Math.floor(i / 4 / width);
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
      return { width: right - left + 1, height: bottom - top + 1 };
    },
    match.toString(),
  );
}

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

  it("lets an admin launch a small training job and watch it to the end; refuses a scientist", async () => {
    const home = mkdtempSync(join(tmpdir(), "macnet-web-worker-"));
    worker = spawn(process.execPath, [cliEntry, "worker"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: database.url, MACNET_HOME: home, MACNET_JOB_PROGRESS_MS: "100" },
      stdio: "ignore",
    });
    const page = await signedIn("ADMIN");
    await page.goto(url("/jobs"));
    // No GPU worker has run a job: the form proposes the compact CPU recipe, and says that no epoch
    // of this architecture has been measured yet (so no duration can be promised).
    await page.selectOption("select[name=architecture]", "C_NET");
    await page.waitForSelector("[data-testid=training-estimate]:has-text('compact CPU recipe')");
    await expect(page.inputValue("input[name=epochs]")).resolves.toBe("30");
    await expect(page.inputValue("input[name=batchSize]")).resolves.toBe("8");
    await expect(page.isChecked("input[name=compact]")).resolves.toBe(true);
    await page.waitForSelector("[data-testid=training-estimate]:has-text('No C_NET compact epoch measured yet')");
    await page.selectOption("select[name=datasetId]", String(datasetId));
    await page.fill("input[name=epochs]", "0");
    await page.click("form[aria-label='launch training'] button[type=submit]");
    await page.waitForSelector("text=Epochs must be a whole number from 1 to 10000");
    await page.fill("input[name=epochs]", "3");
    await page.fill("input[name=learningRate]", "0.01");
    await page.fill("input[name=weights]", "1:2:1");
    await page.click("form[aria-label='launch training'] button[type=submit]");
    await page.waitForURL(/\/jobs\/\d+$/);
    const jobId = Number(page.url().split("/").pop());
    await page.waitForSelector("[data-testid=job-status]:has-text('running')", { timeout: 120_000 });
    await page.waitForSelector("[data-testid=job-status]:has-text('succeeded')", { timeout: 240_000 });
    await page.waitForSelector("[data-testid=loss-curve] canvas");
    await expect(page.locator("[data-testid=epoch-table] tbody tr").count()).resolves.toBe(3);
    const curve = await canvasStats(page, "[data-testid=loss-curve] canvas");
    expect(curve.coloured).toBeGreaterThan(50);
    await page.waitForSelector("[data-testid=job-model]");
    await shot(page, "job");
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("SUCCEEDED");
    expect(job.params).toMatchObject({ arch: "C_NET", epochs: 3, learningRate: 0.01, classWeights: [1, 2, 1] });
    await page.goto(url("/jobs"));
    await page.waitForSelector("[data-testid=job-table]");
    await shot(page, "jobs");

    // The trained model classifies its dataset (a job): its page shows what it produced, no epochs.
    const trained = await prisma.trainedModel.findFirstOrThrow({ where: { jobId } });
    // A job launched from the form is evaluated on the test split when it ends, its predictions stored.
    await expect(prisma.modelEvaluation.count({ where: { modelId: trained.id, split: "TEST" } })).resolves.toBe(1);
    await expect(prisma.prediction.count({ where: { modelId: trained.id } })).resolves.toBeGreaterThan(0);
    // Its three measured epochs now give the form a duration: epochs × objects × the median time per object.
    await page.goto(url("/jobs"));
    await page.selectOption("select[name=architecture]", "C_NET");
    await page.selectOption("select[name=datasetId]", String(datasetId));
    await page.fill("input[name=epochs]", "20");
    const estimate = page.locator("[data-testid=training-estimate]");
    await page.waitForSelector("[data-testid=training-estimate]:has-text('Expected: at most')");
    await expect(estimate.textContent()).resolves.toContain("measured over 3 epochs of C_NET compact");
    const classify = await page.evaluate(async (modelId) => {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `mutation ($m: ID!) { launchClassification(input: { modelId: $m }) { job { id } error { message } } }`,
          variables: { m: modelId },
        }),
      });
      return response.json();
    }, String(trained.id));
    const classifyJob = classify.data.launchClassification.job.id as string;
    await page.goto(url(`/jobs/${classifyJob}`));
    await page.waitForSelector("[data-testid=job-status]:has-text('succeeded')", { timeout: 240_000 });
    await page.waitForSelector("[data-testid=job-outcome]");
    const stored = await prisma.prediction.count({ where: { modelId: trained.id } });
    await expect(page.locator("[data-testid=job-outcome]").textContent()).resolves.toContain(
      `${stored.toLocaleString("en-US")} predictions stored`,
    );
    expect(await page.locator("[data-testid=epoch-table]").count()).toBe(0);
    // Three classes with their support, and the accuracy over all of them.
    await expect(page.locator("[data-testid=job-metrics] tbody tr").count()).resolves.toBe(4);
    const supports = await page.locator("[data-testid=job-metrics] tbody tr td:nth-child(5)").allTextContents();
    expect(supports.every((text) => /^\d+$/.test(text))).toBe(true);
    await shot(page, "job-classify");

    // Grad-CAM from the object page: a job the worker runs; the maps are overlaid when it is done.
    await page.goto(url(`/objects/${camObjectId}`));
    await page.waitForSelector("[data-testid=gradcam-launch]");
    await page.selectOption("[data-testid=gradcam-launch] select", String(trained.id));
    await page.click("[data-testid=gradcam-launch] button");
    await page.waitForSelector("[data-testid=gradcam-job]:has-text('succeeded')", { timeout: 240_000 });
    await page.waitForFunction(
      (id) => (document.querySelector("[data-testid=gradcam-select]") as HTMLSelectElement | null)?.value === id,
      String(trained.id),
    );
    const maps = await prisma.activationMap.findMany({ where: { modelId: trained.id, objectId: camObjectId } });
    expect(maps.map((m) => m.target).sort()).toEqual(["BLUE", "RED"]);
    // Its maps are the overlay now (a model trained for 3 epochs may explain with an all-zero map, so
    // the overlay's series is checked rather than its colours).
    await page.waitForSelector("[data-testid=profile-blue] .u-legend :text('Grad-CAM')");
    await shot(page, "object-gradcam");
    await page.close();

    // A scientist has no form, and the API refuses the mutation sent with the scientist's session.
    const scientist = await signedIn("SCIENTIST");
    await scientist.goto(url(`/jobs/${jobId}`));
    await scientist.waitForSelector("[data-testid=job-status]");
    expect(await scientist.locator("button", { hasText: "Cancel job" }).count()).toBe(0);
    const refused = await scientist.evaluate(async (d) => {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `mutation ($d: ID!) { launchTraining(input: { architecture: C_NET, datasetId: $d }) { job { id } } }`,
          variables: { d },
        }),
      });
      return response.json();
    }, String(datasetId));
    expect(JSON.stringify(refused)).toMatch("FORBIDDEN");
    await scientist.goto(url("/datasets"));
    await scientist.waitForSelector(`[data-testid=dataset-${datasetId}]`);
    await shot(scientist, "datasets");
    await scientist.close();
  });
});
