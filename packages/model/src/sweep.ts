// The pixel-interval sweep of paper §4.5: C-Net trained on each of four windows per arm (500–2500,
// 1000–3000, 1500–3500, 2000–4000) with the other arm's window fixed, and per-class precision and
// F1 per window. Each window is a dataset version of its own (same seed, same objects, so the same
// split), each run a stored model with its evaluation, so the sweep's table can be rebuilt any time.
import { MacnetError, type PrismaClient } from "@macnet/db";
import type { Architecture, ModelConfig } from "./architectures.ts";
import { createDataset } from "./datasets.ts";
import { evaluateModel } from "./evaluate.ts";
import { trainModel } from "./train.ts";

export const PAPER_WINDOW_STARTS = [500, 1000, 1500, 2000];

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
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  backend?: string;
  onRun?: (row: SweepRow, index: number, total: number) => void;
}): Promise<{ arch: Architecture; baseDatasetId: number; rows: SweepRow[] }> {
  const arch = options.arch ?? "C_NET";
  const base = await options.prisma.dataset.findUnique({ where: { id: options.datasetId } });
  if (!base) throw new MacnetError(`No dataset with id ${options.datasetId}`, "DATASET_NOT_FOUND");
  const width = base.blueWindowEnd - base.blueWindowStart;
  const starts = options.starts ?? PAPER_WINDOW_STARTS;
  const plan = (["blue", "red"] as const).flatMap((arm) => starts.map((start) => ({ arm, start })));
  const rows: SweepRow[] = [];
  for (const [index, { arm, start }] of plan.entries()) {
    const window: [number, number] = [start, start + width];
    const dataset = await createDataset(options.prisma, {
      name: `${base.name}-sweep-${arm}-${start}`,
      seed: base.seed,
      ratios: [base.ratioTrain, base.ratioVal, base.ratioTest],
      blue: arm === "blue" ? window : [base.blueWindowStart, base.blueWindowEnd],
      red: arm === "red" ? window : [base.redWindowStart, base.redWindowEnd],
      source: base.sourceFilter ?? undefined,
    });
    const trained = await trainModel({
      prisma: options.prisma,
      datasetId: dataset.id,
      arch,
      config: options.config,
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      patience: options.patience,
      home: options.home,
      backend: options.backend,
    });
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
  return { arch, baseDatasetId: base.id, rows };
}
