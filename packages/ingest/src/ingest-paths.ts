import { statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { openConnection, type SqlConnection } from "@macnet/db/sql";
import { ReadPool } from "./read-pool.ts";
import { BandAssembler } from "./readers/band-images.ts";
import { loadJpegDecoder } from "./readers/jpeg-decoder.ts";
import type { FileKind, IngestItem, Rejection, TruthRecord } from "./records.ts";
import { REPORTED_REJECTIONS, RejectionLog } from "./rejection-log.ts";
import { interruptDeadRuns, openRun, type ResumedRun } from "./run-liveness.ts";
import { supportsCopy } from "./store/copy-payloads.ts";
import { groupItems, type SourcedItem } from "./store/merge-items.ts";
import { storeBatch } from "./store/store-batch.ts";
import { listFiles } from "./walk-paths.ts";

/** Read-ahead budget: files and bytes read but not yet stored. */
const READ_AHEAD_FILES = 1000;
const READ_AHEAD_BYTES = 256 * 1024 * 1024;
/**
 * A batch is also stored once its arrays reach this size: storing a frame's strips while the next
 * frame is read keeps both the reader thread and the database busy (one 400-object batch of
 * strips waited for four frames to be read, then kept the reader idle while it was stored).
 */
const BATCH_PAYLOAD_BYTES = 24 * 1024 * 1024;
/** Records that are worth a transaction of their own while the reader catches up. */
const MIN_EARLY_BATCH = 50;
/** Most records stored in one batch (one transaction), even from one file. */
const MAX_BATCH_ITEMS = 20_000;

/** Options of one ingest run. */
export interface IngestOptions {
  databaseUrl: string;
  paths: string[];
  /** Stored on every object the run creates; datasets can be limited to it. Defaults to the first path's name. */
  source?: string;
  /** Position cross-match radius for objects no key identifies. */
  matchToleranceArcsec?: number;
  /** Objects per transaction. */
  batchObjects?: number;
  onProgress?: (progress: IngestProgress) => void;
}

/** Reported after every file. */
export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  objects: number;
  bytes: number;
}

/** The run's report (also the `--json` summary of `macnet ingest`). */
export interface IngestReport {
  runId: number;
  source: string;
  files: { total: number; alreadyIngested: number; byKind: Partial<Record<FileKind, number>> };
  objects: { created: number; updated: number; positionMatches: number; merged: number };
  /** truthLabels: rows of a simulated survey's truth file (label_truth), never model inputs. */
  stored: { strips: number; spectra1d: number; cutouts: number; truthLabels: number };
  bytesRead: number;
  durationS: number;
  ambiguousMatches: Array<{ key: string; candidates: number[] }>;
  /** Records of one object replaced by a later record of the same kind (repeat observations). */
  superseded: Array<{ file: string; by: string; what: string }>;
  missingModalities: { SPECTRUM_2D: number; SPECTRUM_1D: number; CUTOUT: number };
  /** The first 100 objects missing a modality (all are counted in missingModalities and flaggedCount). */
  flagged: Array<{ objectId: number; key: string; missing: string[] }>;
  flaggedCount: number;
  /** The first 100 rejections (files, rows, skipped paths); all of them are stored with the run. */
  rejected: Rejection[];
  /** How many inputs were rejected in all. */
  rejectedCount: number;
  /** Runs whose process died before they finished, marked INTERRUPTED and resumed by this one. */
  resumed: ResumedRun[];
}

/**
 * Ingests survey files: each file is recognised by content and read; its objects are merged by
 * identity keys and stored in batches, each batch one transaction that also records the files it
 * completed. Files already ingested (same content) are skipped, so re-runs change nothing and a
 * killed run resumes where its last committed batch ended. Bad files are rejected with a reason and
 * everything else is still stored; the report is saved with the run.
 */
