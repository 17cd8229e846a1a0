// Label audit (issue #19): a dataset's labelled objects ranked by how strongly models contradict
// their catalogue class, the lowest mean probability of the catalogue class first. With cross-fitting
// (folds ≥ 2) each object is scored by models of the stored models' recipes trained on the other
// folds, never on the object itself; with folds = 0 the stored models score as trained, and the
// objects some model trained on are marked in-sample. When a simulated survey's truth file was
// ingested, the audit reports how many wrong catalogue labels its top K holds (recall, precision).
import { seededUniform } from "@macnet/core";
import { badInput, MacnetError, type Prisma, type PrismaClient, type TrainedModel } from "@macnet/db";
import type * as tf from "@tensorflow/tfjs";
import { ARCHITECTURE_INPUTS, buildModel } from "./architectures.ts";
import { applyTemperature, ensureTemperature, fitTemperature } from "./calibration.ts";
import { type ClassWeightsChoice, resolveClassWeights } from "./class-weights.ts";
import { CLASSES, shuffled } from "./datasets.ts";
import {
  fitEpochs,
  freshFitState,
  learningRateAt,
  makeOptimizer,
  type TrainProgress,
  weightedCrossEntropy,
} from "./fit.ts";
import type { LrSchedule, OptimizerName } from "./names.ts";
import { loadModel } from "./persist.ts";
import { argmax, predictIndices } from "./pipeline.ts";
import { storedModelContext } from "./stored-model.ts";

type ClassName = (typeof CLASSES)[number];

export interface AuditEntry {
  rank: number;
  objectId: number;
  catalogueClass: ClassName;
  /** The class the models' mean probabilities favour. */
  suggestedClass: ClassName;
  /** Mean probability of the catalogue class (the ranking key: lowest first). */
  pCatalogue: number;
  probabilities: Record<ClassName, number>;
  /** Models (of those that scored the object) whose prediction is not the catalogue class. */
  votes: number;
  /** A model trained on this object (only with folds = 0). */
  inSample: boolean;
  /** From the ingested truth file, when there is one for the object. */
  trueClass?: ClassName;
}

/** How many wrong catalogue labels (truth ≠ catalogue) the first k entries hold. */
export interface AuditRecall {
  k: number;
  found: number;
  recall: number;
  precision: number;
}

export interface AuditTruth extends AuditRecall {
  /** Audited objects with a truth row, and those whose catalogue class is wrong (planted errors). */
  withTruth: number;
  planted: number;
  /** The same count at k = 2 × planted (the yardstick). */
  atTwicePlanted: AuditRecall;
}

export interface AuditResult {
  auditId: number;
  dataset: { id: number; name: string; version: number };
  models: Array<{ id: number; name: string; architecture: string }>;
  folds: number;
  /** Labelled objects scored, contradicted (suggested ≠ catalogue) and in-sample among them. */
  objects: number;
  contradicted: number;
  inSample: number;
  top: number;
  entries: AuditEntry[];
  truth: AuditTruth | null;
  durationS: number;
}

export interface AuditProgress {
  modelId: number;
  /** 1-based fold being trained (0 with folds = 0: scoring the stored model). */
  fold: number;
  folds: number;
  train?: TrainProgress;
}

interface StoredRecipe {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  seed?: number;
  classWeights?: number[];
  classWeightsMode?: "balanced" | "paper" | "custom";
  augmentation?: "dihedral" | "none";
  optimizer?: OptimizerName;
  lrSchedule?: LrSchedule;
  warmupEpochs?: number;
  shiftPx?: number;
  labelSmoothing?: number;
}

/** Scores of one model: class probabilities per object id. */
type Scores = Map<number, { probabilities: number[]; label: number; inSample: boolean }>;

/**
 * Stratified folds of `indices` (by label), seeded: fold of each index, each class spread evenly
 * over the folds.
 */
