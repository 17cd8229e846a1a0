import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrismaClient, type PrismaClient } from "@macnet/db";
import { ingestPaths } from "@macnet/ingest";
import {
  batchesOf,
  buildDatasetCache,
  COMPACT_CONFIG,
  createDataset,
  FULL_CONFIG,
  inputShapes,
  loadModel,
  readBatch,
  resolveConfig,
  splitIndices,
  TRAINING_PRESETS,
  trainModel,
} from "@macnet/model";
import { simulateSurvey } from "@macnet/survey-sim";
import { selectBackend } from "@macnet/tfjs-native";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";

let database: TestDatabase;
let prisma: PrismaClient;
let datasetId: number;
const cacheRoot = mkdtempSync(join(tmpdir(), "macnet-cache-"));
let catalogue: Map<string, string>;
let survey: string;

beforeAll(async () => {
  await selectBackend();
  survey = mkdtempSync(join(tmpdir(), "macnet-pipeline-sim-"));
  await simulateSurvey({
    outDir: survey,
    objects: 30,
    seed: 5,
    plans: 1,
    fibresPerSpectrograph: 30,
    missingCutouts: 0.1,
  });
  catalogue = new Map(
    readFileSync(join(survey, "catalogue.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => [line.split(",")[0] as string, line.split(",")[15] as string]),
  );
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  await ingestPaths({ databaseUrl: database.url, paths: [survey], source: "sim" });
  datasetId = (await createDataset(prisma, { name: "pipeline", seed: 2, ratios: [6, 2, 2] })).id;
}, 300_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.dispose();
});

describe("data pipeline", () => {
  it("caches a compact MAC-Net's inputs on disk: windows, binning, per-sample z-score, images in [-1, 1]", async () => {
    const cache = await buildDatasetCache({ prisma, datasetId, arch: "MAC_NET", config: COMPACT_CONFIG, cacheRoot });
    const { manifest } = cache;
    const members = await prisma.datasetMember.count({ where: { datasetId } });
    expect(manifest.objectIds.length + (manifest.skipped.image ?? 0)).toBe(members);
    expect(manifest.skipped.image).toBeGreaterThan(0); // 10 % of the cutouts were left out
    expect(manifest.skipped.blue).toBe(0);
    expect(manifest.featureSizes).toEqual({ blue: 11 * 500, red: 11 * 500, image: 64 * 64 * 3 });
    // Labels are the catalogue's classes.
    const objects = await prisma.celestialObject.findMany({ where: { id: { in: manifest.objectIds } } });
    const obsidOf = new Map(objects.map((o) => [o.id, String(o.obsid)]));
    manifest.objectIds.forEach((id, i) => {
      expect(["GALAXY", "QSO", "STAR"][manifest.labels[i] as number]).toBe(catalogue.get(obsidOf.get(id) as string));
    });
    const shapes = inputShapes("MAC_NET", COMPACT_CONFIG);
    const train = splitIndices(cache, "TRAIN");
    const { xs, ys, labels } = readBatch(cache, train.slice(0, 3), shapes);
    expect(xs.map((x) => x.shape)).toEqual([
      [3, 11, 500, 1],
      [3, 11, 500, 1],
      [3, 64, 64, 3],
    ]);
    expect(ys.shape).toEqual([3, 3]);
    expect(labels).toEqual(train.slice(0, 3).map((i) => manifest.labels[i]));
    const blue = xs[0] as tf.Tensor;
    const { mean, variance } = tf.moments(blue.slice([0], [1]));
    expect(mean.dataSync()[0]).toBeCloseTo(0, 4);
    expect(variance.dataSync()[0]).toBeCloseTo(1, 3);
    expect(tf.min(xs[2] as tf.Tensor).dataSync()[0]).toBeGreaterThanOrEqual(-1);
    expect(tf.max(xs[2] as tf.Tensor).dataSync()[0]).toBeLessThanOrEqual(1);
    tf.dispose([...xs, ys, mean, variance]);
    // Built once: a second call reads the manifest back.
    expect(
      (await buildDatasetCache({ prisma, datasetId, arch: "MAC_NET", config: COMPACT_CONFIG, cacheRoot })).manifest,
    ).toEqual(manifest);
  });

  it("resamples 1D spectra onto the fixed grid for the 1D networks, and refuses a window the network cannot take", async () => {
    const cache = await buildDatasetCache({ prisma, datasetId, arch: "SSCNN_1D", config: FULL_CONFIG, cacheRoot });
    expect(cache.manifest.featureSizes).toEqual({ spectrum: 2000 });
    expect(cache.manifest.skipped.spectrum).toBe(0);
    const { xs } = readBatch(cache, [0], inputShapes("SSCNN_1D", FULL_CONFIG));
    const values = (xs[0] as tf.Tensor).dataSync();
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.max(...values)).toBeGreaterThan(0.5);
    tf.dispose(xs);
    const narrow = await createDataset(prisma, { name: "narrow", blue: [1000, 2000] });
    await expect(
      buildDatasetCache({ prisma, datasetId: narrow.id, arch: "C_NET", config: FULL_CONFIG, cacheRoot }),
    ).rejects.toThrow(/blue window 1000:2000 gives 1000 pixels, the full C_NET takes 2000/);
  });

  it("shuffles a split into seeded batches that cover it once", () => {
    const indices = Array.from({ length: 23 }, (_, i) => i);
    const batches = batchesOf(indices, 4, 9);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(indices);
    expect(batchesOf(indices, 4, 9)).toEqual(batches);
    expect(batchesOf(indices, 4, 10)).not.toEqual(batches);
  });

  it("trains, checkpoints every epoch, resumes after a cancellation and keeps the best epoch's weights", async () => {
    const home = mkdtempSync(join(tmpdir(), "macnet-train-"));
    const checkpointDir = join(home, "checkpoint");
    const controller = new AbortController();
    const common = {
      prisma,
      datasetId,
      arch: "MAC_NET" as const,
      config: COMPACT_CONFIG,
      epochs: 3,
      batchSize: 4,
      home,
      checkpointDir,
    };
    const progress: string[] = [];
    const first = await trainModel({
      ...common,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(`${p.phase}:${p.epoch}`);
        if (p.phase === "epoch" && p.epoch === 1) controller.abort();
      },
    });
    expect(first).toMatchObject({ status: "cancelled", epochsRun: 1, modelId: null });
    expect(progress).toContain("batch:1");
    expect(progress.filter((p) => p.startsWith("epoch"))).toEqual(["epoch:1"]);
    const second = await trainModel(common);
    expect(second).toMatchObject({ status: "completed", resumedFromEpoch: 1, epochsRun: 3, parameterCount: 680_649 });
    expect(second.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    for (const h of second.history) {
      expect(Number.isFinite(h.loss) && Number.isFinite(h.valLoss as number)).toBe(true);
      expect(h.accuracy).toBeGreaterThanOrEqual(0);
    }
    const best = Math.min(...second.history.map((h) => h.valLoss as number));
    expect(second.bestValLoss).toBeCloseTo(best, 6);
    const row = await prisma.trainedModel.findUniqueOrThrow({ where: { id: second.modelId as number } });
    expect(row).toMatchObject({
      architecture: "MAC_NET",
      compact: true,
      datasetId,
      epochsTrained: 3,
      weightsUri: second.weightsUri,
    });
    expect((await prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } })).lockedAt).not.toBeNull();
    // The same recipe again is a new model with a name of its own.
    const again = await trainModel({ ...common, epochs: 1, checkpointDir: join(home, "again") });
    const again2 = await trainModel({ ...common, epochs: 1, checkpointDir: join(home, "again-2") });
    const named = await Promise.all(
      [second, again, again2].map((run) =>
        prisma.trainedModel.findUniqueOrThrow({ where: { id: run.modelId as number } }),
      ),
    );
    expect(named.map((m) => m.name)).toEqual([row.name, `${row.name}-r2`, `${row.name}-r3`]);
    expect(row.name).toMatch(/^mac_net-compact-.+-v\d+$/);
    const model = await loadModel(second.weightsUri as string);
    const cache = await buildDatasetCache({
      prisma,
      datasetId,
      arch: "MAC_NET",
      config: COMPACT_CONFIG,
      cacheRoot: join(home, "cache"),
    });
    // By default the loss weighs each class by N / (3 · n_class) over the training split.
    const trainLabels = splitIndices(cache, "TRAIN").map((i) => cache.manifest.labels[i] as number);
    const counts = [0, 1, 2].map((c) => trainLabels.filter((label) => label === c).length);
    expect(second.classWeightsMode).toBe("balanced");
    for (const [c, n] of counts.entries()) {
      expect(second.classWeights[c]).toBeCloseTo(trainLabels.length / (3 * n), 5);
    }
    expect(row.hyperParameters).toMatchObject({ classWeights: second.classWeights, classWeightsMode: "balanced" });
    const { xs, ys } = readBatch(cache, splitIndices(cache, "TEST"), inputShapes("MAC_NET", COMPACT_CONFIG));
    const probabilities = model.predict(xs) as tf.Tensor;
    expect(probabilities.shape).toEqual([xs[0]?.shape[0], 3]);
    tf.dispose([...xs, ys, probabilities]);
    model.dispose();
  });

  it("says so, in the result and on the model, when a run collapses to predicting one class", async () => {
    const home = mkdtempSync(join(tmpdir(), "macnet-collapse-"));
    // A learning rate far too high for AdaGrad: the network's units die and it answers one class.
    const result = await trainModel({
      prisma,
      datasetId,
      arch: "C_NET",
      config: COMPACT_CONFIG,
      epochs: 6,
      batchSize: 8,
      learningRate: 50,
      patience: 10,
      home,
    });
    expect(result.status).toBe("completed");
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^collapsed: every validation object was predicted (GALAXY|QSO|STAR) for 5 epochs in a row/,
      ),
    ]);
    const row = await prisma.trainedModel.findUniqueOrThrow({ where: { id: result.modelId as number } });
    expect(row.warnings).toEqual(result.warnings);
  });

  it("trains with a named recipe (`--preset sdss-cutouts`): its values recorded with the model, typed options winning", {
    timeout: 300_000,
  }, async () => {
    const env = { DATABASE_URL: database.url, MACNET_HOME: mkdtempSync(join(tmpdir(), "macnet-home-")) };
    const preset = TRAINING_PRESETS["sdss-cutouts"];
    const result = await runCli(
      [
        ...["train", "--arch", "image-net", "--dataset", "pipeline", "--preset", "sdss-cutouts"],
        ...["--epochs", "3", "--json"],
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split("\n").pop() as string);
    expect(summary).toMatchObject({
      status: "completed",
      arch: "IMAGE_NET",
      size: preset.recipe.compact ? "compact" : "full",
      epochsRun: 3,
      optimizer: preset.recipe.optimizer,
      lrSchedule: preset.recipe.lrSchedule,
      warmupEpochs: preset.recipe.warmupEpochs,
      shiftPx: preset.recipe.shiftPx,
      labelSmoothing: preset.recipe.labelSmoothing,
      augmentation: "dihedral",
      preset: "sdss-cutouts",
    });
    const recorded = await prisma.trainedModel.findUniqueOrThrow({ where: { id: summary.modelId } });
    expect(recorded.hyperParameters).toMatchObject({
      preset: "sdss-cutouts",
      epochs: 3,
      batchSize: preset.recipe.batchSize,
      learningRate: preset.recipe.learningRate,
      optimizer: preset.recipe.optimizer,
      shiftPx: preset.recipe.shiftPx,
      labelSmoothing: preset.recipe.labelSmoothing,
      config: resolveConfig(preset.recipe.compact ? "compact" : "full", preset.config),
    });
    // The stored model rebuilds from what it recorded: it evaluates.
    const evaluated = await runCli(["evaluate", "--model", String(summary.modelId), "--json"], env);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const wrong = await runCli(["train", "--arch", "c-net", "--dataset", "pipeline", "--preset", "sdss-cutouts"], env);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/Preset 'sdss-cutouts' is for IMAGE_NET, not C_NET/);
    const unknown = await runCli(["train", "--arch", "image-net", "--dataset", "pipeline", "--preset", "nope"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--preset must be sdss-cutouts/);
    // --model-config over the preset's overrides, field by field: the preset's stem stride stays.
    const both = await runCli(
      [
        ...["train", "--arch", "image-net", "--dataset", "pipeline", "--preset", "sdss-cutouts", "--epochs", "3"],
        ...["--model-config", '{"image":{"stem":8}}', "--json"],
      ],
      env,
    );
    expect(both.code, both.stderr).toBe(0);
    const merged = await prisma.trainedModel.findUniqueOrThrow({
      where: { id: JSON.parse(both.stdout.trim().split("\n").pop() as string).modelId },
    });
    expect((merged.hyperParameters as { config: { image: object } }).config.image).toMatchObject({
      ...resolveConfig("compact", preset.config).image,
      stem: 8,
    });
    const sweep = await runCli(["sweep", "--dataset", "pipeline", "--compact", "--preset", "sdss-cutouts"], env);
    expect(sweep.code).not.toBe(0);
    expect(sweep.stderr).toMatch(/Preset 'sdss-cutouts' is for IMAGE_NET, not C_NET/);
    const typo = await runCli(
      ["train", "--arch", "image-net", "--dataset", "pipeline", "--model-config", '{"image":{"stemstride":1}}'],
      env,
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--model-config: no model configuration field image.stemstride/);
  });

  it("is driven by `macnet train --json`", { timeout: 300_000 }, async () => {
    const env = { DATABASE_URL: database.url, MACNET_HOME: mkdtempSync(join(tmpdir(), "macnet-home-")) };
    const result = await runCli(
      [
        ...["train", "--arch", "c-net", "--dataset", "pipeline", "--compact", "--epochs", "2", "--batch", "8"],
        ...["--class-weights", "paper", "--optimizer", "adam", "--lr-schedule", "cosine", "--warmup", "1", "--json"],
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/TensorFlow.js backend: /);
    const summary = JSON.parse(result.stdout.trim().split("\n").pop() as string);
    expect(summary).toMatchObject({
      status: "completed",
      arch: "C_NET",
      size: "compact",
      epochsRun: 2,
      dataset: { name: "pipeline", version: 1 },
      parameterCount: 398_243,
      classWeights: [1, 3, 1],
      classWeightsMode: "paper",
      optimizer: "adam",
      lrSchedule: "cosine",
      warmupEpochs: 1,
    });
    expect(summary.modelId).toEqual(expect.any(Number));
    const recorded = await prisma.trainedModel.findUniqueOrThrow({ where: { id: summary.modelId } });
    expect(recorded.hyperParameters).toMatchObject({ optimizer: "adam", lrSchedule: "cosine", warmupEpochs: 1 });
    expect(summary.history).toHaveLength(2);

    const evaluated = await runCli(["evaluate", "--model", String(summary.modelId), "--json"], env);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const evaluation = JSON.parse(evaluated.stdout.trim().split("\n").pop() as string);
    const testObjects = await prisma.datasetMember.count({ where: { datasetId, split: "TEST" } });
    expect(evaluation).toMatchObject({
      modelId: summary.modelId,
      split: "TEST",
      objects: testObjects,
      parameterCount: 398_243,
    });
    expect(evaluation.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(testObjects);
    expect(evaluation.inferenceMsPerObject).toBeGreaterThan(0);
    const stored = await prisma.modelEvaluation.findMany({
      where: { modelId: summary.modelId },
      include: { classMetrics: true },
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.classMetrics.map((c) => c.class).sort()).toEqual(["GALAXY", "QSO", "STAR"]);
    expect(stored[0]?.accuracy).toBeCloseTo(evaluation.accuracy, 10);
    // Calibration: a temperature fitted on the validation split, stored with the model; the ECE
    // before and after it and the reliability diagram's 10 bins over every test object.
    const calibrated = await prisma.trainedModel.findUniqueOrThrow({ where: { id: summary.modelId } });
    expect(calibrated.temperature).toBe(evaluation.temperature);
    expect(evaluation.temperature).toBeGreaterThanOrEqual(0.25);
    expect(evaluation.temperature).toBeLessThanOrEqual(10);
    for (const ece of [evaluation.ece, evaluation.eceUncalibrated]) {
      expect(ece).toBeGreaterThanOrEqual(0);
      expect(ece).toBeLessThanOrEqual(1);
    }
    for (const bins of [evaluation.reliability.calibrated, evaluation.reliability.uncalibrated]) {
      expect(bins).toHaveLength(10);
      expect(bins.reduce((sum: number, bin: { count: number }) => sum + bin.count, 0)).toBe(testObjects);
    }
    expect(stored[0]?.ece).toBe(evaluation.ece);

    for (let run = 0; run < 2; run++) {
      const classified = await runCli(["classify", "--model", String(summary.modelId), "--json"], env);
      expect(classified.code, classified.stderr).toBe(0);
      const report = JSON.parse(classified.stdout.trim().split("\n").pop() as string);
      const members = await prisma.datasetMember.count({ where: { datasetId } });
      expect(report.objects).toBe(members - (report.skipped.blue ?? 0));
      const predictions = await prisma.prediction.findMany({ where: { modelId: summary.modelId } });
      expect(predictions).toHaveLength(report.objects); // a second run replaces, never duplicates
      for (const p of predictions) {
        expect(p.probGalaxy + p.probQso + p.probStar).toBeCloseTo(1, 5);
        expect(p.confidence).toBe(Math.max(p.probGalaxy, p.probQso, p.probStar));
      }
    }

    // Grad-CAM along each arm's wavelength axis, stored per model and object; a re-run replaces.
    const [member] = await prisma.prediction.findMany({ where: { modelId: summary.modelId }, take: 1 });
    for (let run = 0; run < 2; run++) {
      const cam = await runCli(
        ["gradcam", "--model", String(summary.modelId), "--objects", String(member?.objectId), "--json"],
        env,
      );
      expect(cam.code, cam.stderr).toBe(0);
      const maps = JSON.parse(cam.stdout.trim().split("\n").pop() as string).maps;
      expect(maps.map((m: { target: string }) => m.target)).toEqual(["BLUE", "RED"]);
      for (const map of maps) {
        expect(map.shape).toEqual([62]); // 500 binned pixels after three 2-pools
        expect(Math.max(...map.values)).toBeLessThanOrEqual(1);
        expect(Math.min(...map.values)).toBeGreaterThanOrEqual(0);
        const [first, last] = [map.wavelengthAngstrom[0], map.wavelengthAngstrom[61]];
        expect(last).toBeGreaterThan(first);
        if (map.target === "BLUE") expect([first, last].every((w) => w > 3500 && w < 6000)).toBe(true);
        else expect([first, last].every((w) => w > 5400 && w < 8700)).toBe(true);
      }
    }
    expect(await prisma.activationMap.count({ where: { modelId: summary.modelId } })).toBe(2);

    // Files given directly: ingested into a throw-away database, predictions printed, nothing stored.
    const objectsBefore = await prisma.celestialObject.count();
    const direct = await runCli(["classify", "--model", String(summary.modelId), survey, "--json"], env);
    expect(direct.code, direct.stderr).toBe(0);
    const files = JSON.parse(direct.stdout.trim().split("\n").pop() as string);
    expect(files.objects).toHaveLength(30);
    for (const object of files.objects) {
      expect(object.label).toBe(catalogue.get(object.obsid));
      expect(object.sourceFiles.some((f: string) => f.startsWith(survey))).toBe(true);
      expect(object.probabilities.GALAXY + object.probabilities.QSO + object.probabilities.STAR).toBeCloseTo(1, 5);
    }
    expect(files.metrics.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(30);
    expect(await prisma.celestialObject.count()).toBe(objectsBefore);

    // The interval sweep: a C-Net per window per arm, the other arm fixed, with per-class P/F1.
    const sweep = await runCli(
      [
        "sweep",
        "--dataset",
        "pipeline",
        "--compact",
        "--windows",
        "500,1500",
        "--epochs",
        "1",
        "--batch",
        "8",
        "--json",
      ],
      env,
    );
    expect(sweep.code, sweep.stderr).toBe(0);
    const table = JSON.parse(sweep.stdout.trim().split("\n").pop() as string);
    expect(table.rows.map((r: { arm: string; window: number[] }) => [r.arm, r.window])).toEqual([
      ["blue", [500, 2500]],
      ["blue", [1500, 3500]],
      ["red", [500, 2500]],
      ["red", [1500, 3500]],
    ]);
    for (const row of table.rows) {
      expect(Object.keys(row.perClass).sort()).toEqual(["GALAXY", "QSO", "STAR"]);
      const dataset = await prisma.dataset.findUniqueOrThrow({ where: { id: row.datasetId } });
      const fixed =
        row.arm === "blue"
          ? [dataset.redWindowStart, dataset.redWindowEnd]
          : [dataset.blueWindowStart, dataset.blueWindowEnd];
      expect(fixed).toEqual(row.arm === "blue" ? [1500, 3500] : [1000, 3000]);
      expect(await prisma.modelEvaluation.count({ where: { modelId: row.modelId } })).toBe(1);
    }
    // Same seed and objects: every window's dataset has the base dataset's split.
    const splitOf = async (id: number) =>
      (await prisma.datasetMember.findMany({ where: { datasetId: id }, orderBy: { objectId: "asc" } })).map(
        (m) => m.split,
      );
    expect(await splitOf(table.rows[0].datasetId)).toEqual(await splitOf(datasetId));
    const missing = await runCli(["train", "--arch", "MAC_NET", "--dataset", "nope", "--compact"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No dataset 'nope'/);
  });
});
