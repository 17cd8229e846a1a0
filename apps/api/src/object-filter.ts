// The object filter every way in shares — GraphQL's objects and sky map, /scs, /export and
// `macnet export`: catalogue class, a model's prediction or its disagreement with the catalogue,
// dataset split, source, cone, as SQL conditions over `celestial_object o`. Bad values throw the
// platform's MacnetError (BAD_USER_INPUT naming the field), which each front end maps its own way.
// The cone is read through the sky-zone index (one RA-bounded range per declination zone,
// packages/core/src/sky.ts), followed by the exact great-circle test.
import { coneRaRanges, zoneSql, zonesBetween } from "@macnet/core";
import { badInput, type ObjectClass, Prisma } from "@macnet/db";

export interface TObjectFilter {
  catalogueClass?: ObjectClass | null;
  modelId?: number | null;
  predictedClass?: ObjectClass | null;
  disagreement?: boolean | null;
  datasetId?: number | null;
  split?: "TRAIN" | "VAL" | "TEST" | null;
  source?: string | null;
  cone?: { raDeg: number; decDeg: number; radiusDeg: number } | null;
}

function coneCondition(cone: NonNullable<TObjectFilter["cone"]>): Prisma.Sql {
  const { raDeg, decDeg, radiusDeg } = cone;
  if (!Number.isFinite(raDeg) || raDeg < 0 || raDeg >= 360)
    throw badInput("cone.raDeg must be in [0, 360)", "cone.raDeg");
  if (!Number.isFinite(decDeg) || Math.abs(decDeg) > 90)
    throw badInput("cone.decDeg must be in [-90, 90]", "cone.decDeg");
  if (!Number.isFinite(radiusDeg) || radiusDeg <= 0 || radiusDeg > 90) {
    throw badInput("cone.radiusDeg must be in (0, 90]", "cone.radiusDeg");
  }
  // One index range per declination zone the cap crosses, bounded in RA (two ranges where it
  // crosses RA = 0/360, none where it holds a pole): the (zone, ra_deg) index reads about the answer.
  const zones = zonesBetween(decDeg - radiusDeg, decDeg + radiusDeg);
  const zone = Prisma.sql`${Prisma.raw(zoneSql("o"))} = ANY(${zones}::integer[])`;
  const ranges = coneRaRanges(raDeg, decDeg, radiusDeg);
  const indexed = ranges
    ? Prisma.sql`(${Prisma.join(
        ranges.map(([from, to]) => Prisma.sql`(${zone} AND o.ra_deg BETWEEN ${from} AND ${to})`),
        " OR ",
      )})`
    : zone;
  // Haversine: accurate for small radii, where acos of the cosine rule loses precision.
  const exact = Prisma.sql`2 * asin(sqrt(
      power(sin(radians(o.dec_deg - ${decDeg}) / 2), 2)
      + cos(radians(o.dec_deg)) * cos(radians(${decDeg})) * power(sin(radians(o.ra_deg - ${raDeg}) / 2), 2)
    )) <= radians(${radiusDeg})`;
  return Prisma.sql`${indexed} AND ${exact}`;
}

/** A filter as SQL over `celestial_object o` (joined to `prediction p` when it needs a model). */
export function filterSql(filter: TObjectFilter): { join: Prisma.Sql; conditions: Prisma.Sql[]; where: Prisma.Sql } {
  const needsModel = Boolean(filter.predictedClass || filter.disagreement);
  if (needsModel && !filter.modelId) {
    throw badInput("filter.predictedClass and filter.disagreement need filter.modelId", "filter.modelId");
  }
  if (filter.split && !filter.datasetId) throw badInput("filter.split needs filter.datasetId", "filter.split");
  const conditions: Prisma.Sql[] = [];
  if (filter.catalogueClass) conditions.push(Prisma.sql`o.catalog_class = ${filter.catalogueClass}::"ObjectClass"`);
  if (filter.source) conditions.push(Prisma.sql`o.source = ${filter.source}`);
  if (filter.datasetId) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM dataset_member m WHERE m.object_id = o.id
      AND m.dataset_id = ${filter.datasetId}${filter.split ? Prisma.sql` AND m.split = ${filter.split}::"DatasetSplit"` : Prisma.empty})`);
  }
  if (filter.predictedClass) conditions.push(Prisma.sql`p.predicted_class = ${filter.predictedClass}::"ObjectClass"`);
  if (filter.disagreement) {
    conditions.push(Prisma.sql`o.catalog_class IS NOT NULL AND p.predicted_class <> o.catalog_class`);
  }
  if (filter.cone) conditions.push(coneCondition(filter.cone));
  const join = needsModel
    ? Prisma.sql`JOIN prediction p ON p.object_id = o.id AND p.model_id = ${filter.modelId}`
    : Prisma.empty;
  return { join, conditions, where: whereAll(conditions) };
}

/** `WHERE a AND b …`, or nothing for no conditions. */
export function whereAll(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}
