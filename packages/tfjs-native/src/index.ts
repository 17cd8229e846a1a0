export { ADDON_PATH, loadAddon, type NativeAddon } from "./addon.ts";
export {
  BACKEND_CHOICES,
  type BackendChoice,
  type BackendSelection,
  bufferPool,
  ONEDNN_BACKEND,
  registerOneDnnBackend,
  selectBackend,
} from "./backend.ts";
export { type BatchNormTrainingResult, batchNormTraining } from "./batchnorm.ts";
export { type Conv2dTrainingOptions, conv2dTraining } from "./conv.ts";
export { variableGradsFreeing } from "./gradients.ts";
export { kernelStats, NATIVE_KERNELS } from "./kernels.ts";
export { adagrad, FusedAdagradOptimizer, freeingGradients } from "./optimizer.ts";
export { dropoutTraining, maxPoolTraining } from "./training-ops.ts";
