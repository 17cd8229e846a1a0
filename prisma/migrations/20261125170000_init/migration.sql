-- CreateEnum
CREATE TYPE "ObjectClass" AS ENUM ('STAR', 'GALAXY', 'QSO');

-- CreateEnum
CREATE TYPE "SpectrographArm" AS ENUM ('BLUE', 'RED');

-- CreateEnum
CREATE TYPE "Modality" AS ENUM ('SPECTRUM_2D', 'SPECTRUM_1D', 'CUTOUT');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('COLLABORATOR', 'SCIENTIST', 'ADMIN');

-- CreateEnum
CREATE TYPE "Architecture" AS ENUM ('SSCNN_1D', 'M_NET', 'C_NET', 'MC_NET', 'MAC_NET', 'IMAGE_NET');

-- CreateEnum
CREATE TYPE "DatasetSplit" AS ENUM ('TRAIN', 'VAL', 'TEST');

-- CreateEnum
CREATE TYPE "JobKind" AS ENUM ('TRAIN', 'EVALUATE', 'CLASSIFY', 'SWEEP');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "IngestRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "ActivationTarget" AS ENUM ('BLUE', 'RED', 'IMAGE');

-- CreateTable
CREATE TABLE "observing_plan" (
    "id" SERIAL NOT NULL,
    "plan_id" TEXT NOT NULL,
    "obs_date" DATE,
    "lmjd" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "observing_plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "celestial_object" (
    "id" SERIAL NOT NULL,
    "obsid" BIGINT,
    "designation" TEXT,
    "sdss_objid" BIGINT,
    "ra_deg" DOUBLE PRECISION NOT NULL,
    "dec_deg" DOUBLE PRECISION NOT NULL,
    "catalog_class" "ObjectClass",
    "subclass" TEXT,
    "redshift" DOUBLE PRECISION,
    "plan_id" INTEGER,
    "spectrograph_id" INTEGER,
    "fiber_id" INTEGER,
    "source" TEXT NOT NULL,
    "release" TEXT,
    "magnitudes" JSONB,
    "missing_modalities" "Modality"[],
    "ingest_run_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "celestial_object_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spectrum_2d" (
    "id" SERIAL NOT NULL,
    "object_id" INTEGER NOT NULL,
    "arm" "SpectrographArm" NOT NULL,
    "width_px" INTEGER NOT NULL,
    "length_px" INTEGER NOT NULL,
    "pixel_start" INTEGER NOT NULL DEFAULT 0,
    "dtype" TEXT NOT NULL DEFAULT 'float32',
    "data" BYTEA NOT NULL,
    "wavelength_coeffs" DOUBLE PRECISION[],
    "mean" DOUBLE PRECISION NOT NULL,
    "std" DOUBLE PRECISION NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "source_file" TEXT,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spectrum_2d_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spectrum_1d" (
    "id" SERIAL NOT NULL,
    "object_id" INTEGER NOT NULL,
    "survey" TEXT NOT NULL,
    "n_pixels" INTEGER NOT NULL,
    "wavelength_angstrom" BYTEA NOT NULL,
    "flux" BYTEA NOT NULL,
    "ivar" BYTEA NOT NULL,
    "source_file" TEXT,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spectrum_1d_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cutout" (
    "id" SERIAL NOT NULL,
    "object_id" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "bands" TEXT NOT NULL DEFAULT 'gri',
    "width_px" INTEGER NOT NULL,
    "height_px" INTEGER NOT NULL,
    "pixel_scale_arcsec" DOUBLE PRECISION,
    "rgb" BYTEA NOT NULL,
    "source_format" TEXT NOT NULL,
    "source_file" TEXT,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cutout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_run" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "paths" TEXT[],
    "status" "IngestRunStatus" NOT NULL DEFAULT 'RUNNING',
    "counts" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "ingest_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_rejection" (
    "id" SERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "file_path" TEXT NOT NULL,
    "field" TEXT,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_rejection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingested_file" (
    "id" SERIAL NOT NULL,
    "content_hash" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "run_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingested_file_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "seed" INTEGER NOT NULL,
    "ratio_train" DOUBLE PRECISION NOT NULL,
    "ratio_val" DOUBLE PRECISION NOT NULL,
    "ratio_test" DOUBLE PRECISION NOT NULL,
    "blue_window_start" INTEGER NOT NULL,
    "blue_window_end" INTEGER NOT NULL,
    "red_window_start" INTEGER NOT NULL,
    "red_window_end" INTEGER NOT NULL,
    "source_filter" TEXT,
    "class_counts" JSONB NOT NULL DEFAULT '{}',
    "locked_at" TIMESTAMP(3),
    "created_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_member" (
    "dataset_id" INTEGER NOT NULL,
    "object_id" INTEGER NOT NULL,
    "split" "DatasetSplit" NOT NULL,

    CONSTRAINT "dataset_member_pkey" PRIMARY KEY ("dataset_id","object_id")
);

-- CreateTable
CREATE TABLE "job" (
    "id" SERIAL NOT NULL,
    "kind" "JobKind" NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "architecture" "Architecture",
    "dataset_id" INTEGER,
    "model_id" INTEGER,
    "parent_id" INTEGER,
    "hyper_parameters" JSONB NOT NULL DEFAULT '{}',
    "params" JSONB NOT NULL DEFAULT '{}',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "progress_detail" JSONB,
    "backend" TEXT,
    "device" TEXT,
    "error" TEXT,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "worker_id" TEXT,
    "heartbeat_at" TIMESTAMP(3),
    "checkpoint_uri" TEXT,
    "launched_by_id" INTEGER,
    "queued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_epoch" (
    "job_id" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "loss" DOUBLE PRECISION NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "val_loss" DOUBLE PRECISION,
    "val_accuracy" DOUBLE PRECISION,
    "duration_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "job_epoch_pkey" PRIMARY KEY ("job_id","epoch")
);

-- CreateTable
CREATE TABLE "trained_model" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "architecture" "Architecture" NOT NULL,
    "compact" BOOLEAN NOT NULL DEFAULT false,
    "dataset_id" INTEGER,
    "job_id" INTEGER,
    "hyper_parameters" JSONB NOT NULL DEFAULT '{}',
    "blue_window_start" INTEGER,
    "blue_window_end" INTEGER,
    "red_window_start" INTEGER,
    "red_window_end" INTEGER,
    "weights_uri" TEXT NOT NULL,
    "parameter_count" INTEGER NOT NULL,
    "backend" TEXT,
    "device" TEXT,
    "epochs_trained" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trained_model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_evaluation" (
    "id" SERIAL NOT NULL,
    "model_id" INTEGER NOT NULL,
    "split" "DatasetSplit" NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "class_order" "ObjectClass"[],
    "confusion_matrix" INTEGER[],
    "inference_ms_per_object" DOUBLE PRECISION NOT NULL,
    "object_count" INTEGER NOT NULL,
    "backend" TEXT,
    "evaluated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_class_metric" (
    "evaluation_id" INTEGER NOT NULL,
    "class" "ObjectClass" NOT NULL,
    "precision" DOUBLE PRECISION NOT NULL,
    "recall" DOUBLE PRECISION NOT NULL,
    "f1" DOUBLE PRECISION NOT NULL,
    "support" INTEGER NOT NULL,

    CONSTRAINT "model_class_metric_pkey" PRIMARY KEY ("evaluation_id","class")
);

-- CreateTable
CREATE TABLE "prediction" (
    "id" SERIAL NOT NULL,
    "model_id" INTEGER NOT NULL,
    "object_id" INTEGER NOT NULL,
    "predicted_class" "ObjectClass" NOT NULL,
    "prob_star" DOUBLE PRECISION NOT NULL,
    "prob_galaxy" DOUBLE PRECISION NOT NULL,
    "prob_qso" DOUBLE PRECISION NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "job_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "activation_map" (
    "id" SERIAL NOT NULL,
    "model_id" INTEGER NOT NULL,
    "object_id" INTEGER NOT NULL,
    "target" "ActivationTarget" NOT NULL,
    "target_class" "ObjectClass" NOT NULL,
    "method" TEXT NOT NULL DEFAULT 'grad-cam',
    "shape" INTEGER[],
    "values" BYTEA NOT NULL,
    "wavelength_angstrom" BYTEA,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "activation_map_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "password_hash" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "label" TEXT,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "observing_plan_plan_id_key" ON "observing_plan"("plan_id");

-- CreateIndex
CREATE UNIQUE INDEX "celestial_object_obsid_key" ON "celestial_object"("obsid");

-- CreateIndex
CREATE UNIQUE INDEX "celestial_object_sdss_objid_key" ON "celestial_object"("sdss_objid");

-- CreateIndex
CREATE INDEX "celestial_object_catalog_class_idx" ON "celestial_object"("catalog_class");

-- CreateIndex
CREATE INDEX "celestial_object_source_idx" ON "celestial_object"("source");

-- CreateIndex
CREATE INDEX "celestial_object_dec_deg_ra_deg_idx" ON "celestial_object"("dec_deg", "ra_deg");

-- CreateIndex
CREATE INDEX "celestial_object_plan_id_spectrograph_id_fiber_id_idx" ON "celestial_object"("plan_id", "spectrograph_id", "fiber_id");

-- CreateIndex
CREATE UNIQUE INDEX "spectrum_2d_object_id_arm_key" ON "spectrum_2d"("object_id", "arm");

-- CreateIndex
CREATE UNIQUE INDEX "spectrum_1d_object_id_survey_key" ON "spectrum_1d"("object_id", "survey");

-- CreateIndex
CREATE UNIQUE INDEX "cutout_object_id_source_key" ON "cutout"("object_id", "source");

-- CreateIndex
CREATE INDEX "ingest_rejection_run_id_idx" ON "ingest_rejection"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "ingested_file_content_hash_key" ON "ingested_file"("content_hash");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_name_version_key" ON "dataset"("name", "version");

-- CreateIndex
CREATE INDEX "dataset_member_dataset_id_split_idx" ON "dataset_member"("dataset_id", "split");

-- CreateIndex
CREATE INDEX "dataset_member_object_id_idx" ON "dataset_member"("object_id");

-- CreateIndex
CREATE INDEX "job_status_queued_at_idx" ON "job"("status", "queued_at");

-- CreateIndex
CREATE INDEX "job_kind_status_idx" ON "job"("kind", "status");

-- CreateIndex
CREATE INDEX "trained_model_architecture_idx" ON "trained_model"("architecture");

-- CreateIndex
CREATE UNIQUE INDEX "model_evaluation_model_id_split_key" ON "model_evaluation"("model_id", "split");

-- CreateIndex
CREATE INDEX "prediction_model_id_predicted_class_idx" ON "prediction"("model_id", "predicted_class");

-- CreateIndex
CREATE INDEX "prediction_model_id_confidence_idx" ON "prediction"("model_id", "confidence");

-- CreateIndex
CREATE INDEX "prediction_object_id_idx" ON "prediction"("object_id");

-- CreateIndex
CREATE UNIQUE INDEX "prediction_model_id_object_id_key" ON "prediction"("model_id", "object_id");

-- CreateIndex
CREATE UNIQUE INDEX "activation_map_model_id_object_id_target_target_class_key" ON "activation_map"("model_id", "object_id", "target", "target_class");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_name_key" ON "app_user"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "api_key_user_id_idx" ON "api_key"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_hash_key" ON "session"("token_hash");

-- CreateIndex
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

-- AddForeignKey
ALTER TABLE "celestial_object" ADD CONSTRAINT "celestial_object_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "observing_plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "celestial_object" ADD CONSTRAINT "celestial_object_ingest_run_id_fkey" FOREIGN KEY ("ingest_run_id") REFERENCES "ingest_run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spectrum_2d" ADD CONSTRAINT "spectrum_2d_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spectrum_1d" ADD CONSTRAINT "spectrum_1d_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cutout" ADD CONSTRAINT "cutout_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_rejection" ADD CONSTRAINT "ingest_rejection_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "ingest_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingested_file" ADD CONSTRAINT "ingested_file_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "ingest_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset" ADD CONSTRAINT "dataset_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_member" ADD CONSTRAINT "dataset_member_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_member" ADD CONSTRAINT "dataset_member_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job" ADD CONSTRAINT "job_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job" ADD CONSTRAINT "job_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "trained_model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job" ADD CONSTRAINT "job_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "job"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job" ADD CONSTRAINT "job_launched_by_id_fkey" FOREIGN KEY ("launched_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_epoch" ADD CONSTRAINT "job_epoch_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trained_model" ADD CONSTRAINT "trained_model_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trained_model" ADD CONSTRAINT "trained_model_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "job"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_evaluation" ADD CONSTRAINT "model_evaluation_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "trained_model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_class_metric" ADD CONSTRAINT "model_class_metric_evaluation_id_fkey" FOREIGN KEY ("evaluation_id") REFERENCES "model_evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "trained_model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activation_map" ADD CONSTRAINT "activation_map_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "trained_model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activation_map" ADD CONSTRAINT "activation_map_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
