export { type ApiBenchResult, type LoadFigures, runApiBenchmark } from "./api-benchmark.ts";
export { type IngestBenchmarkOptions, type IngestBenchmarkResult, runIngestBenchmark } from "./ingest-benchmark.ts";
export { describeMachine, type MachineInfo, machineLine } from "./machine.ts";
export { type ModelBenchOptions, type ModelBenchResult, type ModelBenchRow, runModelBenchmark } from "./models.ts";
export {
  type LatencyFigures,
  runScaleBenchmark,
  type ScaleBenchOptions,
  type ScaleBenchResult,
} from "./scale-benchmark.ts";
export { runStartBenchmark, type StartBenchOptions, type StartBenchResult, type Timings } from "./start-benchmark.ts";
