import { join } from "node:path";
import { MacnetError, type PrismaClient, type TrainedModel } from "@macnet/db";
import { type InputName, inputShapes, type ModelConfig, resolveConfig } from "./architectures.ts";
import { buildDatasetCache, type DatasetCache } from "./pipeline.ts";

export interface StoredModelContext {
  stored: TrainedModel;
  config: ModelConfig;
  shapes: Record<InputName, number[]>;
  /** The inputs of `datasetId` (default: the model's own dataset), preprocessed for this model. */
  cache: DatasetCache;
}

/** A trained model's row, configuration and the cached inputs of a dataset, with clear errors. */
export async function storedModelContext(options: {
  prisma: PrismaClient;
  modelId: number;
  home: string;
  datasetId?: number;
}): Promise<StoredModelContext> {
  const { prisma, modelId } = options;
  const stored = await prisma.trainedModel.findUnique({ where: { id: modelId } });
  if (!stored) throw new MacnetError(`No model with id ${modelId}`, "MODEL_NOT_FOUND");
  const datasetId = options.datasetId ?? stored.datasetId;
  if (datasetId === null || datasetId === undefined) {
    throw new MacnetError(`Model ${modelId} has no dataset: name one`, "DATASET_NOT_FOUND");
  }
  const config = resolveConfig(
    stored.compact ? "compact" : "full",
    (stored.hyperParameters as { config?: object }).config,
  );
  const cache = await buildDatasetCache({
    prisma,
    datasetId,
    arch: stored.architecture,
    config,
    cacheRoot: join(options.home, "cache"),
  });
  return { stored, config, shapes: inputShapes(stored.architecture, config), cache };
}
