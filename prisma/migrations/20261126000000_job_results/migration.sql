-- AlterTable
ALTER TABLE "job" ADD COLUMN     "result" JSONB;

-- CreateIndex
CREATE INDEX "job_status_heartbeat_at_idx" ON "job"("status", "heartbeat_at");
