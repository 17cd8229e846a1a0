// Object identity in a batch: which stored object each merged group is — by any of its identifiers
// (stored objects that two identifiers of one file show to be the same are merged), else by position
// within the match tolerance through the sky-zone index — and which groups contradict what is stored.
import { coneRaRanges, separationArcsec, zoneSql, zonesBetween } from "@macnet/core";
import type { SqlClient } from "@macnet/db/sql";
import type { BatchOutcome } from "./batch-outcome.ts";
import { conflict, type ObjectGroup } from "./merge-items.ts";

const namespace = (key: string) => key.slice(0, key.indexOf(":"));

export async function findByKeys(
  client: SqlClient,
  groups: ObjectGroup[],
  outcome: BatchOutcome,
): Promise<{ ids: Map<ObjectGroup, number>; storedKeys: Map<string, number> }> {
  const allKeys = [...new Set(groups.flatMap((group) => group.object.keys))];
  const rows = (
    await client.query<{ key: string; object_id: number }>(
      "SELECT key, object_id FROM object_key WHERE key = ANY($1::text[])",
      [allKeys],
    )
  ).rows;
  const byKey = new Map(rows.map((row) => [row.key, row.object_id]));
  const ids = new Map<ObjectGroup, number>();
  for (const group of groups) {
    const found = [
      ...new Set(group.object.keys.map((key) => byKey.get(key)).filter((id): id is number => id !== undefined)),
    ].sort((a, b) => a - b);
    if (found.length > 1) {
      const refusal = await mergeStoredObjects(client, found);
      if (refusal) {
        for (const file of group.files)
          outcome.rejections.push({
            file,
            field: "keys",
            reason: `${group.object.keys.join(", ")} link stored objects ${found.join(", ")}, which cannot be merged: ${refusal}`,
          });
        group.files.clear();
        continue;
      }
      for (const [key, id] of byKey) if (found.includes(id)) byKey.set(key, found[0] as number);
      outcome.mergedObjects++;
    }
    if (found[0] !== undefined) ids.set(group, found[0]);
  }
  return { ids, storedKeys: byKey };
}

/**
 * Merges stored objects into the first (lowest id): fills its missing fields, moves keys and data
 * rows (the survivor's own rows win), deletes the rest. Returns why not, when they contradict each
 * other or are already used by datasets or predictions.
 */
async function mergeStoredObjects(client: SqlClient, ids: number[]): Promise<string | undefined> {
  const rows = (
    await client.query<{
      id: number;
      catalog_class: string | null;
      ra_deg: number | null;
      dec_deg: number | null;
      used: boolean;
    }>(
      `SELECT id, catalog_class, ra_deg, dec_deg,
              EXISTS (SELECT 1 FROM dataset_member m WHERE m.object_id = o.id) OR EXISTS (SELECT 1 FROM prediction p WHERE p.object_id = o.id) AS used
         FROM celestial_object o WHERE id = ANY($1::int[]) ORDER BY id`,
      [ids],
    )
  ).rows;
  const [survivor, ...others] = rows;
  if (!survivor) return "not found";
  for (const other of others) {
    if (other.used) return `object ${other.id} is already in a dataset or has predictions`;
    const clash = conflict(
      {
        catalogClass: (survivor.catalog_class ?? undefined) as never,
        raDeg: survivor.ra_deg ?? undefined,
        decDeg: survivor.dec_deg ?? undefined,
      },
      {
        keys: [`object ${other.id}`],
        catalogClass: (other.catalog_class ?? undefined) as never,
        raDeg: other.ra_deg ?? undefined,
        decDeg: other.dec_deg ?? undefined,
      },
    );
    if (clash) return clash.reason;
  }
  const keys = (
    await client.query<{ key: string; object_id: number }>(
      "SELECT key, object_id FROM object_key WHERE object_id = ANY($1::int[])",
      [ids],
    )
  ).rows;
  for (const a of keys) {
    if (keys.some((b) => b.object_id !== a.object_id && namespace(b.key) === namespace(a.key) && b.key !== a.key))
      return `they have different ${namespace(a.key)} identifiers`;
  }
  const losers = others.map((other) => other.id);
  await client.query(
    `UPDATE celestial_object o SET
       designation = COALESCE(o.designation, l.designation),
       ra_deg = COALESCE(o.ra_deg, l.ra_deg), dec_deg = COALESCE(o.dec_deg, l.dec_deg), catalog_class = COALESCE(o.catalog_class, l.catalog_class),
       subclass = COALESCE(o.subclass, l.subclass), redshift = COALESCE(o.redshift, l.redshift), plan_id = COALESCE(o.plan_id, l.plan_id),
       spectrograph_id = COALESCE(o.spectrograph_id, l.spectrograph_id), fiber_id = COALESCE(o.fiber_id, l.fiber_id),
       magnitudes = COALESCE(l.magnitudes, '{}'::jsonb) || COALESCE(o.magnitudes, '{}'::jsonb), updated_at = now()
     FROM (SELECT * FROM celestial_object WHERE id = ANY($2::int[]) ORDER BY id DESC) l WHERE o.id = $1`,
    [survivor.id, losers],
  );
  // Unique columns first: clear them on the losers so the survivor can take them.
  for (const [table, target] of [
    ["spectrum_2d", "arm"],
    ["spectrum_1d", "survey"],
    ["cutout", "source"],
  ] as const) {
    await client.query(
      `DELETE FROM ${table} l WHERE l.object_id = ANY($2::int[]) AND EXISTS (SELECT 1 FROM ${table} s WHERE s.object_id = $1 AND s.${target} = l.${target})`,
      [survivor.id, losers],
    );
    await client.query(`UPDATE ${table} SET object_id = $1 WHERE object_id = ANY($2::int[])`, [survivor.id, losers]);
  }
  await client.query("UPDATE object_key SET object_id = $1 WHERE object_id = ANY($2::int[])", [survivor.id, losers]);
  const unique = (
    await client.query<{ obsid: string | null; sdss_objid: string | null }>(
      "SELECT obsid, sdss_objid FROM celestial_object WHERE id = ANY($1::int[])",
      [losers],
    )
  ).rows;
  await client.query("DELETE FROM celestial_object WHERE id = ANY($1::int[])", [losers]);
  if (unique.length > 0) {
    await client.query(
      "UPDATE celestial_object SET obsid = COALESCE(obsid, $2::bigint), sdss_objid = COALESCE(sdss_objid, $3::bigint) WHERE id = $1",
      [
        survivor.id,
        unique.find((row) => row.obsid)?.obsid ?? null,
        unique.find((row) => row.sdss_objid)?.sdss_objid ?? null,
      ],
    );
  }
  return undefined;
}

