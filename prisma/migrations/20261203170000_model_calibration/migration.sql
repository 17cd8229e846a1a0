-- Calibration: the temperature fitted on the validation split (applied to stored predictions), and
-- each evaluation's expected calibration error before and after it with the reliability diagram.
ALTER TABLE "trained_model" ADD COLUMN "temperature" DOUBLE PRECISION;

ALTER TABLE "model_evaluation" ADD COLUMN "ece" DOUBLE PRECISION,
ADD COLUMN "ece_uncalibrated" DOUBLE PRECISION,
ADD COLUMN "reliability" JSONB;
