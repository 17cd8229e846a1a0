import { createHash } from "node:crypto";
import { coneRaRanges, separationArcsec, zoneSql, zonesBetween } from "@macnet/core";
import type pg from "pg";
import type { Rejection } from "../records.ts";
import { digestStrip } from "../strip-digest.ts";
import { type CopyValue, copyRows, stagePayloads } from "./copy-payloads.ts";
import { conflict, type ObjectGroup } from "./merge-items.ts";

/** What one batch did. */
export interface BatchOutcome {
  objectsCreated: number;
  objectsUpdated: number;
  strips: number;
  spectra1d: number;
  cutouts: number;
  positionMatches: number;
  /** Stored objects found to be one (a new file carried identifiers of both) and merged. */
  mergedObjects: number;
  ambiguousMatches: Array<{ key: string; candidates: number[] }>;
  /** Records replaced by a later one for the same object and arm/survey/source in the batch. */
  superseded: Array<{ file: string; by: string; what: string }>;
  rejections: Rejection[];
  touchedObjectIds: number[];
}

/** Options that apply to every batch of a run. */
export interface StoreOptions {
  runId: number;
  source: string;
  matchToleranceArcsec: number;
  /** Whether the server takes COPY FROM STDIN (see supportsCopy). */
  copy: boolean;
  /**
   * The run's stored data rows so far ("kind|object/target" → file), kept by the caller across
   * batches: a repeat observation in a later batch is reported as superseding the earlier one and
   * counted once, as within a batch.
   */
  written: Map<string, string>;
}

