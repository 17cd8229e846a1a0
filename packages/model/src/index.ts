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
export { Cbam, LocalResponseNorm, MacnetBatchNormalization, MacnetConv2D } from "./layers.ts";
