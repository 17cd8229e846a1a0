import type { SqlClient } from "@macnet/db/sql";
import type { BatchOutcome, StoreOptions } from "./batch-outcome.ts";
import { findByKeys, findByPosition, rejectContradictions } from "./identity.ts";
import type { ObjectGroup } from "./merge-items.ts";
import { writePayloads } from "./payload-kinds.ts";

export type { BatchOutcome, StoreOptions };

/**
 * Stores a batch of merged object groups in one transaction: finds each object by any of its keys
 * (then by position), rejects contradictions with stored data, inserts or updates objects, their
 * keys, plans, strips, 1D spectra and cutouts (unchanged content is left alone), records the files
 * finished in this batch, and refreshes the objects' missing-modality flags.
 */
export async function storeBatch(
  client: SqlClient,
  groups: ObjectGroup[],
  finishedFiles: Array<{ path: string; hash: string; kind: string }>,
  options: StoreOptions,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = {
    objectsCreated: 0,
    objectsUpdated: 0,
    strips: 0,
    spectra1d: 0,
    cutouts: 0,
    positionMatches: 0,
    mergedObjects: 0,
    ambiguousMatches: [],
    superseded: [],
    rejections: [],
    touchedObjectIds: [],
  };
  await client.query("BEGIN");
  // A bulk load need not wait for each commit's WAL flush: if the server crashes, the last batches
  // and their ingested_file rows vanish together, and the next run redoes them.
  await client.query("SET LOCAL synchronous_commit = off");
  try {
    const { ids, storedKeys } = await findByKeys(client, groups, outcome);
    await findByPosition(client, groups, ids, options.matchToleranceArcsec, outcome);
    const accepted = await rejectContradictions(client, groups, ids, outcome);
    const planIds = await upsertPlans(client, accepted);
    const { created: createdIds, flagged } = await writeObjects(client, accepted, ids, planIds, options, outcome);
    await writeKeys(client, accepted, ids, storedKeys);
    await writePayloads(client, accepted, ids, createdIds, options, outcome);
    const touched = [...new Set(accepted.map((group) => ids.get(group) as number))];
    await refreshModalities(
      client,
      touched.filter((id) => !flagged.has(id)),
    );
    if (finishedFiles.length > 0) {
      await client.query(
        `INSERT INTO ingested_file (content_hash, path, kind, run_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) ON CONFLICT (content_hash) DO NOTHING`,
        [
          finishedFiles.map((file) => file.hash),
          finishedFiles.map((file) => file.path),
          finishedFiles.map((file) => file.kind),
          finishedFiles.map(() => options.runId),
        ],
      );
    }
    await client.query("COMMIT");
    outcome.touchedObjectIds = touched;
    return outcome;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

async function upsertPlans(client: SqlClient, groups: ObjectGroup[]): Promise<Map<string, number>> {
  const plans = new Map<string, { lmjd?: number; obsDate?: string }>();
  for (const { object } of groups) {
    if (!object.planId) continue;
    const known = plans.get(object.planId) ?? {};
    plans.set(object.planId, { lmjd: known.lmjd ?? object.lmjd, obsDate: known.obsDate ?? object.obsDate });
  }
  if (plans.size === 0) return new Map();
  const entries = [...plans.entries()];
  const rows = (
    await client.query<{ id: number; plan_id: string }>(
      `INSERT INTO observing_plan (plan_id, lmjd, obs_date)
       SELECT p, l, d::date FROM unnest($1::text[], $2::int[], $3::text[]) AS t(p, l, d)
       ON CONFLICT (plan_id) DO UPDATE SET lmjd = COALESCE(observing_plan.lmjd, EXCLUDED.lmjd), obs_date = COALESCE(observing_plan.obs_date, EXCLUDED.obs_date)
       RETURNING id, plan_id`,
      [
        entries.map(([planId]) => planId),
        entries.map(([, plan]) => (plan.lmjd === undefined ? null : Math.round(plan.lmjd))),
        entries.map(([, plan]) => plan.obsDate ?? null),
      ],
    )
  ).rows;
  return new Map(rows.map((row) => [row.plan_id, row.id]));
}

function objectColumns(groups: ObjectGroup[], planIds: Map<string, number>) {
  const value = <T>(pick: (group: ObjectGroup) => T | undefined) => groups.map((group) => pick(group) ?? null);
  return [
    value((group) => group.object.obsid?.toString()),
    value((group) => group.object.sdssObjId?.toString()),
    value((group) => group.object.designation),
    value((group) => group.object.raDeg),
    value((group) => group.object.decDeg),
    value((group) => group.object.catalogClass ?? undefined),
    value((group) => group.object.subclass),
    value((group) => (Number.isFinite(group.object.redshift) ? group.object.redshift : undefined)),
    value((group) => (group.object.planId ? planIds.get(group.object.planId) : undefined)),
    value((group) => group.object.spectrographId),
    value((group) => group.object.fiberId),
    value((group) => group.object.release),
    value((group) => (group.object.magnitudes ? JSON.stringify(group.object.magnitudes) : undefined)),
  ];
}

const OBJECT_VALUES = `unnest($1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::float8[], $9::int[], $10::int[], $11::int[], $12::text[], $13::text[])
  WITH ORDINALITY AS v(obsid, sdss_objid, designation, ra, dec, class, subclass, redshift, plan, spid, fiber, release, magnitudes, ord)`;

/** The object columns a later file may fill in or correct: as they are, and qualified by the stored row (o) and the new values (n). */
const UPDATED_COLUMNS =
  "obsid, sdss_objid, designation, ra_deg, dec_deg, catalog_class, subclass, redshift, plan_id, spectrograph_id, fiber_id, release, magnitudes";
const STORED_COLUMNS = UPDATED_COLUMNS.replaceAll(/(\w+)/g, "o.$1");
const NEW_COLUMNS = UPDATED_COLUMNS.replaceAll(/(\w+)/g, "n.$1");

async function writeObjects(
  client: SqlClient,
  groups: ObjectGroup[],
  ids: Map<ObjectGroup, number>,
  planIds: Map<string, number>,
  options: StoreOptions,
  outcome: BatchOutcome,
): Promise<{ created: Set<number>; flagged: Set<number> }> {
  const created = new Set<number>();
  /** New objects written with every modality missing: nothing to refresh. */
  const flagged = new Set<number>();
  const fresh = groups.filter((group) => !ids.has(group));
  if (fresh.length > 0) {
    const rows = (
      await client.query<{ id: number }>(
        // A new object with no payload in this batch (a catalogue row) misses every modality: flagged
        // as it is written, not by rewriting it afterwards (refreshModalities skips it).
        `INSERT INTO celestial_object (obsid, sdss_objid, designation, ra_deg, dec_deg, catalog_class, subclass, redshift, plan_id, spectrograph_id, fiber_id, release, magnitudes, source, ingest_run_id, missing_modalities, updated_at)
         SELECT obsid, sdss_objid, designation, ra, dec, class::"ObjectClass", subclass, redshift, plan, spid, fiber, release, magnitudes::jsonb, $14, $15,
                CASE WHEN b.bare THEN '{SPECTRUM_2D,SPECTRUM_1D,CUTOUT}'::"Modality"[] END, now()
           FROM ${OBJECT_VALUES} JOIN unnest($16::boolean[]) WITH ORDINALITY AS b(bare, n) ON b.n = v.ord ORDER BY v.ord
         RETURNING id`,
        [...objectColumns(fresh, planIds), options.source, options.runId, fresh.map(withoutPayload)],
      )
    ).rows;
    fresh.forEach((group, index) => {
      const id = (rows[index] as { id: number }).id;
      ids.set(group, id);
      created.add(id);
      if (withoutPayload(group)) flagged.add(id);
    });
    outcome.objectsCreated += fresh.length;
  }
  const freshSet = new Set(fresh);
  const known = groups.filter((group) => !freshSet.has(group));
  if (known.length > 0) {
    // Rows the batch adds nothing to (a frame's strips of a catalogued object, say) are not rewritten.
    await client.query(
      `UPDATE celestial_object o SET (${UPDATED_COLUMNS}, updated_at) = (${NEW_COLUMNS}, now())
       FROM (SELECT o.id,
               COALESCE(o.obsid, v.obsid) AS obsid, COALESCE(o.sdss_objid, v.sdss_objid) AS sdss_objid, COALESCE(v.designation, o.designation) AS designation,
               COALESCE(o.ra_deg, v.ra) AS ra_deg, COALESCE(o.dec_deg, v.dec) AS dec_deg, COALESCE(v.class::"ObjectClass", o.catalog_class) AS catalog_class,
               COALESCE(v.subclass, o.subclass) AS subclass, COALESCE(v.redshift, o.redshift) AS redshift, COALESCE(v.plan, o.plan_id) AS plan_id,
               COALESCE(v.spid, o.spectrograph_id) AS spectrograph_id, COALESCE(v.fiber, o.fiber_id) AS fiber_id, COALESCE(o.release, v.release) AS release,
               COALESCE(o.magnitudes, '{}'::jsonb) || COALESCE(v.magnitudes::jsonb, '{}'::jsonb) AS magnitudes
             FROM (SELECT * FROM ${OBJECT_VALUES}) v, unnest($14::int[]) WITH ORDINALITY AS t(id, ord), celestial_object o
             WHERE t.ord = v.ord AND o.id = t.id) n
       WHERE o.id = n.id AND (${STORED_COLUMNS}) IS DISTINCT FROM (${NEW_COLUMNS})`,
      [...objectColumns(known, planIds), known.map((group) => ids.get(group))],
    );
    outcome.objectsUpdated += known.length;
  }
  return { created, flagged };
}

/** Stores the groups' keys that are not stored yet with their objects (`storedKeys`: key → object found at the batch's start). */
async function writeKeys(
  client: SqlClient,
  groups: ObjectGroup[],
  ids: Map<ObjectGroup, number>,
  storedKeys: Map<string, number>,
): Promise<void> {
  const keys = groups.flatMap((group) =>
    group.object.keys
      .filter((key) => storedKeys.get(key) !== ids.get(group))
      .map((key) => [key, ids.get(group) as number] as const),
  );
  if (keys.length === 0) return;
  await client.query(
    "INSERT INTO object_key (key, object_id) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT (key) DO NOTHING",
    [keys.map(([key]) => key), keys.map(([, id]) => id)],
  );
}

/** A group that brings no strip, spectrum or cutout (a catalogue row). */
const withoutPayload = (group: ObjectGroup) =>
  group.strips.length === 0 && group.spectra1d.length === 0 && group.cutouts.length === 0;

async function refreshModalities(client: SqlClient, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  // Rows whose flags do not change are not rewritten.
  await client.query(
    `UPDATE celestial_object o SET missing_modalities = m.missing
       FROM (SELECT c.id, ARRAY_REMOVE(ARRAY[
               CASE WHEN (SELECT count(DISTINCT arm) FROM spectrum_2d s WHERE s.object_id = c.id) < 2 THEN 'SPECTRUM_2D' END,
               CASE WHEN NOT EXISTS (SELECT 1 FROM spectrum_1d s WHERE s.object_id = c.id) THEN 'SPECTRUM_1D' END,
               CASE WHEN NOT EXISTS (SELECT 1 FROM cutout u WHERE u.object_id = c.id) THEN 'CUTOUT' END
             ]::"Modality"[], NULL) AS missing
               FROM celestial_object c WHERE c.id = ANY($1::int[])) m
      WHERE o.id = m.id AND o.missing_modalities IS DISTINCT FROM m.missing`,
    [ids],
  );
}
