-- Label audit (issue #19). What a survey simulator's truth file says each object really is, kept
-- apart from the catalogue (no model or dataset reads it; only audits score themselves against it),
-- and the audits: objects ranked by how strongly models contradict their catalogue label.
CREATE TABLE "label_truth" (
    "obsid" BIGINT NOT NULL,
    "true_class" "ObjectClass" NOT NULL,
    "catalogue_class" "ObjectClass",
    "label_flipped" BOOLEAN NOT NULL,
    "file" TEXT NOT NULL,
    "run_id" INTEGER,
    CONSTRAINT "label_truth_pkey" PRIMARY KEY ("obsid"),
    CONSTRAINT "label_truth_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "ingest_run"("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE TABLE "label_audit" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "model_ids" INTEGER[],
    "folds" INTEGER NOT NULL,
    "objects" INTEGER NOT NULL,
    "contradicted" INTEGER NOT NULL,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "label_audit_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "label_audit_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "label_audit_dataset_id_idx" ON "label_audit"("dataset_id");

CREATE TABLE "label_audit_entry" (
    "audit_id" INTEGER NOT NULL,
    "rank" INTEGER NOT NULL,
    "object_id" INTEGER NOT NULL,
    "catalogue_class" "ObjectClass" NOT NULL,
    "suggested_class" "ObjectClass" NOT NULL,
    "p_catalogue" DOUBLE PRECISION NOT NULL,
    "prob_galaxy" DOUBLE PRECISION NOT NULL,
    "prob_qso" DOUBLE PRECISION NOT NULL,
    "prob_star" DOUBLE PRECISION NOT NULL,
    "votes" INTEGER NOT NULL,
    "in_sample" BOOLEAN NOT NULL,
    CONSTRAINT "label_audit_entry_pkey" PRIMARY KEY ("audit_id","rank"),
    CONSTRAINT "label_audit_entry_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "label_audit"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "label_audit_entry_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "label_audit_entry_object_id_idx" ON "label_audit_entry"("object_id");
