-- Model names are unique: a later run of the same recipe is "<name>-r2", "-r3", … Existing
-- duplicates are renamed that way (the oldest keeps its name) before the index is made.
UPDATE "trained_model" AS t
SET "name" = t."name" || '-r' || d.run
FROM (SELECT "id", row_number() OVER (PARTITION BY "name" ORDER BY "id") AS run FROM "trained_model") AS d
WHERE d."id" = t."id" AND d.run > 1;

-- CreateIndex
CREATE UNIQUE INDEX "trained_model_name_key" ON "trained_model"("name");