export function stratifiedFolds(indices: number[], labels: readonly number[], folds: number, seed: number): number[] {
  const fold = new Array<number>(indices.length).fill(0);
  const next = seededUniform(seed);
  for (let cls = 0; cls < CLASSES.length; cls++) {
    const members = shuffled(
      indices.flatMap((index, i) => (labels[index] === cls ? [i] : [])),
      next,
    );
    members.forEach((i, position) => {
      fold[i] = position % folds;
    });
  }
  return fold;
}

/** The ranking: lowest mean probability of the catalogue class first (ties by object id). */
export function rankEntries(
  scores: Scores[],
  classOf: (label: number) => ClassName,
): Omit<AuditEntry, "rank" | "trueClass">[] {
  const objectIds = [...new Set(scores.flatMap((s) => [...s.keys()]))];
  const entries = objectIds.map((objectId) => {
    const mine = scores.flatMap((s) => {
      const row = s.get(objectId);
      return row ? [row] : [];
    });
    const label = (mine[0] as { label: number }).label;
    const mean = CLASSES.map(
      (_, c) => mine.reduce((sum, row) => sum + (row.probabilities[c] as number), 0) / mine.length,
    );
    const suggested = argmax(mean);
    const votes = mine.filter((row) => argmax(row.probabilities) !== label).length;
    return {
      objectId,
      catalogueClass: classOf(label),
      suggestedClass: classOf(suggested),
      pCatalogue: mean[label] as number,
      probabilities: Object.fromEntries(CLASSES.map((cls, c) => [cls, mean[c] as number])) as Record<ClassName, number>,
      votes,
      inSample: mine.some((row) => row.inSample),
    };
  });
  return entries.sort((a, b) => a.pCatalogue - b.pCatalogue || a.objectId - b.objectId);
}

/** Recall and precision of wrong labels in the first k of the ranked entries. */
export function recallAt(entries: readonly AuditEntry[], k: number, planted: number): AuditRecall {
  const top = entries.slice(0, k);
  const found = top.filter((e) => e.trueClass !== undefined && e.trueClass !== e.catalogueClass).length;
  return {
    k,
    found,
    recall: planted > 0 ? found / planted : 0,
    precision: top.length > 0 ? found / top.length : 0,
  };
}

/**
 * Audits the catalogue labels of a dataset (default: the first model's) with one or several stored
 * models, stores the ranking (every audited object) and returns the summary with the top K.
 */
