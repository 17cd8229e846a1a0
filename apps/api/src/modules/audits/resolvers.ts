import type { AuditTruth } from "@macnet/model";
import { CONTRADICTED } from "@macnet/model/reviews";
import type { Context } from "../../context.ts";
import { badInput, parseId, requireViewer } from "../../errors.ts";
import type { Resolvers } from "../../generated/resolvers-types.ts";

/** Most entries one request reads. */
export const MAX_AUDIT_ENTRIES = 500;

type AuditSummary = { inSample?: number; truth?: AuditTruth | null };

async function modelsOf(context: Context, ids: number[]) {
  const models = await context.loaders.model.loadMany(ids);
  return models.filter((m): m is Exclude<typeof m, Error | null> => m !== null && !(m instanceof Error));
}

export const auditsResolvers: Resolvers = {
  Query: {
    labelAudits: (_parent, args, context) => {
      requireViewer(context);
      const datasetId = args.datasetId ? parseId(args.datasetId, "datasetId") : undefined;
      return context.prisma.labelAudit.findMany({
        where: datasetId === undefined ? {} : { datasetId },
        orderBy: { id: "desc" },
        take: 100,
      });
    },
    labelAudit: (_parent, args, context) => {
      requireViewer(context);
      return context.prisma.labelAudit.findUnique({ where: { id: parseId(args.id, "id") } });
    },
  },
  LabelAudit: {
    id: (audit) => String(audit.id),
    dataset: (audit, _args, context) => context.loaders.dataset.load(audit.datasetId),
    models: (audit, _args, context) => modelsOf(context, audit.modelIds),
    inSample: (audit) => (audit.summary as AuditSummary).inSample ?? 0,
    truth: (audit) => {
      const truth = (audit.summary as AuditSummary).truth;
      if (!truth) return null;
      const { k, found, recall, precision } = truth;
      return { ...truth, atTop: { k, found, recall, precision } };
    },
    entries: (audit, args, context) => {
      const limit = args.limit ?? 50;
      const offset = args.offset ?? 0;
      if (limit < 0 || limit > MAX_AUDIT_ENTRIES) throw badInput(`limit must be in [0, ${MAX_AUDIT_ENTRIES}]`, "limit");
      if (offset < 0) throw badInput("offset must not be negative", "offset");
      return context.prisma.labelAuditEntry.findMany({
        where: {
          auditId: audit.id,
          ...(args.onlyContradicted ? CONTRADICTED : {}),
        },
        orderBy: { rank: "asc" },
        skip: offset,
        take: limit,
        include: { object: true },
      });
    },
  },
  LabelAuditEntry: {
    object: (entry) => entry.object,
  },
};
