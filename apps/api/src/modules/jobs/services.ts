// Launching and cancelling jobs (admins only) through the job service.
import { cancelJob, getJob, type JobParamsInput, submitJob } from "@macnet/jobs";
import type { Context } from "../../context.ts";
import { parseId, requireAdmin } from "../../errors.ts";

export async function launchJob(context: Context, action: string, params: JobParamsInput) {
  const viewer = requireAdmin(context, action);
  return submitJob({ prisma: context.prisma, databaseUrl: context.databaseUrl }, params, { launchedById: viewer.id });
}

export async function cancelJobAsAdmin(context: Context, id: string) {
  requireAdmin(context, "cancel jobs");
  const jobId = parseId(id, "id");
  await cancelJob(context.prisma, jobId);
  return getJob(context.prisma, jobId);
}