export async function ingestPaths(options: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const { files, skipped } = listFiles(options.paths);
  const source = options.source ?? basename(resolve(options.paths[0] ?? "."));
  const client = await openConnection(options.databaseUrl);
  try {
    const resumed = await interruptDeadRuns(client);
    const { runId, stopHeartbeat } = await openRun(client, {
      databaseUrl: options.databaseUrl,
      source,
      paths: options.paths.map((path) => resolve(path)),
      resumed: resumed.map((run) => run.runId),
    });
    const rejections = new RejectionLog(client, runId);
    rejections.add(skipped);
    const report: IngestReport = {
      runId,
      source,
      files: { total: files.length, alreadyIngested: 0, byKind: {} },
      objects: { created: 0, updated: 0, positionMatches: 0, merged: 0 },
      stored: { strips: 0, spectra1d: 0, cutouts: 0, truthLabels: 0 },
      bytesRead: 0,
      durationS: 0,
      ambiguousMatches: [],
      superseded: [],
      missingModalities: { SPECTRUM_2D: 0, SPECTRUM_1D: 0, CUTOUT: 0 },
      flagged: [],
      flaggedCount: 0,
      rejected: rejections.listed,
      rejectedCount: 0,
      resumed,
    };
    const touched = new Set<number>();
    try {
      const copy = await supportsCopy(client);
      const done = await alreadyIngested(client, files);
      const written = new Map<string, string>();
      let pending: SourcedItem[] = [];
      let pendingBytes = 0;
      let pendingFiles: Array<{ path: string; hash: string; kind: string }> = [];
      let pendingTruth: Array<TruthRecord & { file: string }> = [];
      let recycle: (buffers: ArrayBuffer[]) => void = () => {};
      const flush = async () => {
        if (pending.length === 0 && pendingFiles.length === 0) return;
        // Before the batch that records the truth file as ingested: a failure in between re-reads it.
        report.stored.truthLabels += await storeTruth(client, pendingTruth, runId);
        pendingTruth = [];
        const grouped = groupItems(pending);
        rejections.add(grouped.rejections);
        const outcome = await storeBatch(client, grouped.groups, pendingFiles, {
          runId,
          source,
          matchToleranceArcsec: options.matchToleranceArcsec ?? 1,
          copy,
          written,
        });
        report.objects.created += outcome.objectsCreated;
        report.objects.updated += outcome.objectsUpdated;
        report.objects.positionMatches += outcome.positionMatches;
        report.objects.merged += outcome.mergedObjects;
        report.stored.strips += outcome.strips;
        report.stored.spectra1d += outcome.spectra1d;
        report.stored.cutouts += outcome.cutouts;
        report.ambiguousMatches.push(...outcome.ambiguousMatches);
        report.superseded.push(...outcome.superseded);
        rejections.add(outcome.rejections);
        await rejections.flush();
        for (const id of outcome.touchedObjectIds) touched.add(id);
        // Committed: the strips' buffers go back to the reader for the next frames' strips.
        recycle(stripBuffers(pending));
        pending = [];
        pendingBytes = 0;
        pendingFiles = [];
      };
      let objects = 0;
      const bands = new BandAssembler();
      // Files are read ahead in a worker thread while the database stores the previous batch,
      // up to a budget of bytes and files in flight; a file the thread has not begun when it is
      // needed is read here instead of waited for.
      const pool = new ReadPool(files, done);
      recycle = (buffers) => pool.recycle(buffers);
      await loadJpegDecoder();
      const sizes = files.map((path) => sizeOf(path));
      let requested = 0;
      let inFlightBytes = 0;
      try {
        for (const [index, path] of files.entries()) {
          const batch: number[] = [];
          while (
            requested < files.length &&
            requested - index < READ_AHEAD_FILES &&
            (requested === index || inFlightBytes + (sizes[requested] as number) <= READ_AHEAD_BYTES)
          ) {
            inFlightBytes += sizes[requested] as number;
            batch.push(requested++);
          }
          // Largest first: the worker takes the frames, this thread the many small files around them.
          for (const next of batch.sort((a, b) => (sizes[b] as number) - (sizes[a] as number))) pool.request(next);
          // Rather than wait for the worker with records in hand, store them (a smaller batch): the
          // database works while the worker reads.
          if (pending.length >= MIN_EARLY_BATCH && pool.wouldWait(index)) await flush();
          const outcome = await pool.take(index);
          inFlightBytes -= sizes[index] as number;
          const { hash: contentHash, bytes, result } = outcome;
          report.bytesRead += bytes;
          if (!result) {
            report.files.alreadyIngested++;
          } else {
            report.files.byKind[result.kind] = (report.files.byKind[result.kind] ?? 0) + 1;
            rejections.add(result.rejections);
            if (rejections.full) await rejections.flush();
            for (const row of result.truth ?? []) pendingTruth.push({ ...row, file: path });
            for (const item of result.items) {
              pendingBytes += payloadBytes(item);
              if (!item.band) {
                pending.push({ item, file: item.line ? `${path}:${item.line}` : path });
                // A catalogue of millions of rows is stored in batches, not as one transaction
                // holding every row's statement arrays at once (3.2 GB at 10⁶ rows). The file is
                // recorded as ingested with its last batch; a run stopped before re-reads it, and
                // its rows already stored are found by their identifiers.
                if (pending.length >= MAX_BATCH_ITEMS) await flush();
                continue;
              }
              try {
                const assembled = bands.add(item, { path, hash: contentHash, kind: result.kind });
                if (assembled) {
                  pending.push({ item: assembled.item, file: assembled.files.map((file) => file.path).join(" + ") });
                  // Band files count as ingested only together with the cutout they make.
                  pendingFiles.push(...assembled.files);
                }
              } catch (error) {
                rejections.add([
                  { file: path, field: (error as { field?: string }).field, reason: (error as Error).message },
                ]);
              }
            }
            objects += result.items.length;
            // A file is recorded as ingested once its items are committed; rejected files are retried next time.
            const kept = result.items.length + (result.truth?.length ?? 0);
            if (result.kind !== "cutout-band" && (result.rejections.length === 0 || kept > 0))
              pendingFiles.push({ path, hash: contentHash, kind: result.kind });
            if (pending.length >= (options.batchObjects ?? 400) || pendingBytes >= BATCH_PAYLOAD_BYTES) await flush();
          }
          options.onProgress?.({ filesDone: index + 1, filesTotal: files.length, objects, bytes: report.bytesRead });
        }
      } finally {
        recycle = () => {};
        await pool.close();
      }
      rejections.add(bands.incomplete());
      await flush();
      await rejections.flush();
      report.rejectedCount = rejections.count;
      await summarise(client, report, [...touched]);
      report.durationS = Math.round((performance.now() - started) / 100) / 10;
      await client.query("UPDATE ingest_run SET status = 'SUCCEEDED', finished_at = now(), counts = $2 WHERE id = $1", [
        runId,
        JSON.stringify(countsOf(report)),
      ]);
      return report;
    } catch (error) {
      // What was refused before the failure is kept with the failed run.
      await rejections.flush().catch(() => {});
      await client
        .query("UPDATE ingest_run SET status = 'FAILED', finished_at = now(), counts = $2 WHERE id = $1", [
          runId,
          JSON.stringify({ error: (error as Error).message }),
        ])
        .catch(() => {});
      throw error;
    } finally {
      await stopHeartbeat();
    }
  } finally {
    await client.end();
  }
}

