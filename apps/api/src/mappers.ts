// What resolvers of each GraphQL type receive as their parent: database rows (and the job service's
// view), shaped into the schema by the field resolvers.
import type { ObjectClass, Prisma } from "@macnet/db";
import type { JobView } from "@macnet/jobs";

type ObjectRow = Prisma.CelestialObjectGetPayload<object>;
/**
 * A celestial object as its resolvers read it: a whole Prisma row, or a row of the objects page, which
 * holds the columns the operation asks for (always id and catalogue class), its 64-bit ids as text.
 */
export type CelestialObject = { id: number; catalogClass: ObjectClass | null } & Partial<
  Omit<ObjectRow, "id" | "catalogClass" | "obsid" | "sdssObjId">
> & { obsid?: bigint | string | null; sdssObjId?: bigint | string | null };
export type Model = Prisma.TrainedModelGetPayload<object>;
export type Dataset = Prisma.DatasetGetPayload<object>;
export type Job = JobView;
export type Evaluation = Prisma.ModelEvaluationGetPayload<{ include: { classMetrics: true } }>;
/** A prediction as its resolvers read it (the columns the GraphQL type shows). */
export type Prediction = Pick<
  Prisma.PredictionGetPayload<object>,
  "modelId" | "objectId" | "predictedClass" | "probStar" | "probGalaxy" | "probQso" | "confidence"
>;
export type ActivationMap = Prisma.ActivationMapGetPayload<object>;
export type ApiKey = Prisma.ApiKeyGetPayload<object>;
export type Strip = Prisma.Spectrum2DGetPayload<object>;
export type Spectrum1D = Prisma.Spectrum1DGetPayload<object>;
export type Cutout = Prisma.CutoutGetPayload<object>;
export type LabelAudit = Prisma.LabelAuditGetPayload<object>;
export type LabelAuditEntry = Prisma.LabelAuditEntryGetPayload<{ include: { object: true } }>;
export type LabelVerdict = Prisma.LabelVerdictGetPayload<object>;
