export {
  ARCHITECTURE_INPUTS,
  ARCHITECTURES,
  type Architecture,
  buildModel,
  COMPACT_CONFIG,
  FULL_CONFIG,
  type InputName,
  inputShapes,
  type ModelConfig,
  modelConfigSchema,
  resolveConfig,
} from "./architectures.ts";
export {
  CLASSES,
  createDataset,
  type DatasetSummary,
  listDatasets,
  SPLITS,
  type Split,
  stratifiedSplit,
  type TCreateDatasetInput,
  ZCreateDatasetInput,
} from "./datasets.ts";
export { Cbam, LocalResponseNorm, MacnetBatchNormalization, MacnetConv2D } from "./layers.ts";
