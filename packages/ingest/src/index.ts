export { type IngestOptions, type IngestProgress, type IngestReport, ingestPaths } from "./ingest-paths.ts";
export { readSurveyFile } from "./read-file.ts";
export { readCsvRows } from "./readers/catalogues.ts";
export type { FileKind, FileReadResult, IngestItem, ObjectClass, ObjectRecord, Rejection } from "./records.ts";
export { InputError } from "./records.ts";
export { type ResumedRun, RUN_LEASE_S } from "./run-liveness.ts";
export { binaryCopyRows } from "./store/copy-payloads.ts";
export { listFiles, type WalkFs, type WalkResult } from "./walk-paths.ts";
