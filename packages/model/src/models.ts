// Trained models as records: listing, and deletion that also removes the weights' folder (the
// database row is the only reference to it; evaluations, predictions and Grad-CAM maps go with it).
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MacnetError, type PrismaClient } from "@macnet/db";

export async function listModels(prisma: PrismaClient) {
  const models = await prisma.trainedModel.findMany({
    orderBy: { id: "asc" },
    include: {
      dataset: { select: { name: true, version: true } },
      evaluations: { where: { split: "TEST" }, select: { accuracy: true } },
    },
  });
  return models.map((m) => ({
    id: m.id,
    name: m.name,
    architecture: m.architecture,
    compact: m.compact,
    dataset: m.dataset ? `${m.dataset.name} v${m.dataset.version}` : null,
    jobId: m.jobId,
    parameterCount: m.parameterCount,
    epochsTrained: m.epochsTrained,
    testAccuracy: m.evaluations[0]?.accuracy ?? null,
    backend: m.backend,
    device: m.device,
    weightsUri: m.weightsUri,
    createdAt: m.createdAt.toISOString(),
  }));
}

/** Deletes model `id` and its stored weights; returns what was removed. */
export async function deleteModel(
  prisma: PrismaClient,
  id: number,
): Promise<{ id: number; removedFiles: string | null }> {
  const model = await prisma.trainedModel.findUnique({ where: { id } });
  if (!model) throw new MacnetError(`No model with id ${id}`, "MODEL_NOT_FOUND");
  await prisma.trainedModel.delete({ where: { id } });
  // Only a folder that holds a saved model is removed (a hand-edited weightsUri cannot point rm at anything else).
  const isModelFolder = model.weightsUri !== "" && existsSync(join(model.weightsUri, "model.json"));
  if (isModelFolder) rmSync(model.weightsUri, { recursive: true, force: true });
  return { id, removedFiles: isModelFolder ? model.weightsUri : null };
}
