-- The sky's spatial index (issue #30): declination zones of 0.1° and right ascension, the zone
-- algorithm of SDSS's SkyServer (Gray, Nieto-Santisteban & Szalay 2006, "The Zones Algorithm for
-- Finding Points-Near-a-Point or Cross-Matching Spatial Datasets", MSR-TR-2006-52). A cone becomes
-- one index range per zone it crosses, each bounded in RA, so its cost follows the answer instead
-- of the population of a whole declination band. Plain btree on an expression: works on every
-- PostgreSQL, the embedded one included (no Q3C or pgSphere needed). The expression must stay
-- exactly `floor(dec_deg * 10)::integer` (packages/db/src/sky-zones.ts writes it) for the planner
-- to use the index. It replaces the (dec_deg, ra_deg) index, which bounded only declination.
CREATE INDEX "celestial_object_sky_zone_idx" ON "celestial_object" ((floor("dec_deg" * 10)::integer), "ra_deg");

DROP INDEX "celestial_object_dec_deg_ra_deg_idx";
