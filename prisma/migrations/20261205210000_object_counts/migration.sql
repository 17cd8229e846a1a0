-- Objects per source and catalogue class (issue #30), kept by statement-level triggers on
-- celestial_object, so the dashboard's overview reads a few rows instead of counting every object
-- (283 ms at 10⁶ objects, seconds at 10⁷). `catalog_class` is '' for objects without a class. Each
-- trigger adds the counts of the rows its statement inserted, deleted or changed, grouped and in key
-- order (concurrent ingests lock the same rows in the same order). Building it here reads the table
-- once.
CREATE TABLE "object_count" (
    "source" TEXT NOT NULL,
    "catalog_class" TEXT NOT NULL,
    "n" BIGINT NOT NULL,
    CONSTRAINT "object_count_pkey" PRIMARY KEY ("source", "catalog_class")
);

INSERT INTO "object_count" ("source", "catalog_class", "n")
SELECT "source", coalesce("catalog_class"::text, ''), count(*) FROM "celestial_object" GROUP BY 1, 2;

CREATE FUNCTION "object_count_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO object_count (source, catalog_class, n)
      SELECT source, coalesce(catalog_class::text, ''), count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (source, catalog_class) DO UPDATE SET n = object_count.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO object_count (source, catalog_class, n)
      SELECT source, coalesce(catalog_class::text, ''), -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (source, catalog_class) DO UPDATE SET n = object_count.n + excluded.n;
  ELSE
    INSERT INTO object_count (source, catalog_class, n)
      SELECT source, c, sum(k) FROM (
        SELECT source, coalesce(catalog_class::text, '') AS c, -count(*) AS k FROM old_rows GROUP BY 1, 2
        UNION ALL
        SELECT source, coalesce(catalog_class::text, ''), count(*) FROM new_rows GROUP BY 1, 2) changes
      GROUP BY 1, 2 HAVING sum(k) <> 0 ORDER BY 1, 2
    ON CONFLICT (source, catalog_class) DO UPDATE SET n = object_count.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "object_count_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM object_count;
  RETURN NULL;
END $$;

CREATE TRIGGER "celestial_object_count_insert" AFTER INSERT ON "celestial_object"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "object_count_add"();
CREATE TRIGGER "celestial_object_count_delete" AFTER DELETE ON "celestial_object"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "object_count_add"();
CREATE TRIGGER "celestial_object_count_update" AFTER UPDATE ON "celestial_object"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "object_count_add"();
CREATE TRIGGER "celestial_object_count_truncate" AFTER TRUNCATE ON "celestial_object"
  FOR EACH STATEMENT EXECUTE FUNCTION "object_count_clear"();
