-- AlterEnum
ALTER TYPE "IngestRunStatus" ADD VALUE 'INTERRUPTED';

-- AlterTable
ALTER TABLE "ingest_run" ADD COLUMN     "heartbeat_at" TIMESTAMP(3),
ADD COLUMN     "host" TEXT,
ADD COLUMN     "pid" INTEGER,
ADD COLUMN     "resumed_run_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
