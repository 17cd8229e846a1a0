export { type IngestOptions, type IngestProgress, type IngestReport, ingestPaths, listFiles } from "./ingest-paths.ts";
export { readSurveyFile } from "./read-file.ts";
export type { FileKind, FileReadResult, IngestItem, ObjectClass, ObjectRecord, Rejection } from "./records.ts";
export { binaryCopyRows } from "./store/copy-payloads.ts";