const hash = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const asBuffer = (array: Float32Array | Uint8Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
const pgArray = (values: number[]) => `{${values.join(",")}}`;
const namespace = (key: string) => key.slice(0, key.indexOf(":"));

/**
 * Stores a batch of merged object groups in one transaction: finds each object by any of its keys
 * (then by position), rejects contradictions with stored data, inserts or updates objects, their
 * keys, plans, strips, 1D spectra and cutouts (unchanged content is left alone), records the files
 * finished in this batch, and refreshes the objects' missing-modality flags.
 */
export async function storeBatch(
  client: pg.ClientBase,
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
    await writeData(client, accepted, ids, createdIds, options, outcome);
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

async function findByKeys(
  client: pg.ClientBase,
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
async function mergeStoredObjects(client: pg.ClientBase, ids: number[]): Promise<string | undefined> {
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

async function findByPosition(
  client: pg.ClientBase,
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

async function rejectContradictions(
  client: pg.ClientBase,
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

async function upsertPlans(client: pg.ClientBase, groups: ObjectGroup[]): Promise<Map<string, number>> {
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
  client: pg.ClientBase,
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
  client: pg.ClientBase,
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

/**
 * One row per target (object and arm, survey or source): a later record — in the batch, or in an
 * earlier batch of the run (`written`) — replaces an earlier one (a repeat observation, say), and the
 * replaced record is reported, never dropped silently. `rewritten` counts the rows that replace
 * one stored earlier in the run.
 */
function lastPerTarget<T extends { file: string }>(
  rows: T[],
  target: (row: T) => string,
  outcome: BatchOutcome,
  what: string,
  written: Map<string, string>,
): { rows: T[]; rewritten: number } {
  const kept = new Map<string, T>();
  for (const row of rows) {
    const key = target(row);
    const previous = kept.get(key)?.file ?? written.get(`${what}|${key}`);
    if (previous !== undefined) outcome.superseded.push({ file: previous, by: row.file, what });
    kept.set(key, row);
  }
  let rewritten = 0;
  for (const [key, row] of kept) {
    if (written.has(`${what}|${key}`)) rewritten++;
    written.set(`${what}|${key}`, row.file);
  }
  return { rows: [...kept.values()], rewritten };
}

async function writeData(
  client: pg.ClientBase,
  groups: ObjectGroup[],
  ids: Map<ObjectGroup, number>,
  createdIds: Set<number>,
  options: StoreOptions,
  outcome: BatchOutcome,
): Promise<void> {
  const { copy, written } = options;
  const { rows: strips, rewritten: rewrittenStrips } = lastPerTarget(
    groups.flatMap((group) => group.strips.map((strip) => ({ ...strip, id: ids.get(group) as number }))),
    (strip) => `${strip.id}/${strip.record.arm}`,
    outcome,
    "2D strip",
    written,
  );
  // A row replacing one stored earlier in the run is counted once.
  outcome.strips -= rewrittenStrips;
  // Rows with no stored counterpart cannot conflict: they go straight in by binary COPY.
  const storedStrips = await existingTargets(
    client,
    "spectrum_2d",
    "arm",
    strips.map((strip) => [strip.id, strip.record.arm]),
    createdIds,
    copy,
  );
  const newStrips = strips.filter((strip) => !storedStrips.has(`${strip.id}/${strip.record.arm}`));
  if (newStrips.length > 0) {
    await copyRows(
      client,
      "spectrum_2d",
      [
        "object_id",
        "arm",
        "width_px",
        "length_px",
        "pixel_start",
        "dtype",
        "data",
        "wavelength_coeffs",
        "mean",
        "std",
        "min",
        "max",
        "source_file",
        "content_hash",
      ],
      newStrips.map((strip) => {
        const bytes = asBuffer(strip.record.data);
        const { mean, std, min, max, hash: contentHash } = strip.record.digest ?? digestStrip(strip.record.data);
        return [
          { int4: strip.id },
          { text: strip.record.arm },
          { int4: strip.record.widthPx },
          { int4: strip.record.lengthPx },
          { int4: strip.record.pixelStart },
          { text: "float32" },
          { bytea: bytes },
          { float8Array: strip.record.wavelengthCoeffs },
          { float8: mean },
          { float8: std },
          { float8: min },
          { float8: max },
          { text: strip.file },
          { text: contentHash },
        ];
      }),
    );
    outcome.strips += newStrips.length;
  }
  const updatedStrips = strips.filter((strip) => storedStrips.has(`${strip.id}/${strip.record.arm}`));
  if (updatedStrips.length > 0) {
    const described = updatedStrips.map((strip) => ({
      ...strip,
      stats: strip.record.digest ?? digestStrip(strip.record.data),
      bytes: asBuffer(strip.record.data),
    }));
    await stagePayloads(
      client,
      described.map((strip) => strip.bytes),
      copy,
    );
    await client.query(
      `INSERT INTO spectrum_2d (object_id, arm, width_px, length_px, pixel_start, dtype, data, wavelength_coeffs, mean, std, min, max, source_file, content_hash)
       SELECT id, arm::"SpectrographArm", w, l, p, 'float32', s.data, c::float8[], mean, std, mn, mx, f, h
         FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::text[], $12::text[])
           WITH ORDINALITY AS t(id, arm, w, l, p, c, mean, std, mn, mx, f, h, ord)
         JOIN ingest_payload s ON s.ord = t.ord
       ON CONFLICT (object_id, arm) DO UPDATE SET width_px = EXCLUDED.width_px, length_px = EXCLUDED.length_px, data = EXCLUDED.data,
         wavelength_coeffs = EXCLUDED.wavelength_coeffs, mean = EXCLUDED.mean, std = EXCLUDED.std, min = EXCLUDED.min, max = EXCLUDED.max,
         source_file = EXCLUDED.source_file, content_hash = EXCLUDED.content_hash
       WHERE spectrum_2d.content_hash <> EXCLUDED.content_hash`,
      [
        described.map((strip) => strip.id),
        described.map((strip) => strip.record.arm),
        described.map((strip) => strip.record.widthPx),
        described.map((strip) => strip.record.lengthPx),
        described.map((strip) => strip.record.pixelStart),
        described.map((strip) => pgArray(strip.record.wavelengthCoeffs)),
        described.map((strip) => strip.stats.mean),
        described.map((strip) => strip.stats.std),
        described.map((strip) => strip.stats.min),
        described.map((strip) => strip.stats.max),
        described.map((strip) => strip.file),
        described.map((strip) => strip.stats.hash),
      ],
    );
    outcome.strips += updatedStrips.length;
  }
  const { rows: spectra, rewritten: rewrittenSpectra } = lastPerTarget(
    groups.flatMap((group) => group.spectra1d.map((spectrum) => ({ ...spectrum, id: ids.get(group) as number }))),
    (spectrum) => `${spectrum.id}/${spectrum.record.survey}`,
    outcome,
    "1D spectrum",
    written,
  );
  // A row replacing one stored earlier in the run is counted once.
  outcome.spectra1d -= rewrittenSpectra;
  const storedSpectra = await existingTargets(
    client,
    "spectrum_1d",
    "survey",
    spectra.map((spectrum) => [spectrum.id, spectrum.record.survey]),
    createdIds,
    copy,
  );
  const newSpectra = spectra.filter((spectrum) => !storedSpectra.has(`${spectrum.id}/${spectrum.record.survey}`));
  if (newSpectra.length > 0) {
    await copyRows(
      client,
      "spectrum_1d",
      ["object_id", "survey", "n_pixels", "wavelength_angstrom", "flux", "ivar", "source_file", "content_hash"],
      newSpectra.map((spectrum) => {
        const parts = [
          asBuffer(spectrum.record.wavelength),
          asBuffer(spectrum.record.flux),
          asBuffer(spectrum.record.ivar),
        ];
        return [
          { int4: spectrum.id },
          { text: spectrum.record.survey },
          { int4: spectrum.record.flux.length },
          { bytea: parts[0] as Buffer },
          { bytea: parts[1] as Buffer },
          { bytea: parts[2] as Buffer },
          { text: spectrum.file },
          { text: hashParts(parts) },
        ];
      }),
    );
    outcome.spectra1d += newSpectra.length;
  }
  const updatedSpectra = spectra.filter((spectrum) => storedSpectra.has(`${spectrum.id}/${spectrum.record.survey}`));
  if (updatedSpectra.length > 0) {
    const buffers = updatedSpectra.map((spectrum) =>
      Buffer.concat([
        asBuffer(spectrum.record.wavelength),
        asBuffer(spectrum.record.flux),
        asBuffer(spectrum.record.ivar),
      ]),
    );
    await stagePayloads(client, buffers, copy);
    // Each staged payload is wavelength ‖ flux ‖ ivar, n float32 values each.
    await client.query(
      `INSERT INTO spectrum_1d (object_id, survey, n_pixels, wavelength_angstrom, flux, ivar, source_file, content_hash)
       SELECT id, survey, n, substring(s.data FROM 1 FOR 4 * n), substring(s.data FROM 4 * n + 1 FOR 4 * n), substring(s.data FROM 8 * n + 1 FOR 4 * n), f, h
         FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::text[]) WITH ORDINALITY AS t(id, survey, n, f, h, ord)
         JOIN ingest_payload s ON s.ord = t.ord
       ON CONFLICT (object_id, survey) DO UPDATE SET n_pixels = EXCLUDED.n_pixels, wavelength_angstrom = EXCLUDED.wavelength_angstrom,
         flux = EXCLUDED.flux, ivar = EXCLUDED.ivar, source_file = EXCLUDED.source_file, content_hash = EXCLUDED.content_hash
       WHERE spectrum_1d.content_hash <> EXCLUDED.content_hash`,
      [
        updatedSpectra.map((spectrum) => spectrum.id),
        updatedSpectra.map((spectrum) => spectrum.record.survey),
        updatedSpectra.map((spectrum) => spectrum.record.flux.length),
        updatedSpectra.map((spectrum) => spectrum.file),
        updatedSpectra.map((spectrum) =>
          hashParts([
            asBuffer(spectrum.record.wavelength),
            asBuffer(spectrum.record.flux),
            asBuffer(spectrum.record.ivar),
          ]),
        ),
      ],
    );
    outcome.spectra1d += updatedSpectra.length;
  }
  const { rows: cutouts, rewritten: rewrittenCutouts } = lastPerTarget(
    groups.flatMap((group) => group.cutouts.map((cutout) => ({ ...cutout, id: ids.get(group) as number }))),
    (cutout) => `${cutout.id}/${cutout.record.source}`,
    outcome,
    "cutout",
    written,
  );
  // A row replacing one stored earlier in the run is counted once.
  outcome.cutouts -= rewrittenCutouts;
  const storedCutouts = await existingTargets(
    client,
    "cutout",
    "source",
    cutouts.map((cutout) => [cutout.id, cutout.record.source]),
    createdIds,
    copy,
  );
  const newCutouts = cutouts.filter((cutout) => !storedCutouts.has(`${cutout.id}/${cutout.record.source}`));
  if (newCutouts.length > 0) {
    await copyRows(
      client,
      "cutout",
      [
        "object_id",
        "source",
        "bands",
        "width_px",
        "height_px",
        "pixel_scale_arcsec",
        "rgb",
        "source_format",
        "source_file",
        "content_hash",
      ],
      newCutouts.map((cutout): CopyValue[] => [
        { int4: cutout.id },
        { text: cutout.record.source },
        { text: "gri" },
        { int4: cutout.record.widthPx },
        { int4: cutout.record.heightPx },
        cutout.record.pixelScaleArcsec === undefined
          ? { null: true as const }
          : { float8: cutout.record.pixelScaleArcsec },
        { bytea: cutout.record.rgb },
        { text: cutout.record.sourceFormat },
        { text: cutout.file },
        { text: hash(cutout.record.rgb) },
      ]),
    );
    outcome.cutouts += newCutouts.length;
  }
  const updatedCutouts = cutouts.filter((cutout) => storedCutouts.has(`${cutout.id}/${cutout.record.source}`));
  if (updatedCutouts.length > 0) {
    await stagePayloads(
      client,
      updatedCutouts.map((cutout) => cutout.record.rgb),
      copy,
    );
    await client.query(
      `INSERT INTO cutout (object_id, source, bands, width_px, height_px, pixel_scale_arcsec, rgb, source_format, source_file, content_hash)
       SELECT id, src, 'gri', w, h, ps, s.data, fmt, f, hash FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::float8[], $6::text[], $7::text[], $8::text[])
         WITH ORDINALITY AS t(id, src, w, h, ps, fmt, f, hash, ord)
         JOIN ingest_payload s ON s.ord = t.ord
       ON CONFLICT (object_id, source) DO UPDATE SET rgb = EXCLUDED.rgb, width_px = EXCLUDED.width_px, height_px = EXCLUDED.height_px,
         source_format = EXCLUDED.source_format, source_file = EXCLUDED.source_file, content_hash = EXCLUDED.content_hash
       WHERE cutout.content_hash <> EXCLUDED.content_hash`,
      [
        updatedCutouts.map((cutout) => cutout.id),
        updatedCutouts.map((cutout) => cutout.record.source),
        updatedCutouts.map((cutout) => cutout.record.widthPx),
        updatedCutouts.map((cutout) => cutout.record.heightPx),
        updatedCutouts.map((cutout) => cutout.record.pixelScaleArcsec ?? null),
        updatedCutouts.map((cutout) => cutout.record.sourceFormat),
        updatedCutouts.map((cutout) => cutout.file),
        updatedCutouts.map((cutout) => hash(cutout.record.rgb)),
      ],
    );
    outcome.cutouts += updatedCutouts.length;
  }
}

/** Which (object, kind) targets already have a stored row; objects created in this batch have none. */
async function existingTargets(
  client: pg.ClientBase,
  table: string,
  column: string,
  targets: Array<[number, string]>,
  createdIds: Set<number>,
  copy: boolean,
): Promise<Set<string>> {
  // Without COPY every row takes the upsert path, as if it were stored already.
  if (!copy) return new Set(targets.map(([id, target]) => `${id}/${target}`));
  const candidates = targets.filter(([id]) => !createdIds.has(id));
  if (candidates.length === 0) return new Set();
  const rows = (
    await client.query<{ object_id: number; target: string }>(
      `SELECT t.object_id, t.${column}::text AS target FROM ${table} t WHERE t.object_id = ANY($1::int[])`,
      [[...new Set(candidates.map(([id]) => id))]],
    )
  ).rows;
  return new Set(rows.map((row) => `${row.object_id}/${row.target}`));
}

/** SHA-256 over several buffers, as if concatenated. */
function hashParts(parts: Buffer[]): string {
  const digest = createHash("sha256");
  for (const part of parts) digest.update(part);
  return digest.digest("hex");
}

/** A group that brings no strip, spectrum or cutout (a catalogue row). */
const withoutPayload = (group: ObjectGroup) =>
  group.strips.length === 0 && group.spectra1d.length === 0 && group.cutouts.length === 0;

async function refreshModalities(client: pg.ClientBase, ids: number[]): Promise<void> {
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