export async function findByPosition(
  client: SqlClient,
  groups: ObjectGroup[],
  ids: Map<ObjectGroup, number>,
  toleranceArcsec: number,
  outcome: BatchOutcome,
): Promise<void> {
  const candidates = groups.filter(
    (group) =>
      group.files.size > 0 && !ids.has(group) && group.object.raDeg !== undefined && group.object.decDeg !== undefined,
  );
  if (candidates.length === 0 || toleranceArcsec <= 0) return;
  // Each candidate's tolerance cone as sky-zone index ranges (a zone and an RA interval each): the
  // index reads the objects near it, not the whole declination band around the sky.
  const radius = toleranceArcsec / 3600;
  const probes: { idx: number[]; zone: number[]; from: number[]; to: number[] } = {
    idx: [],
    zone: [],
    from: [],
    to: [],
  };
  candidates.forEach((group, index) => {
    const { raDeg, decDeg } = group.object as { raDeg: number; decDeg: number };
    const ranges = coneRaRanges(raDeg, decDeg, radius) ?? [[0, 360]];
    for (const zone of zonesBetween(decDeg - radius, decDeg + radius)) {
      for (const [from, to] of ranges) {
        probes.idx.push(index);
        probes.zone.push(zone);
        probes.from.push(from);
        probes.to.push(to);
      }
    }
  });
  const rows = (
    await client.query<{ idx: number; id: number; ra_deg: number; dec_deg: number }>(
      `SELECT c.idx, o.id, o.ra_deg, o.dec_deg
         FROM unnest($1::int[], $2::int[], $3::float8[], $4::float8[]) AS c(idx, zone, ra_from, ra_to)
         JOIN celestial_object o ON ${zoneSql("o")} = c.zone AND o.ra_deg BETWEEN c.ra_from AND c.ra_to`,
      [probes.idx, probes.zone, probes.from, probes.to],
    )
  ).rows;
  if (rows.length === 0) return;
  const keyRows = (
    await client.query<{ key: string; object_id: number }>(
      "SELECT key, object_id FROM object_key WHERE object_id = ANY($1::int[])",
      [[...new Set(rows.map((row) => row.id))]],
    )
  ).rows;
  const keysOf = new Map<number, string[]>();
  for (const row of keyRows) keysOf.set(row.object_id, [...(keysOf.get(row.object_id) ?? []), row.key]);
  candidates.forEach((group, index) => {
    const { raDeg, decDeg } = group.object as { raDeg: number; decDeg: number };
    const near = rows
      .filter((row) => row.idx === index)
      .map((row) => ({ id: row.id, separation: separationArcsec(raDeg, decDeg, row.ra_deg, row.dec_deg) }))
      .filter((row) => row.separation <= toleranceArcsec)
      // Two records with different identifiers of the same kind (two obsids, say) are different objects.
      .filter(
        (row) =>
          !(keysOf.get(row.id) ?? []).some((stored) =>
            group.object.keys.some((key) => namespace(key) === namespace(stored) && key !== stored),
          ),
      )
      .sort((a, b) => a.separation - b.separation);
    const nearest = near[0];
    if (!nearest) return;
    ids.set(group, nearest.id);
    outcome.positionMatches++;
    if (near.length > 1)
      outcome.ambiguousMatches.push({ key: group.object.keys[0] as string, candidates: near.map((row) => row.id) });
  });
}

export async function rejectContradictions(
  client: SqlClient,
  groups: ObjectGroup[],
  ids: Map<ObjectGroup, number>,
  outcome: BatchOutcome,
): Promise<ObjectGroup[]> {
  const known = [...new Set(ids.values())];
  const stored = new Map(
    (
      await client.query<{
        id: number;
        catalog_class: "STAR" | "GALAXY" | "QSO" | null;
        ra_deg: number | null;
        dec_deg: number | null;
      }>("SELECT id, catalog_class, ra_deg, dec_deg FROM celestial_object WHERE id = ANY($1::int[])", [known])
    ).rows.map((row) => [row.id, row]),
  );
  return groups.filter((group) => {
    if (group.files.size === 0) return false;
    const id = ids.get(group);
    const row = id === undefined ? undefined : stored.get(id);
    const clash = row
      ? conflict(
          { catalogClass: row.catalog_class, raDeg: row.ra_deg ?? undefined, decDeg: row.dec_deg ?? undefined },
          group.object,
        )
      : undefined;
    if (!clash) return true;
    for (const file of group.files) outcome.rejections.push({ file, field: clash.field, reason: clash.reason });
    ids.delete(group);
    return false;
  });
}
