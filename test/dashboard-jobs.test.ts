import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TRAINING_PRESETS } from "@macnet/model/names";
import { afterAll, describe, expect, it } from "vitest";
import {
  camObjectId,
  canvasStats,
  database,
  datasetId,
  prisma,
  shot,
  signedIn,
  url,
  useDashboardFixture,
} from "./helpers/dashboard-fixture.ts";
import { cliEntry, repoRoot } from "./helpers/paths.ts";

// The dashboard's jobs in chromium: an admin launches training, watches it, classifies and explains
// with the trained model through a real worker process; a scientist is refused.
useDashboardFixture();

let worker: ChildProcess | undefined;
afterAll(() => {
  worker?.kill("SIGTERM");
});

describe("dashboard in chromium: jobs", () => {
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
  it("offers the named recipes: choosing one fills the form, says what else it sets, and goes with the job", async () => {
    const preset = TRAINING_PRESETS["sdss-cutouts"];
    const page = await signedIn("ADMIN");
    await page.goto(url("/jobs"));
    await page.waitForSelector("select[name=preset] option[value=SDSS_CUTOUTS]", { state: "attached" });
    await page.selectOption("select[name=preset]", "SDSS_CUTOUTS");
    await expect(page.inputValue("select[name=architecture]")).resolves.toBe("IMAGE_NET");
    await expect(page.inputValue("input[name=epochs]")).resolves.toBe(String(preset.recipe.epochs));
    await expect(page.inputValue("input[name=batchSize]")).resolves.toBe(String(preset.recipe.batchSize));
    await expect(page.inputValue("input[name=learningRate]")).resolves.toBe(String(preset.recipe.learningRate));
    await page.waitForSelector(
      `[data-testid=preset-note]:has-text('the ${preset.recipe.optimizer} optimizer, a ${preset.recipe.lrSchedule} learning rate after ${preset.recipe.warmupEpochs} warm-up epochs')`,
    );
    await page.waitForSelector(`[data-testid=preset-note]:has-text('"stemStride":1')`);
    await shot(page, "jobs-preset");
    await page.selectOption("select[name=datasetId]", String(datasetId));
    await page.fill("input[name=epochs]", "3");
    await page.click("form[aria-label='launch training'] button[type=submit]");
    await page.waitForURL(/\/jobs\/\d+$/);
    const jobId = Number(page.url().split("/").pop());
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.params).toMatchObject({
      arch: "IMAGE_NET",
      preset: "sdss-cutouts",
      epochs: 3,
      optimizer: preset.recipe.optimizer,
      lrSchedule: preset.recipe.lrSchedule,
      shiftPx: preset.recipe.shiftPx,
      labelSmoothing: preset.recipe.labelSmoothing,
    });
    await page.waitForSelector("[data-testid=job-status]:has-text('succeeded')", { timeout: 240_000 });
    const model = await prisma.trainedModel.findFirstOrThrow({ where: { jobId } });
    expect(model.hyperParameters).toMatchObject({
      preset: "sdss-cutouts",
      epochs: 3,
      optimizer: preset.recipe.optimizer,
    });
    await page.close();
  });
});
