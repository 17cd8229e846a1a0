// What resolvers of each GraphQL type receive as their parent: database rows (and the job service's
// view), shaped into the schema by the field resolvers.
import type { Prisma } from "@macnet/db";
import type { JobView } from "@macnet/jobs";

export type CelestialObject = Prisma.CelestialObjectGetPayload<object>;
export type Model = Prisma.TrainedModelGetPayload<object>;
export type Dataset = Prisma.DatasetGetPayload<object>;
export type Job = JobView;
export type Evaluation = Prisma.ModelEvaluationGetPayload<{ include: { classMetrics: true } }>;
export type Prediction = Prisma.PredictionGetPayload<object>;
export type ActivationMap = Prisma.ActivationMapGetPayload<object>;
export type ApiKey = Prisma.ApiKeyGetPayload<object>;
export type Strip = Prisma.Spectrum2DGetPayload<object>;
export type Spectrum1D = Prisma.Spectrum1DGetPayload<object>;
export type Cutout = Prisma.CutoutGetPayload<object>;