/** Upserts truth rows by obsid (a later truth file for the same obsid replaces the earlier row). */
async function storeTruth(
  client: SqlConnection,
  rows: Array<TruthRecord & { file: string }>,
  runId: number,
): Promise<number> {
  if (rows.length === 0) return 0;
  await client.query(
    `INSERT INTO label_truth (obsid, true_class, catalogue_class, label_flipped, file, run_id)
     SELECT t.obsid, t.true_class::"ObjectClass", t.catalogue_class::"ObjectClass", t.label_flipped, t.file, $6
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[], $5::text[])
            AS t(obsid, true_class, catalogue_class, label_flipped, file)
     ON CONFLICT (obsid) DO UPDATE SET true_class = EXCLUDED.true_class, catalogue_class = EXCLUDED.catalogue_class,
       label_flipped = EXCLUDED.label_flipped, file = EXCLUDED.file, run_id = EXCLUDED.run_id`,
    [
      rows.map((row) => row.obsid.toString()),
      rows.map((row) => row.trueClass),
      rows.map((row) => row.catalogueClass),
      rows.map((row) => row.labelFlipped),
      rows.map((row) => `${row.file}:${row.line}`),
      runId,
    ],
  );
  return rows.length;
}

/** A listed file's size for the read-ahead budget (0 when it is gone: reading it reports that). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Bytes of the arrays an item carries (strips, 1D spectrum, cutout). */
function payloadBytes(item: IngestItem): number {
  let bytes = item.cutout?.rgb.byteLength ?? 0;
  for (const strip of item.strips ?? []) bytes += strip.data.byteLength;
  if (item.spectrum1d) bytes += 3 * item.spectrum1d.flux.byteLength;
  return bytes;
}

