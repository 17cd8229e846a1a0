// The dashboard test files' shared fixture: the dashboard in a real browser (Debian's chromium driven
// by Playwright) against the real API and PostgreSQL: a simulated survey ingested, users of each
// role, two models with predictions and evaluations, a Grad-CAM map. Every page is screenshotted
// into MACNET_SCREENSHOT_DIR (default test-results/screenshots; the README shows copies in
// docs/screenshots). Each file that calls useDashboardFixture() gets its own database and servers.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiServer, parseApiEnv, startApiServer } from "@macnet/api";
import { createPrismaClient, createUser, type ObjectClass, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import { createDataset } from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import { ensureDashboardBuilt, startWebServer, type WebServer } from "@macnet/web/server";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createMigratedTestDatabase, type TestDatabase } from "./database.ts";
import { repoRoot } from "./paths.ts";
import { CLASS_ORDER, createScoredModel } from "./seed-models.ts";

const screenshotDir = process.env.MACNET_SCREENSHOT_DIR ?? join(repoRoot, "test-results", "screenshots");
export const ROLES = ["ADMIN", "SCIENTIST", "COLLABORATOR"] as const;
export type Role = (typeof ROLES)[number];
const password = (role: Role) => `${role.toLowerCase()}-secret-password`;

export let database: TestDatabase;
export let prisma: PrismaClient;
let api: ApiServer;
let web: WebServer;
export let browser: Browser;
export let datasetId: number;
export const models: number[] = [];
export let camObjectId: number;
const contexts: Partial<Record<Role, BrowserContext>> = {};

/** Registers the fixture's set-up and tear-down in the calling test file. */
export function useDashboardFixture(): void {
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
    await browser?.close();
    await web?.close();
    await api?.close();
    await prisma?.$disconnect();
    await database?.dispose();
  });
}

export const url = (path: string) => new URL(path, web.url).href;

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** A browser context signed in through the login form as `role`. */
export async function signedIn(role: Role): Promise<Page> {
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
export function canvasStats(page: Page, selector: string) {
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
export function inkBox(page: Page, selector: string, match: (r: number, g: number, b: number) => boolean) {
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
