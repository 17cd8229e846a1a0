export { createSqlPool, type SqlPool } from "../sql-pool.ts";
export { exportObjects, TABLE_FORMATS, TABLE_MEDIA, type TableFormat } from "./export-objects.ts";
export {
  bestEvaluatedModelId,
  CHUNK_ROWS,
  chooseTableModels,
  countObjectTable,
  MAX_TABLE_MODELS,
  type ObjectTableSpec,
  objectTableColumns,
  streamObjectTable,
  type TableDataset,
  type TableWriter,
  tableDataset,
  tableModels,
  type Verbosity,
} from "./object-table.ts";
export { sinkOf } from "./sink.ts";
export { filterFromParams } from "./table-request.ts";
