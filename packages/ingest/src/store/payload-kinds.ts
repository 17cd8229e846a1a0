// The three payload kinds an object carries — 2D strips (per arm), 1D spectra (per survey) and
// cutouts (per source) — each described once (table, target column, COPY columns, upsert), and the
// one sequence that writes any of them: one row per target (a later record replaces an earlier one,
// reported), new targets by binary COPY, stored ones by an upsert of staged bytes that leaves
// unchanged content alone.
import { createHash } from "node:crypto";
import type { SqlClient } from "@macnet/db/sql";
import type { CutoutRecord, Spectrum1DRecord, StripDigest, StripRecord } from "../records.ts";
import { digestStrip } from "../strip-digest.ts";
import type { BatchOutcome, StoreOptions } from "./batch-outcome.ts";
import { type CopyValue, copyRows, stagePayloads } from "./copy-payloads.ts";
import type { ObjectGroup } from "./merge-items.ts";

const hash = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const asBuffer = (array: Float32Array | Uint8Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
const pgArray = (values: number[]) => `{${values.join(",")}}`;

/** SHA-256 over several buffers, as if concatenated. */
function hashParts(parts: Buffer[]): string {
  const digest = createHash("sha256");
  for (const part of parts) digest.update(part);
  return digest.digest("hex");
}

/** A record of a kind, from a file, for a resolved object. */
interface Placed<R> {
  record: R;
  file: string;
  id: number;
}

interface PayloadKind<R> {
  /** How a superseded record is reported ("2D strip"). */
  what: string;
  /** The BatchOutcome counter it adds to. */
  counter: "strips" | "spectra1d" | "cutouts";
  table: string;
  /** The column that, with object_id, identifies a stored row (arm, survey, source). */
  targetColumn: string;
  records: (group: ObjectGroup) => Array<{ record: R; file: string }>;
  target: (record: R) => string;
  copyColumns: string[];
  copyRow: (row: Placed<R>) => CopyValue[];
  /** The bytes staged in ingest_payload for the upsert (one per row, in order). */
  payload: (record: R) => Buffer | Uint8Array;
  /** INSERT … SELECT from unnest($1…) WITH ORDINALITY joined to ingest_payload, ON CONFLICT … WHERE content changed. */
  upsertSql: string;
  upsertParams: (rows: Placed<R>[]) => unknown[];
}

const spectrumParts = (record: Spectrum1DRecord) => [
  asBuffer(record.wavelength),
  asBuffer(record.flux),
  asBuffer(record.ivar),
];

/** A strip as the reader hands it over: with its statistics and hash when the reader computed them. */
type DigestedStrip = StripRecord & { digest?: StripDigest };

const STRIPS: PayloadKind<DigestedStrip> = {
  what: "2D strip",
  counter: "strips",
  table: "spectrum_2d",
  targetColumn: "arm",
  records: (group) => group.strips,
  target: (record) => record.arm,
  copyColumns: [
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
  copyRow: ({ record, file, id }) => {
    const { mean, std, min, max, hash: contentHash } = record.digest ?? digestStrip(record.data);
    return [
      { int4: id },
      { text: record.arm },
      { int4: record.widthPx },
      { int4: record.lengthPx },
      { int4: record.pixelStart },
      { text: "float32" },
      { bytea: asBuffer(record.data) },
      { float8Array: record.wavelengthCoeffs },
      { float8: mean },
      { float8: std },
      { float8: min },
      { float8: max },
      { text: file },
      { text: contentHash },
    ];
  },
  payload: (record) => asBuffer(record.data),
  upsertSql: `INSERT INTO spectrum_2d (object_id, arm, width_px, length_px, pixel_start, dtype, data, wavelength_coeffs, mean, std, min, max, source_file, content_hash)
       SELECT id, arm::"SpectrographArm", w, l, p, 'float32', s.data, c::float8[], mean, std, mn, mx, f, h
         FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::text[], $12::text[])
           WITH ORDINALITY AS t(id, arm, w, l, p, c, mean, std, mn, mx, f, h, ord)
         JOIN ingest_payload s ON s.ord = t.ord
       ON CONFLICT (object_id, arm) DO UPDATE SET width_px = EXCLUDED.width_px, length_px = EXCLUDED.length_px, data = EXCLUDED.data,
         wavelength_coeffs = EXCLUDED.wavelength_coeffs, mean = EXCLUDED.mean, std = EXCLUDED.std, min = EXCLUDED.min, max = EXCLUDED.max,
         source_file = EXCLUDED.source_file, content_hash = EXCLUDED.content_hash
       WHERE spectrum_2d.content_hash <> EXCLUDED.content_hash`,
  upsertParams: (rows) => {
    const stats = rows.map((row) => row.record.digest ?? digestStrip(row.record.data));
    return [
      rows.map((row) => row.id),
      rows.map((row) => row.record.arm),
      rows.map((row) => row.record.widthPx),
      rows.map((row) => row.record.lengthPx),
      rows.map((row) => row.record.pixelStart),
      rows.map((row) => pgArray(row.record.wavelengthCoeffs)),
      stats.map((s) => s.mean),
      stats.map((s) => s.std),
      stats.map((s) => s.min),
      stats.map((s) => s.max),
      rows.map((row) => row.file),
      stats.map((s) => s.hash),
    ];
  },
};

const SPECTRA: PayloadKind<Spectrum1DRecord> = {
  what: "1D spectrum",
  counter: "spectra1d",
  table: "spectrum_1d",
  targetColumn: "survey",
  records: (group) => group.spectra1d,
  target: (record) => record.survey,
  copyColumns: [
    "object_id",
    "survey",
    "n_pixels",
    "wavelength_angstrom",
    "flux",
    "ivar",
    "source_file",
    "content_hash",
  ],
  copyRow: ({ record, file, id }) => {
    const parts = spectrumParts(record);
    return [
      { int4: id },
      { text: record.survey },
      { int4: record.flux.length },
      { bytea: parts[0] as Buffer },
      { bytea: parts[1] as Buffer },
      { bytea: parts[2] as Buffer },
      { text: file },
      { text: hashParts(parts) },
    ];
  },
  // Each staged payload is wavelength ‖ flux ‖ ivar, n float32 values each.
  payload: (record) => Buffer.concat(spectrumParts(record)),
  upsertSql: `INSERT INTO spectrum_1d (object_id, survey, n_pixels, wavelength_angstrom, flux, ivar, source_file, content_hash)
       SELECT id, survey, n, substring(s.data FROM 1 FOR 4 * n), substring(s.data FROM 4 * n + 1 FOR 4 * n), substring(s.data FROM 8 * n + 1 FOR 4 * n), f, h
         FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::text[]) WITH ORDINALITY AS t(id, survey, n, f, h, ord)
         JOIN ingest_payload s ON s.ord = t.ord
       ON CONFLICT (object_id, survey) DO UPDATE SET n_pixels = EXCLUDED.n_pixels, wavelength_angstrom = EXCLUDED.wavelength_angstrom,
         flux = EXCLUDED.flux, ivar = EXCLUDED.ivar, source_file = EXCLUDED.source_file, content_hash = EXCLUDED.content_hash
       WHERE spectrum_1d.content_hash <> EXCLUDED.content_hash`,
  upsertParams: (rows) => [
    rows.map((row) => row.id),
    rows.map((row) => row.record.survey),
    rows.map((row) => row.record.flux.length),
    rows.map((row) => row.file),
    rows.map((row) => hashParts(spectrumParts(row.record))),
  ],
};

const CUTOUTS: PayloadKind<CutoutRecord> = {
  what: "cutout",
  counter: "cutouts",
  table: "cutout",
  targetColumn: "source",
  records: (group) => group.cutouts,
  target: (record) => record.source,
  copyColumns: [
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
  copyRow: ({ record, file, id }) => [
    { int4: id },
    { text: record.source },
    { text: "gri" },
    { int4: record.widthPx },
    { int4: record.heightPx },
    record.pixelScaleArcsec === undefined ? { null: true as const } : { float8: record.pixelScaleArcsec },
    { bytea: record.rgb },
    { text: record.sourceFormat },
    { text: file },
    { text: hash(record.rgb) },
  ],
  payload: (record) => record.rgb,
  upsertSql: `INSERT INTO cutout (object_id, source, bands, width_px, height_px, pixel_scale_arcsec, rgb, source_format, source_file, content_hash)
       SELECT id, src, 'gri', w, h, ps, s.data, fmt, f, hash FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::float8[], $6::text[], $7::text[], $8::text[])
         WITH ORDINALITY AS t(id, src, w, h, ps, fmt, f, hash, ord)
         JOIN ingest_payload s ON s.ord = t.ord
       ON CONFLICT (object_id, source) DO UPDATE SET rgb = EXCLUDED.rgb, width_px = EXCLUDED.width_px, height_px = EXCLUDED.height_px,
         source_format = EXCLUDED.source_format, source_file = EXCLUDED.source_file, content_hash = EXCLUDED.content_hash
       WHERE cutout.content_hash <> EXCLUDED.content_hash`,
  upsertParams: (rows) => [
    rows.map((row) => row.id),
    rows.map((row) => row.record.source),
    rows.map((row) => row.record.widthPx),
    rows.map((row) => row.record.heightPx),
    rows.map((row) => row.record.pixelScaleArcsec ?? null),
    rows.map((row) => row.record.sourceFormat),
    rows.map((row) => row.file),
    rows.map((row) => hash(row.record.rgb)),
  ],
};

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

/** Which (object, kind) targets already have a stored row; objects created in this batch have none. */
async function existingTargets(
  client: SqlClient,
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

/** Writes one kind's records of the groups (the sequence every kind shares). */
async function writeKind<R>(
  kind: PayloadKind<R>,
  client: SqlClient,
  groups: ObjectGroup[],
  ids: Map<ObjectGroup, number>,
  createdIds: Set<number>,
  options: StoreOptions,
  outcome: BatchOutcome,
): Promise<void> {
  const { copy, written } = options;
  const targetOf = (row: Placed<R>) => `${row.id}/${kind.target(row.record)}`;
  const { rows, rewritten } = lastPerTarget(
    groups.flatMap((group) => kind.records(group).map((item) => ({ ...item, id: ids.get(group) as number }))),
    targetOf,
    outcome,
    kind.what,
    written,
  );
  // A row replacing one stored earlier in the run is counted once.
  outcome[kind.counter] -= rewritten;
  // Rows with no stored counterpart cannot conflict: they go straight in by binary COPY.
  const stored = await existingTargets(
    client,
    kind.table,
    kind.targetColumn,
    rows.map((row) => [row.id, kind.target(row.record)]),
    createdIds,
    copy,
  );
  const fresh = rows.filter((row) => !stored.has(targetOf(row)));
  if (fresh.length > 0) {
    await copyRows(client, kind.table, kind.copyColumns, fresh.map(kind.copyRow));
    outcome[kind.counter] += fresh.length;
  }
  const updated = rows.filter((row) => stored.has(targetOf(row)));
  if (updated.length > 0) {
    await stagePayloads(
      client,
      updated.map((row) => kind.payload(row.record)),
      copy,
    );
    await client.query(kind.upsertSql, kind.upsertParams(updated));
    outcome[kind.counter] += updated.length;
  }
}

/** Writes the groups' strips, 1D spectra and cutouts for their resolved objects. */
export async function writePayloads(
  client: SqlClient,
  groups: ObjectGroup[],
  ids: Map<ObjectGroup, number>,
  createdIds: Set<number>,
  options: StoreOptions,
  outcome: BatchOutcome,
): Promise<void> {
  await writeKind(STRIPS, client, groups, ids, createdIds, options, outcome);
  await writeKind(SPECTRA, client, groups, ids, createdIds, options, outcome);
  await writeKind(CUTOUTS, client, groups, ids, createdIds, options, outcome);
}
