-- CreateTable
CREATE TABLE "object_key" (
    "key" TEXT NOT NULL,
    "object_id" INTEGER NOT NULL,

    CONSTRAINT "object_key_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "object_key_object_id_idx" ON "object_key"("object_id");

-- AddForeignKey
ALTER TABLE "object_key" ADD CONSTRAINT "object_key_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "celestial_object" ALTER COLUMN "ra_deg" DROP NOT NULL,
ALTER COLUMN "dec_deg" DROP NOT NULL;
