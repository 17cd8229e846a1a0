import { createDataset } from "@macnet/model/datasets";
import type { Context } from "../../context.ts";
import { asUserError, parseId, requireAdmin, requireViewer } from "../../errors.ts";
import type { CreateDatasetInput, Resolvers } from "../../generated/resolvers-types.ts";

type Counts = Partial<Record<"TRAIN" | "VAL" | "TEST", Partial<Record<"GALAXY" | "QSO" | "STAR", number>>>>;

/** Admin only: a new dataset (version) from the labelled objects. */
async function createDatasetAsAdmin(context: Context, input: CreateDatasetInput) {
  const viewer = requireAdmin(context, "create datasets");
  const summary = await createDataset(context.prisma, {
    name: input.name,
    ...(input.seed === null || input.seed === undefined ? {} : { seed: input.seed }),
    ...(input.ratios ? { ratios: input.ratios as [number, number, number] } : {}),
    ...(input.blueWindow ? { blue: input.blueWindow as [number, number] } : {}),
    ...(input.redWindow ? { red: input.redWindow as [number, number] } : {}),
    ...(input.source ? { source: input.source } : {}),
  });
  return context.prisma.dataset.update({ where: { id: summary.id }, data: { createdById: viewer.id } });
}

export const datasetsResolvers: Resolvers = {
  Query: {
    datasets: (_parent, _args, context) => {
      requireViewer(context);
      return context.prisma.dataset.findMany({ orderBy: [{ name: "asc" }, { version: "asc" }] });
    },
    dataset: (_parent, args, context) => {
      requireViewer(context);
      return context.prisma.dataset.findUnique({ where: { id: parseId(args.id, "id") } });
    },
  },
  Mutation: {
    createDataset: async (_parent, args, context) => {
      try {
        return { dataset: await createDatasetAsAdmin(context, args.input), error: null };
      } catch (error) {
        return { dataset: null, error: asUserError(error) };
      }
    },
  },
  Dataset: {
    id: (d) => String(d.id),
    ratios: (d) => [d.ratioTrain, d.ratioVal, d.ratioTest],
    blueWindow: (d) => [d.blueWindowStart, d.blueWindowEnd],
    redWindow: (d) => [d.redWindowStart, d.redWindowEnd],
    source: (d) => d.sourceFilter,
    splits: (d) => {
      const counts = d.classCounts as Counts;
      return (["TRAIN", "VAL", "TEST"] as const).map((split) => {
        const c = counts[split] ?? {};
        const galaxy = c.GALAXY ?? 0;
        const qso = c.QSO ?? 0;
        const star = c.STAR ?? 0;
        return { split, galaxy, qso, star, total: galaxy + qso + star };
      });
    },
    members: (d) => {
      const counts = d.classCounts as Counts;
      return Object.values(counts).reduce(
        (sum, c) => sum + Object.values(c ?? {}).reduce((a, n) => a + (n ?? 0), 0),
        0,
      );
    },
  },
};
