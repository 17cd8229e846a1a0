import { createPrismaClient, Prisma, type PrismaClient } from "@macnet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedTestDatabase, type TestDatabase } from "./helpers/database.ts";

// Proves the hand-written SQL migrations and the Prisma schema agree: every model is written with
// every field set and read back through the generated client on a freshly migrated database.

let database: TestDatabase;
let prisma: PrismaClient;
const exercised = new Set<string>();

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.dispose();
});

const float32Bytes = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

describe("every Prisma model works on the migrated database", () => {
  it("round-trips all models with all fields", async () => {
    const plan = await prisma.observingPlan.create({
      data: { planId: "HD103621N361936B01", obsDate: new Date("2013-09-14"), lmjd: 56550 },
    });
    exercised.add("ObservingPlan");
    const user = await prisma.user.create({
      data: { name: "schema-admin", role: "ADMIN", passwordHash: "scrypt$a$b" },
    });
    exercised.add("User");
    const key = await prisma.apiKey.create({
      data: { userId: user.id, label: "ci", prefix: "abcd1234", keyHash: "f".repeat(64), lastUsedAt: new Date() },
    });
    exercised.add("ApiKey");
    await prisma.session.create({
      data: { userId: user.id, tokenHash: "e".repeat(64), expiresAt: new Date(Date.now() + 3600_000) },
    });
    exercised.add("Session");
    await prisma.loginThrottle.create({
      data: { scope: "user", key: "schema-admin", failures: 2, lastFailureMs: 1_700_000_000_000n },
    });
    expect(
      await prisma.loginThrottle.findUniqueOrThrow({ where: { scope_key: { scope: "user", key: "schema-admin" } } }),
    ).toEqual({
      scope: "user",
      key: "schema-admin",
      failures: 2,
      lastFailureMs: 1_700_000_000_000n,
      lockedUntilMs: 0n,
    });
    exercised.add("LoginThrottle");
    // Kept by triggers: an insert, a class change and a delete each move the counts.
    const counted = await prisma.celestialObject.create({ data: { source: "schema-count", catalogClass: "QSO" } });
    await prisma.celestialObject.update({ where: { id: counted.id }, data: { catalogClass: "STAR" } });
    await prisma.celestialObject.create({ data: { source: "schema-count" } });
    expect(
      await prisma.objectCount.findMany({ where: { source: "schema-count" }, orderBy: { catalogClass: "asc" } }),
    ).toEqual([
      { source: "schema-count", catalogClass: "", n: 1n },
      { source: "schema-count", catalogClass: "QSO", n: 0n },
      { source: "schema-count", catalogClass: "STAR", n: 1n },
    ]);
    await prisma.celestialObject.deleteMany({ where: { source: "schema-count" } });
    expect((await prisma.objectCount.findMany({ where: { source: "schema-count" } })).map((c) => c.n)).toEqual([
      0n,
      0n,
      0n,
    ]);
    exercised.add("ObjectCount");
    const run = await prisma.ingestRun.create({
      data: { source: "lamost-dr7", paths: ["/data/a", "/data/b"], counts: { objects: 2 }, status: "SUCCEEDED" },
    });
    exercised.add("IngestRun");
    await prisma.ingestRejection.create({
      data: { runId: run.id, filePath: "/data/a/bad.fits", field: "NAXIS2", reason: "truncated" },
    });
    exercised.add("IngestRejection");
    await prisma.ingestedFile.create({
      data: { runId: run.id, contentHash: "c".repeat(64), path: "/data/a/ok.fits", kind: "lamost-1d" },
    });
    exercised.add("IngestedFile");

    const object = await prisma.celestialObject.create({
      data: {
        obsid: 9_007_199_254_740_993n,
        designation: "J000000.00+000000.0",
        sdssObjId: 1_237_648_720_148_430_865n,
        raDeg: 359.9999,
        decDeg: -89.5,
        catalogClass: "QSO",
        subclass: "BROADLINE",
        redshift: 2.1,
        planId: plan.id,
        spectrographId: 3,
        fiberId: 250,
        source: "simulated",
        release: "DR7",
        magnitudes: { g: 19.1, r: 18.7 },
        missingModalities: ["CUTOUT", "SPECTRUM_1D"],
        ingestRunId: run.id,
      },
    });
    exercised.add("CelestialObject");
    await prisma.objectKey.create({ data: { key: "obsid:9007199254740993", objectId: object.id } });
    exercised.add("ObjectKey");
    const read = await prisma.celestialObject.findUniqueOrThrow({ where: { obsid: 9_007_199_254_740_993n } });
    expect(read.obsid).toBe(9_007_199_254_740_993n);
    expect(read.sdssObjId).toBe(1_237_648_720_148_430_865n);
    expect(read.missingModalities).toEqual(["CUTOUT", "SPECTRUM_1D"]);
    expect(read.magnitudes).toEqual({ g: 19.1, r: 18.7 });

    const strip = float32Bytes([1.5, -2.25, 3, Number.NaN]);
    await prisma.spectrum2D.create({
      data: {
        objectId: object.id,
        arm: "RED",
        widthPx: 11,
        lengthPx: 4096,
        pixelStart: 0,
        dtype: "float32",
        data: strip,
        wavelengthCoeffs: [5700, 0.8, 1e-5],
        mean: 0.75,
        std: 2,
        min: -2.25,
        max: 3,
        sourceFile: "frame-r3.fits",
        contentHash: "a".repeat(64),
      },
    });
    exercised.add("Spectrum2D");
    const spectrum2d = await prisma.spectrum2D.findUniqueOrThrow({
      where: { objectId_arm: { objectId: object.id, arm: "RED" } },
    });
    expect(Buffer.from(spectrum2d.data)).toEqual(Buffer.from(strip));
    expect(spectrum2d.wavelengthCoeffs).toEqual([5700, 0.8, 1e-5]);

    await prisma.spectrum1D.create({
      data: {
        objectId: object.id,
        survey: "SDSS",
        nPixels: 2,
        wavelengthAngstrom: float32Bytes([3800, 3801]),
        flux: float32Bytes([1, 2]),
        ivar: float32Bytes([0.5, 0.25]),
        sourceFile: "spec-0274-51913-0057.fits",
        contentHash: "b".repeat(64),
      },
    });
    exercised.add("Spectrum1D");
    await prisma.cutout.create({
      data: {
        objectId: object.id,
        source: "sdss-dr16",
        bands: "gri",
        widthPx: 64,
        heightPx: 64,
        pixelScaleArcsec: 0.4,
        rgb: new Uint8Array(64 * 64 * 3).fill(7),
        sourceFormat: "jpeg",
        sourceFile: "1237648720148430865.jpg",
        contentHash: "d".repeat(64),
      },
    });
    exercised.add("Cutout");

    const dataset = await prisma.dataset.create({
      data: {
        name: "paper",
        version: 2,
        seed: 42,
        ratioTrain: 0.8,
        ratioVal: 0.1,
        ratioTest: 0.1,
        blueWindowStart: 1000,
        blueWindowEnd: 3000,
        redWindowStart: 1500,
        redWindowEnd: 3500,
        sourceFilter: "simulated",
        classCounts: { TRAIN: { QSO: 1 } },
        lockedAt: new Date(),
        createdById: user.id,
      },
    });
    exercised.add("Dataset");
    await prisma.datasetMember.create({ data: { datasetId: dataset.id, objectId: object.id, split: "TRAIN" } });
    exercised.add("DatasetMember");

    const job = await prisma.job.create({
      data: {
        kind: "TRAIN",
        status: "RUNNING",
        architecture: "MAC_NET",
        datasetId: dataset.id,
        hyperParameters: { lr: 0.001, batch: 4 },
        params: { compact: true },
        progress: 0.5,
        progressDetail: { epoch: 3, batch: 10 },
        backend: "tensorflow",
        device: "cpu",
        error: null,
        cancelRequested: false,
        attempts: 1,
        workerId: "worker-1",
        heartbeatAt: new Date(),
        checkpointUri: "file:///tmp/ckpt",
        launchedById: user.id,
        startedAt: new Date(),
      },
    });
    const child = await prisma.job.create({ data: { kind: "TRAIN", parentId: job.id } });
    exercised.add("Job");
    await prisma.jobEpoch.create({
      data: { jobId: job.id, epoch: 1, loss: 1.1, accuracy: 0.4, valLoss: 1.0, valAccuracy: 0.5, durationMs: 1234.5 },
    });
    exercised.add("JobEpoch");

    const model = await prisma.trainedModel.create({
      data: {
        name: "mac-net-1",
        architecture: "MAC_NET",
        compact: true,
        datasetId: dataset.id,
        jobId: job.id,
        hyperParameters: { lr: 0.001 },
        blueWindowStart: 1000,
        blueWindowEnd: 3000,
        redWindowStart: 1500,
        redWindowEnd: 3500,
        weightsUri: "file:///tmp/model",
        parameterCount: 90_000_000,
        backend: "tensorflow",
        device: "cpu",
        epochsTrained: 12,
      },
    });
    exercised.add("TrainedModel");
    await prisma.job.update({ where: { id: child.id }, data: { modelId: model.id } });
    const evaluation = await prisma.modelEvaluation.create({
      data: {
        modelId: model.id,
        split: "TEST",
        accuracy: 0.986,
        classOrder: ["GALAXY", "QSO", "STAR"],
        confusionMatrix: [120, 1, 0, 0, 43, 3, 0, 0, 121],
        inferenceMsPerObject: 17.31,
        objectCount: 288,
        backend: "tensorflow",
      },
    });
    exercised.add("ModelEvaluation");
    await prisma.modelClassMetric.create({
      data: { evaluationId: evaluation.id, class: "QSO", precision: 1, recall: 0.935, f1: 0.966, support: 46 },
    });
    exercised.add("ModelClassMetric");
    await prisma.prediction.create({
      data: {
        modelId: model.id,
        objectId: object.id,
        predictedClass: "STAR",
        probStar: 0.9,
        probGalaxy: 0.05,
        probQso: 0.05,
        confidence: 0.9,
        jobId: child.id,
      },
    });
    exercised.add("Prediction");
    await prisma.activationMap.create({
      data: {
        modelId: model.id,
        objectId: object.id,
        target: "BLUE",
        targetClass: "QSO",
        shape: [2000],
        values: float32Bytes([0, 1]),
        wavelengthAngstrom: float32Bytes([4100, 4101]),
      },
    });
    exercised.add("ActivationMap");
    await prisma.labelTruth.create({
      data: {
        obsid: 9_007_199_254_740_993n,
        trueClass: "STAR",
        catalogueClass: "QSO",
        labelFlipped: true,
        file: "truth.csv:2",
        runId: run.id,
      },
    });
    exercised.add("LabelTruth");
    const audit = await prisma.labelAudit.create({
      data: {
        datasetId: dataset.id,
        modelIds: [model.id],
        folds: 5,
        objects: 1,
        contradicted: 1,
        summary: { truth: { planted: 1 } },
        entries: {
          create: {
            rank: 1,
            objectId: object.id,
            catalogueClass: "QSO",
            suggestedClass: "STAR",
            pCatalogue: 0.02,
            probGalaxy: 0.01,
            probQso: 0.02,
            probStar: 0.97,
            votes: 1,
            inSample: false,
          },
        },
      },
    });
    exercised.add("LabelAudit");
    exercised.add("LabelAuditEntry");
    const auditRead = await prisma.labelAudit.findUniqueOrThrow({
      where: { id: audit.id },
      include: { entries: { include: { object: { include: { auditEntries: true } } } }, dataset: true },
    });
    expect(auditRead.entries[0]?.object.obsid).toBe(9_007_199_254_740_993n);
    expect(auditRead.entries[0]?.object.auditEntries).toHaveLength(1);
    expect(auditRead.dataset.id).toBe(dataset.id);
    expect(auditRead.summary).toEqual({ truth: { planted: 1 } });
    const truthRead = await prisma.labelTruth.findUniqueOrThrow({
      where: { obsid: 9_007_199_254_740_993n },
      include: { run: true },
    });
    expect(truthRead).toMatchObject({ trueClass: "STAR", labelFlipped: true, run: { id: run.id } });
    const verdict = await prisma.labelVerdict.create({
      data: {
        objectId: object.id,
        reviewerId: user.id,
        reviewerName: user.name,
        reviewerRole: "ADMIN",
        verdict: "CATALOGUE_WRONG",
        correctedClass: "STAR",
        catalogueClass: "QSO",
        comment: "broad lines are absent",
        auditId: audit.id,
      },
    });
    exercised.add("LabelVerdict");
    const reviewed = await prisma.dataset.create({
      data: {
        ...{ name: "paper", version: 3, seed: 42, ratioTrain: 0.8, ratioVal: 0.1, ratioTest: 0.1 },
        ...{ blueWindowStart: 1000, blueWindowEnd: 3000, redWindowStart: 1500, redWindowEnd: 3500 },
        parentId: dataset.id,
        reviewRule: "admin-or-two-agreeing-scientists",
        corrections: 1,
        members: { create: { objectId: object.id, split: "TRAIN", label: "STAR", verdictIds: [verdict.id] } },
      },
    });
    const reviewedRead = await prisma.dataset.findUniqueOrThrow({
      where: { id: reviewed.id },
      include: { parent: { include: { children: true } }, members: true },
    });
    expect(reviewedRead).toMatchObject({ corrections: 1, reviewRule: "admin-or-two-agreeing-scientists" });
    expect(reviewedRead.parent?.children.map((c) => c.id)).toEqual([reviewed.id]);
    expect(reviewedRead.members).toEqual([
      { datasetId: reviewed.id, objectId: object.id, split: "TRAIN", label: "STAR", verdictIds: [verdict.id] },
    ]);
    const verdictRead = await prisma.labelVerdict.findUniqueOrThrow({
      where: { id: verdict.id },
      include: {
        object: { include: { verdicts: true } },
        reviewer: { include: { verdicts: true } },
        audit: { include: { verdicts: true } },
      },
    });
    expect(verdictRead).toMatchObject({
      verdict: "CATALOGUE_WRONG",
      correctedClass: "STAR",
      comment: "broad lines are absent",
    });
    expect(
      [verdictRead.object.verdicts, verdictRead.reviewer?.verdicts, verdictRead.audit?.verdicts].map((v) => v?.length),
    ).toEqual([1, 1, 1]);

    const full = await prisma.celestialObject.findUniqueOrThrow({
      where: { id: object.id },
      include: {
        plan: true,
        keys: true,
        ingestRun: { include: { rejections: true, files: true } },
        spectra2d: true,
        spectra1d: true,
        cutouts: true,
        datasetMembers: {
          include: { dataset: { include: { createdBy: { include: { apiKeys: true, sessions: true } } } } },
        },
        predictions: {
          include: { model: { include: { evaluations: { include: { classMetrics: true } }, job: true } } },
        },
        activationMaps: true,
      },
    });
    expect(full.plan?.planId).toBe("HD103621N361936B01");
    expect(full.keys.map((row) => row.key)).toEqual(["obsid:9007199254740993"]);
    expect(full.ingestRun?.rejections[0]?.field).toBe("NAXIS2");
    expect(full.ingestRun?.files).toHaveLength(1);
    expect(full.cutouts[0]?.rgb.length).toBe(64 * 64 * 3);
    expect(full.datasetMembers[0]?.dataset.createdBy?.apiKeys[0]?.id).toBe(key.id);
    expect(full.datasetMembers[0]?.dataset.createdBy?.sessions).toHaveLength(1);
    const evaluationRead = full.predictions[0]?.model.evaluations[0];
    expect(evaluationRead?.confusionMatrix).toEqual([120, 1, 0, 0, 43, 3, 0, 0, 121]);
    expect(evaluationRead?.classOrder).toEqual(["GALAXY", "QSO", "STAR"]);
    expect(evaluationRead?.classMetrics[0]?.recall).toBeCloseTo(0.935);
    expect(full.predictions[0]?.model.job?.progressDetail).toEqual({ epoch: 3, batch: 10 });
    expect(full.activationMaps[0]?.shape).toEqual([2000]);

    const withChildren = await prisma.job.findUniqueOrThrow({
      where: { id: job.id },
      include: { children: { include: { model: true } }, epochs: true, producedModels: true, launchedBy: true },
    });
    expect(withChildren.children[0]?.model?.id).toBe(model.id);
    expect(withChildren.producedModels[0]?.id).toBe(model.id);
    expect(withChildren.epochs[0]?.valAccuracy).toBe(0.5);
  });

  it("cascades object deletion to its spectra, cutouts, memberships, predictions and maps", async () => {
    const object = await prisma.celestialObject.findFirstOrThrow({ where: { source: "simulated" } });
    await prisma.celestialObject.delete({ where: { id: object.id } });
    const counts = await Promise.all([
      prisma.spectrum2D.count({ where: { objectId: object.id } }),
      prisma.spectrum1D.count({ where: { objectId: object.id } }),
      prisma.cutout.count({ where: { objectId: object.id } }),
      prisma.datasetMember.count({ where: { objectId: object.id } }),
      prisma.prediction.count({ where: { objectId: object.id } }),
      prisma.activationMap.count({ where: { objectId: object.id } }),
      prisma.objectKey.count({ where: { objectId: object.id } }),
    ]);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("covered every model the schema defines", () => {
    expect([...exercised].sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });
});