async function alreadyIngested(client: SqlConnection, files: string[]): Promise<Set<string>> {
  if (files.length === 0) return new Set();
  const rows = (await client.query<{ content_hash: string }>("SELECT content_hash FROM ingested_file")).rows;
  return new Set(rows.map((row) => row.content_hash));
}

async function summarise(client: SqlConnection, report: IngestReport, touched: number[]): Promise<void> {
  if (touched.length === 0) return;
  // Counted in the database; only the first objects are listed, with one key each (the run may
  // have touched millions: a correlated min() per object was quadratic, minutes at 100 000 rows).
  const [counts] = (
    await client.query<{ flagged: string; SPECTRUM_2D: string; SPECTRUM_1D: string; CUTOUT: string }>(
      `SELECT count(*) FILTER (WHERE cardinality(missing_modalities) > 0) AS flagged,
              count(*) FILTER (WHERE 'SPECTRUM_2D' = ANY(missing_modalities::text[])) AS "SPECTRUM_2D",
              count(*) FILTER (WHERE 'SPECTRUM_1D' = ANY(missing_modalities::text[])) AS "SPECTRUM_1D",
              count(*) FILTER (WHERE 'CUTOUT' = ANY(missing_modalities::text[])) AS "CUTOUT"
         FROM celestial_object WHERE id = ANY($1::int[])`,
      [touched],
    )
  ).rows;
  report.flaggedCount = Number(counts?.flagged ?? 0);
  for (const modality of ["SPECTRUM_2D", "SPECTRUM_1D", "CUTOUT"] as const)
    report.missingModalities[modality] = Number(counts?.[modality] ?? 0);
  const listed = (
    await client.query<{ id: number; missing: string[]; key: string | null }>(
      `SELECT o.id, o.missing_modalities::text[] AS missing, k.key
         FROM (SELECT id, missing_modalities FROM celestial_object
                WHERE id = ANY($1::int[]) AND cardinality(missing_modalities) > 0 ORDER BY id LIMIT $2) o
         -- OFFSET 0 keeps the planner from answering min() by walking object_key's primary key.
         LEFT JOIN LATERAL (SELECT min(key) AS key
                              FROM (SELECT key FROM object_key WHERE object_id = o.id OFFSET 0) mine) k ON true
        ORDER BY o.id`,
      [touched, REPORTED_REJECTIONS],
    )
  ).rows;
  for (const row of listed) report.flagged.push({ objectId: row.id, key: row.key ?? "", missing: row.missing });
}

function countsOf(report: IngestReport): Record<string, unknown> {
  const { rejected, rejectedCount, flagged, ...counts } = report;
  return { ...counts, rejected: rejectedCount, flagged: report.flaggedCount };
}

/** The whole buffers of the items' strips (a strip viewing part of a larger buffer is left alone). */
function stripBuffers(items: readonly SourcedItem[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const { item } of items)
    for (const strip of item.strips ?? []) {
      const { buffer, byteOffset, byteLength } = strip.data;
      if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) buffers.add(buffer);
    }
  return [...buffers];
}