export async function auditLabels(options: {
  prisma: PrismaClient;
  modelIds: number[];
  datasetId?: number;
  /** Cross-fitting folds (≥ 2), or 0 to score with the stored models as trained. */
  folds: number;
  top: number;
  /** Override the stored recipe's epochs and patience (cross-fitting only). */
  epochs?: number;
  patience?: number;
  seed?: number;
  home: string;
  signal?: AbortSignal;
  onProgress?: (progress: AuditProgress) => void;
  onWarning?: (message: string) => void;
}): Promise<AuditResult> {
  const started = performance.now();
  const { prisma, folds } = options;
  if (options.modelIds.length === 0) throw badInput("name at least one model to audit with", "model");
  if (folds === 1 || folds < 0 || !Number.isInteger(folds))
    throw badInput(`folds must be 0 (the models as trained) or at least 2; got ${folds}`, "folds");
  if (!Number.isInteger(options.top) || options.top < 1)
    throw badInput(`top must be a positive integer; got ${options.top}`, "top");
  const first = await prisma.trainedModel.findUnique({ where: { id: options.modelIds[0] as number } });
  if (!first) throw new MacnetError(`No model with id ${options.modelIds[0]}`, "MODEL_NOT_FOUND");
  const datasetId = options.datasetId ?? first.datasetId;
  if (datasetId === null || datasetId === undefined)
    throw new MacnetError(`Model ${first.id} has no dataset: name one with --dataset`, "DATASET_NOT_FOUND");
  const dataset = await prisma.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) throw new MacnetError(`No dataset with id ${datasetId}`, "DATASET_NOT_FOUND");

  const scores: Scores[] = [];
  const models: TrainedModel[] = [];
  for (const modelId of options.modelIds) {
    const context = await storedModelContext({ prisma, modelId, home: options.home, datasetId });
    models.push(context.stored);
    const { cache, shapes, stored, config } = context;
    const labelled = cache.manifest.labels.flatMap((label, i) => (label >= 0 ? [i] : []));
    const labels = cache.manifest.labels;
    const objectIdOf = (index: number) => cache.manifest.objectIds[index] as number;
    const modelScores: Scores = new Map();
    if (folds === 0) {
      options.onProgress?.({ modelId, fold: 0, folds });
      const trainedOn = stored.datasetId
        ? new Set(
            (
              await prisma.datasetMember.findMany({
                where: { datasetId: stored.datasetId, split: "TRAIN" },
                select: { objectId: true },
              })
            ).map((m) => m.objectId),
          )
        : new Set<number>();
      const model = await loadModel(stored.weightsUri);
      try {
        const temperature = await ensureTemperature({
          prisma,
          modelId,
          home: options.home,
          loaded: { model, context },
        });
        const { rows } = await predictIndices(model, cache, labelled, shapes);
        labelled.forEach((index, r) => {
          modelScores.set(objectIdOf(index), {
            probabilities: applyTemperature(rows[r] as number[], temperature),
            label: labels[index] as number,
            inSample: trainedOn.has(objectIdOf(index)),
          });
        });
      } finally {
        model.dispose();
      }
    } else {
      const recipe = stored.hyperParameters as StoredRecipe;
      const seed = options.seed ?? recipe.seed ?? 1;
      const assignment = stratifiedFolds(labelled, labels, folds, seed);
      for (let fold = 0; fold < folds; fold++) {
        const heldOut = labelled.filter((_, i) => assignment[i] === fold);
        const rest = labelled.filter((_, i) => assignment[i] !== fold);
        if (heldOut.length === 0) continue;
        // A ninth of the training folds (stratified) steers early stopping and the temperature.
        const inner = stratifiedFolds(rest, labels, 9, seed + fold + 1);
        const train = rest.filter((_, i) => inner[i] !== 0);
        const val = rest.filter((_, i) => inner[i] === 0);
        const choice: ClassWeightsChoice =
          recipe.classWeightsMode === "custom" && recipe.classWeights
            ? recipe.classWeights
            : recipe.classWeightsMode === "paper"
              ? "paper"
              : "balanced";
        const { weights } = resolveClassWeights(
          choice,
          train.map((i) => labels[i] as number),
        );
        const network = buildModel(stored.architecture, config);
        const learningRate = recipe.learningRate ?? 0.001;
        const epochs = options.epochs ?? recipe.epochs ?? 300;
        const schedule = recipe.lrSchedule ?? "constant";
        const warmup = Math.min(recipe.warmupEpochs ?? 0, epochs - 1);
        const optimizer = makeOptimizer(recipe.optimizer ?? "adagrad", learningRate);
        network.compile({
          optimizer,
          loss: weightedCrossEntropy(weights, recipe.labelSmoothing ?? 0),
          metrics: ["accuracy"],
        });
        let best: tf.Tensor[] | null = null;
        try {
          const outcome = await fitEpochs(
            network,
            cache,
            train,
            val,
            shapes,
            {
              epochs,
              batchSize: recipe.batchSize ?? 4,
              patience: options.patience ?? recipe.patience ?? 50,
              seed: seed + fold,
              augmentation:
                recipe.augmentation === "none" || !ARCHITECTURE_INPUTS[stored.architecture].includes("image")
                  ? "none"
                  : "dihedral",
              shiftPx: recipe.shiftPx ?? 0,
              classWeights: weights,
              learningRate: {
                optimizer,
                at: (epoch) => learningRateAt(learningRate, epoch, epochs, schedule, warmup),
              },
              signal: options.signal,
              onProgress: (train) => options.onProgress?.({ modelId, fold: fold + 1, folds, train }),
              onWarning: (message) => options.onWarning?.(`model ${modelId}'s recipe, fold ${fold + 1}: ${message}`),
            },
            freshFitState(),
            (improved) => {
              if (!improved) return;
              for (const tensor of best ?? []) tensor.dispose();
              best = network.getWeights().map((w) => w.clone());
            },
          );
          if (outcome.status === "cancelled") throw new MacnetError("audit cancelled", "CANCELLED");
          if (best) network.setWeights(best);
          const calibration = await predictIndices(network, cache, val, shapes);
          const temperature = fitTemperature(calibration.rows, calibration.labels);
          const { rows } = await predictIndices(network, cache, heldOut, shapes);
          heldOut.forEach((index, r) => {
            modelScores.set(objectIdOf(index), {
              probabilities: applyTemperature(rows[r] as number[], temperature),
              label: labels[index] as number,
              inSample: false,
            });
          });
        } finally {
          for (const tensor of (best as tf.Tensor[] | null) ?? []) tensor.dispose();
          network.dispose();
          optimizer.dispose();
        }
      }
    }
    scores.push(modelScores);
  }

  const ranked = rankEntries(scores, (label) => CLASSES[label] as ClassName);
  if (ranked.length === 0)
    throw new MacnetError(
      `Dataset ${dataset.name} v${dataset.version} has no labelled objects the models can score`,
      "DATASET_EMPTY",
    );
  const truthRows = await prisma.$queryRaw<Array<{ object_id: number; true_class: ClassName }>>`
    SELECT o.id AS object_id, t.true_class::text AS true_class
      FROM label_truth t JOIN celestial_object o ON o.obsid = t.obsid
     WHERE o.id = ANY(${ranked.map((e) => e.objectId)}::int[])`;
  const truthOf = new Map(truthRows.map((row) => [row.object_id, row.true_class]));
  const entries: AuditEntry[] = ranked.map((entry, i) => {
    const trueClass = truthOf.get(entry.objectId);
    return { rank: i + 1, ...entry, ...(trueClass ? { trueClass } : {}) };
  });
  let truth: AuditTruth | null = null;
  if (truthOf.size > 0) {
    const planted = entries.filter((e) => e.trueClass !== undefined && e.trueClass !== e.catalogueClass).length;
    truth = {
      withTruth: entries.filter((e) => e.trueClass !== undefined).length,
      planted,
      ...recallAt(entries, options.top, planted),
      atTwicePlanted: recallAt(entries, 2 * planted, planted),
    };
  }
  const contradicted = entries.filter((e) => e.suggestedClass !== e.catalogueClass).length;
  const inSample = entries.filter((e) => e.inSample).length;
  const modelList = models.map((m) => ({ id: m.id, name: m.name, architecture: m.architecture }));
  const summary = {
    dataset: { id: dataset.id, name: dataset.name, version: dataset.version },
    models: modelList,
    folds,
    objects: entries.length,
    contradicted,
    inSample,
    top: options.top,
    truth,
  };
  const audit = await prisma.labelAudit.create({
    data: {
      datasetId,
      modelIds: options.modelIds,
      folds,
      objects: entries.length,
      contradicted,
      summary: summary as unknown as Prisma.InputJsonValue,
    },
  });
  for (let i = 0; i < entries.length; i += 5000) {
    await prisma.labelAuditEntry.createMany({
      data: entries.slice(i, i + 5000).map((e) => ({
        auditId: audit.id,
        rank: e.rank,
        objectId: e.objectId,
        catalogueClass: e.catalogueClass,
        suggestedClass: e.suggestedClass,
        pCatalogue: e.pCatalogue,
        probGalaxy: e.probabilities.GALAXY,
        probQso: e.probabilities.QSO,
        probStar: e.probabilities.STAR,
        votes: e.votes,
        inSample: e.inSample,
      })),
    });
  }
  return {
    auditId: audit.id,
    ...summary,
    entries: entries.slice(0, options.top),
    durationS: Math.round((performance.now() - started) / 100) / 10,
  };
}
