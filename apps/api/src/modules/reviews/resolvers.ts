// The TensorFlow.js-free parts of @macnet/model: the API never loads the networks.
import { createReviewedDataset, mayReview, reviewLabel, reviewQueue } from "@macnet/model/reviews";
import type { Context } from "../../context.ts";
import { asUserError, badInput, parseId, refusal, requireAdmin, requireViewer } from "../../errors.ts";
import type { Resolvers } from "../../generated/resolvers-types.ts";

/** Most verdicts one list field returns, and most queue entries one request reads. */
export const MAX_OBJECT_VERDICTS = 200;
export const MAX_VERDICTS = 500;
export const MAX_QUEUE = 100;

function limitOf(value: number | null | undefined, fallback: number, max: number): number {
  const limit = value ?? fallback;
  if (limit < 0 || limit > max) throw badInput(`limit must be in [0, ${max}]`, "limit");
  return limit;
}

async function verdictsOf(context: Context, objectId: number, limit: number) {
  return (await context.loaders.verdictsByObject.load(objectId)).slice(0, limit);
}

export const reviewsResolvers: Resolvers = {
  Query: {
    reviewQueue: (_parent, args, context) => {
      const viewer = requireViewer(context);
      return reviewQueue(context.prisma, {
        auditId: parseId(args.auditId, "auditId"),
        reviewerId: viewer.id,
        limit: limitOf(args.limit, 20, MAX_QUEUE),
        afterRank: Math.max(0, args.afterRank ?? 0),
        onlyContradicted: args.onlyContradicted ?? false,
      });
    },
    labelVerdicts: (_parent, args, context) => {
      requireViewer(context);
      if (args.reviewer && args.reviewer.length > 200)
        throw badInput("reviewer must be at most 200 characters", "reviewer");
      return context.prisma.labelVerdict.findMany({
        where: {
          ...(args.objectId ? { objectId: parseId(args.objectId, "objectId") } : {}),
          ...(args.auditId ? { auditId: parseId(args.auditId, "auditId") } : {}),
          ...(args.reviewer ? { reviewerName: args.reviewer } : {}),
        },
        orderBy: { id: "desc" },
        take: limitOf(args.limit, 50, MAX_VERDICTS),
      });
    },
  },
  Mutation: {
    reviewLabel: async (_parent, { input }, context) => {
      const viewer = requireViewer(context);
      // Refused like every role check of the API: a FORBIDDEN error, not a UserError.
      if (!mayReview(viewer.role))
        throw refusal("FORBIDDEN", `Only a SCIENTIST or ADMIN may review labels (you are ${viewer.role})`);
      try {
        const verdict = await reviewLabel(context.prisma, viewer, {
          objectId: parseId(input.objectId, "objectId"),
          verdict: input.verdict,
          correctedClass: input.correctedClass ?? null,
          comment: input.comment ?? null,
          auditId: input.auditId ? parseId(input.auditId, "auditId") : null,
        });
        return { verdict, error: null };
      } catch (error) {
        return { verdict: null, error: asUserError(error) };
      }
    },
    createReviewedDataset: async (_parent, args, context) => {
      try {
        const viewer = requireAdmin(context, "create datasets");
        const summary = await createReviewedDataset(context.prisma, {
          from: parseId(args.datasetId, "datasetId"),
          createdById: viewer.id,
        });
        return { dataset: await context.prisma.dataset.findUnique({ where: { id: summary.id } }), error: null };
      } catch (error) {
        return { dataset: null, error: asUserError(error) };
      }
    },
  },
  LabelVerdict: {
    id: (v) => String(v.id),
    object: async (v, _args, context) => {
      const object = await context.loaders.object.load(v.objectId);
      if (!object) throw new Error(`Object ${v.objectId} disappeared while the request ran`);
      return object;
    },
    reviewer: (v) => v.reviewerName,
    auditId: (v) => (v.auditId === null ? null : String(v.auditId)),
  },
  CelestialObject: {
    verdicts: (o, args, context) => verdictsOf(context, o.id, limitOf(args.limit, 50, MAX_OBJECT_VERDICTS)),
    label: async (o, args, { loaders }) =>
      (await loaders.membership.load(`${parseId(args.datasetId, "datasetId")}:${o.id}`))?.label ?? null,
  },
  LabelAuditEntry: {
    verdicts: (e, args, context) => verdictsOf(context, e.objectId, limitOf(args.limit, 50, MAX_OBJECT_VERDICTS)),
  },
  Dataset: {
    parent: (d, _args, context) => (d.parentId === null ? null : context.loaders.dataset.load(d.parentId)),
  },
};
