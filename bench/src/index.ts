export { type IngestBenchmarkOptions, type IngestBenchmarkResult, runIngestBenchmark } from "./ingest-benchmark.ts";
