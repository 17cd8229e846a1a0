import type { PrismaClient } from "@macnet/db";
import { getJob, type JobView } from "@macnet/jobs";

/** Polls the job row until `done` holds (the condition, not a time, decides; the test timeout bounds it). */
export async function waitForJob(prisma: PrismaClient, id: number, done: (job: JobView) => boolean): Promise<JobView> {
  for (;;) {
    const job = await getJob(prisma, id);
    if (done(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
