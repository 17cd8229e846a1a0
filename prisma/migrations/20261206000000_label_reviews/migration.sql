-- The label review loop (issue #33): reviewers' verdicts on catalogue classes, kept append-only, and
-- dataset versions whose labels take the accepted corrections (same members, same splits).
CREATE TYPE "Verdict" AS ENUM ('CATALOGUE_RIGHT', 'CATALOGUE_WRONG', 'UNSURE');

CREATE TABLE "label_verdict" (
    "id" SERIAL NOT NULL,
    "object_id" INTEGER NOT NULL,
    "reviewer_id" INTEGER,
    "reviewer_name" TEXT NOT NULL,
    "reviewer_role" "Role" NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "corrected_class" "ObjectClass",
    "catalogue_class" "ObjectClass",
    "comment" TEXT,
    "audit_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "label_verdict_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "label_verdict_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "celestial_object"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "label_verdict_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "label_verdict_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "label_audit"("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX "label_verdict_object_id_idx" ON "label_verdict"("object_id");
CREATE INDEX "label_verdict_reviewer_id_object_id_idx" ON "label_verdict"("reviewer_id", "object_id");
CREATE INDEX "label_verdict_audit_id_idx" ON "label_verdict"("audit_id");

ALTER TABLE "dataset" ADD COLUMN "parent_id" INTEGER,
    ADD COLUMN "review_rule" TEXT,
    ADD COLUMN "corrections" INTEGER NOT NULL DEFAULT 0,
    ADD CONSTRAINT "dataset_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "dataset_member" ADD COLUMN "label" "ObjectClass",
    ADD COLUMN "verdict_ids" INTEGER[];
