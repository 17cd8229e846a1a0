import { MacnetError } from "@macnet/db";
import { badInput, parseId, requireViewer } from "../../errors.ts";
import type { ReliabilityBin, Resolvers } from "../../generated/resolvers-types.ts";
import type { Evaluation } from "../../mappers.ts";

const MAX_COMPARED = 12;

/** The row-major confusion matrix as rows. */
function matrix(evaluation: Evaluation): number[][] {
  const n = evaluation.classOrder.length;
  return Array.from({ length: n }, (_, r) => evaluation.confusionMatrix.slice(r * n, (r + 1) * n));
}

export const modelsResolvers: Resolvers = {
  Query: {
    models: (_parent, args, context) => {
      requireViewer(context);
      return context.prisma.trainedModel.findMany({
        where: args.architecture ? { architecture: args.architecture } : {},
        orderBy: { id: "asc" },
      });
    },
    model: (_parent, args, context) => {
      requireViewer(context);
      return context.loaders.model.load(parseId(args.id, "id"));
    },
    compareModels: async (_parent, args, context) => {
      requireViewer(context);
      if (args.ids.length === 0 || args.ids.length > MAX_COMPARED) {
        throw badInput(`compareModels takes 1 to ${MAX_COMPARED} ids`, "ids");
      }
      const ids = args.ids.map((id) => parseId(id, "ids"));
      const models = await Promise.all(ids.map((id) => context.loaders.requiredModel(id).catch(() => null)));
      const missing = ids.filter((_, i) => !models[i]);
      if (missing.length > 0) {
        throw new MacnetError(`No model with id ${missing.join(", ")}`, "MODEL_NOT_FOUND", "ids");
      }
      const split = args.split ?? "TEST";
      const evaluations = await Promise.all(
        ids.map(
          async (id) => (await context.loaders.evaluationsByModel.load(id)).find((e) => e.split === split) ?? null,
        ),
      );
      const reference = evaluations[0] ? matrix(evaluations[0]) : null;
      return {
        models: models.filter((m) => m !== null),
        split,
        evaluations,
        confusionDifferences: evaluations.map((e) => {
          if (!e || !reference) return null;
          return matrix(e).map((row, r) => row.map((v, c) => v - (reference[r]?.[c] ?? 0)));
        }),
      };
    },
  },
  Model: {
    id: (m) => String(m.id),
    dataset: (m, _args, { loaders }) => (m.datasetId === null ? null : loaders.dataset.load(m.datasetId)),
    job: (m, _args, { loaders }) => (m.jobId === null ? null : loaders.job.load(m.jobId)),
    blueWindow: (m) => (m.blueWindowStart === null ? null : [m.blueWindowStart, m.blueWindowEnd as number]),
    redWindow: (m) => (m.redWindowStart === null ? null : [m.redWindowStart, m.redWindowEnd as number]),
    evaluation: async (m, args, { loaders }) =>
      (await loaders.evaluationsByModel.load(m.id)).find((e) => e.split === (args.split ?? "TEST")) ?? null,
    evaluations: (m, _args, { loaders }) => loaders.evaluationsByModel.load(m.id),
  },
  Evaluation: {
    confusionMatrix: (e) => matrix(e),
    perClass: (e) => e.classMetrics.map((m) => ({ ...m, class: m.class })),
    reliability: (e) => (e.reliability as { calibrated?: ReliabilityBin[] } | null)?.calibrated ?? null,
    reliabilityUncalibrated: (e) => (e.reliability as { uncalibrated?: ReliabilityBin[] } | null)?.uncalibrated ?? null,
  },
};
