// The pixel-interval sweep of paper §4.5: C-Net trained on each of four windows per arm (500–2500,
// 1000–3000, 1500–3500, 2000–4000) with the other arm's window fixed, and per-class precision and
// F1 per window. Each window is a dataset version of its own (same seed, same objects, so the same
// split), each run a stored model with its evaluation, so the sweep's table can be rebuilt any time.
import { join } from "node:path";
import { MacnetError, type PrismaClient } from "@macnet/db";
import type { Architecture, ModelConfig } from "./architectures.ts";
import { createDataset } from "./datasets.ts";
import { evaluateModel } from "./evaluate.ts";
import type { TrainProgress } from "./fit.ts";
import { PAPER_WINDOW_STARTS } from "./names.ts";
import { type TrainingRecipe, trainModel } from "./train.ts";

export { PAPER_WINDOW_STARTS };

export interface SweepRow {
  arm: "blue" | "red";
  window: [number, number];
  datasetId: number;
  modelId: number | null;
  accuracy: number | null;
  perClass: Record<string, { precision: number; f1: number }>;
}

export async function sweepIntervals(options: {
  prisma: PrismaClient;
  datasetId: number;
  arch?: Architecture;
  config: ModelConfig;
  home: string;
  starts?: number[];
  /** Each run's hyper-parameters (trainModel's defaults where absent). */
  recipe?: TrainingRecipe;
  backend?: string;
  device?: string;
  artifactsDir?: string;
  /** Set by the job system: each run's checkpoints under `<checkpointRoot>/<arm>-<start>`, so a
   * resumed sweep reuses its finished runs and continues an interrupted one. */
  checkpointRoot?: string;
  jobId?: number;
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress, run: number, runs: number) => void;
  onRun?: (row: SweepRow, index: number, total: number) => void;
}): Promise<{ arch: Architecture; baseDatasetId: number; rows: SweepRow[]; status: "completed" | "cancelled" }> {
  const arch = options.arch ?? "C_NET";
  const base = await options.prisma.dataset.findUnique({ where: { id: options.datasetId } });
  if (!base) throw new MacnetError(`No dataset with id ${options.datasetId}`, "DATASET_NOT_FOUND");
  const width = base.blueWindowEnd - base.blueWindowStart;
  const starts = options.starts ?? PAPER_WINDOW_STARTS;
  const plan = (["blue", "red"] as const).flatMap((arm) => starts.map((start) => ({ arm, start })));
  const rows: SweepRow[] = [];
  for (const [index, { arm, start }] of plan.entries()) {
    const window: [number, number] = [start, start + width];
    const blue: [number, number] = arm === "blue" ? window : [base.blueWindowStart, base.blueWindowEnd];
    const red: [number, number] = arm === "red" ? window : [base.redWindowStart, base.redWindowEnd];
    const name = `${base.name}-sweep-${arm}-${start}`;
    // A resumed sweep job reuses the dataset version it created for this window before.
    const earlier = options.checkpointRoot
      ? await options.prisma.dataset.findFirst({
          where: {
            name,
            seed: base.seed,
            blueWindowStart: blue[0],
            blueWindowEnd: blue[1],
            redWindowStart: red[0],
            redWindowEnd: red[1],
          },
          orderBy: { version: "desc" },
        })
      : null;
    const dataset =
      earlier ??
      (await createDataset(options.prisma, {
        name,
        seed: base.seed,
        ratios: [base.ratioTrain, base.ratioVal, base.ratioTest],
        blue,
        red,
        source: base.sourceFilter ?? undefined,
      }));
    const finished =
      options.jobId === undefined
        ? null
        : await options.prisma.trainedModel.findFirst({
            where: { jobId: options.jobId, datasetId: dataset.id, architecture: arch },
          });
    const trained = finished
      ? { modelId: finished.id, status: "completed" as const }
      : await trainModel({
          prisma: options.prisma,
          datasetId: dataset.id,
          arch,
          config: options.config,
          ...options.recipe,
          home: options.home,
          artifactsDir: options.artifactsDir,
          checkpointDir: options.checkpointRoot ? join(options.checkpointRoot, `${arm}-${start}`) : undefined,
          backend: options.backend,
          device: options.device,
          jobId: options.jobId,
          signal: options.signal,
          onProgress: (progress) => options.onProgress?.(progress, index + 1, plan.length),
        });
    if (trained.status === "cancelled") return { arch, baseDatasetId: base.id, rows, status: "cancelled" };
    const row: SweepRow = {
      arm,
      window,
      datasetId: dataset.id,
      modelId: trained.modelId,
      accuracy: null,
      perClass: {},
    };
    if (trained.modelId !== null) {
      const evaluation = await evaluateModel({
        prisma: options.prisma,
        modelId: trained.modelId,
        home: options.home,
        backend: options.backend,
      });
      row.accuracy = evaluation.accuracy;
      row.perClass = Object.fromEntries(
        Object.entries(evaluation.perClass).map(([cls, m]) => [cls, { precision: m.precision, f1: m.f1 }]),
      );
    }
    rows.push(row);
    options.onRun?.(row, index + 1, plan.length);
  }
  return { arch, baseDatasetId: base.id, rows, status: "completed" };
}
