export { type ExecutionContext, jobCheckpointDir } from "./execute.ts";
export {
  type JobKindName,
  type JobParams,
  type JobParamsInput,
  ZClassifyJob,
  ZEvaluateJob,
  ZJobParams,
  ZSweepJob,
  ZTrainJob,
} from "./params.ts";
export { migrateQueue, NOTIFY_CHANNEL } from "./queue.ts";
export {
  type CancelResult,
  cancelJob,
  type EpochView,
  getJob,
  getJobs,
  type JobsContext,
  type JobView,
  listJobs,
  recoverStaleJobs,
  submitJob,
  ZListJobsInput,
} from "./service.ts";
export {
  CPU_RECIPE,
  GPU_RECIPE,
  planTraining,
  type TrainingPlan,
  type TrainingPlanInput,
  type TrainingRecipeDefaults,
} from "./training-plan.ts";
export { describeDevice, type RunningWorker, startWorker, type WorkerOptions } from "./worker.ts";
