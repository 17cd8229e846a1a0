// What a stored batch reports, and the options every batch of a run shares.
import type { Rejection } from "../records.ts";

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
