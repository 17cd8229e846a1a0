import { OBJECT_CLASSES } from "@macnet/core";
import type { ObjectClass, PrismaClient } from "@macnet/db";

export const CLASS_ORDER = OBJECT_CLASSES;

/**
 * A model row with a prediction for each object (the class and confidence `predict` gives; the other
 * two classes share the rest) and a test-split evaluation: what API and dashboard tests need to show
 * and compare models without training any.
 */
export async function createScoredModel(
  prisma: PrismaClient,
  options: {
    name: string;
    architecture: "MAC_NET" | "C_NET";
    datasetId: number;
    parameterCount: number;
    backend?: string;
    objects: { id: number; catalogClass: ObjectClass | null }[];
    predict: (object: { id: number; catalogClass: ObjectClass | null }, index: number) => [ObjectClass, number];
    evaluation: {
      accuracy: number;
      confusionMatrix: number[];
      inferenceMsPerObject: number;
      objectCount: number;
      metric: (cls: ObjectClass, index: number) => { precision: number; recall: number; f1: number; support: number };
    };
  },
): Promise<number> {
  const { id } = await prisma.trainedModel.create({
    data: {
      name: options.name,
      architecture: options.architecture,
      compact: true,
      datasetId: options.datasetId,
      weightsUri: "",
      parameterCount: options.parameterCount,
      backend: options.backend ?? null,
    },
  });
  await prisma.prediction.createMany({
    data: options.objects.map((object, index) => {
      const [predictedClass, confidence] = options.predict(object, index);
      const rest = (1 - confidence) / 2;
      return {
        modelId: id,
        objectId: object.id,
        predictedClass,
        probGalaxy: predictedClass === "GALAXY" ? confidence : rest,
        probQso: predictedClass === "QSO" ? confidence : rest,
        probStar: predictedClass === "STAR" ? confidence : rest,
        confidence,
      };
    }),
  });
  const { metric, ...evaluation } = options.evaluation;
  await prisma.modelEvaluation.create({
    data: {
      modelId: id,
      split: "TEST",
      classOrder: [...CLASS_ORDER],
      ...evaluation,
      classMetrics: { create: CLASS_ORDER.map((cls, k) => ({ class: cls, ...metric(cls, k) })) },
    },
  });
  return id;
}
