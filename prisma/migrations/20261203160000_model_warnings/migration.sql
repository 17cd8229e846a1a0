-- What training noticed about a model that its numbers alone do not say (e.g. validation
-- predictions collapsed to one class), shown with the model in the API and the dashboard.
ALTER TABLE "trained_model" ADD COLUMN "warnings" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
