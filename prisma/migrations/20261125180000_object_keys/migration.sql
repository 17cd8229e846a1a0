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

-- Raw float32 and RGB arrays do not compress: store them out of line uncompressed, which also makes
-- substring() of a pixel window cheap.
ALTER TABLE "spectrum_2d" ALTER COLUMN "data" SET STORAGE EXTERNAL;
ALTER TABLE "spectrum_1d" ALTER COLUMN "wavelength_angstrom" SET STORAGE EXTERNAL,
ALTER COLUMN "flux" SET STORAGE EXTERNAL,
ALTER COLUMN "ivar" SET STORAGE EXTERNAL;
ALTER TABLE "cutout" ALTER COLUMN "rgb" SET STORAGE EXTERNAL;
ALTER TABLE "activation_map" ALTER COLUMN "values" SET STORAGE EXTERNAL;
