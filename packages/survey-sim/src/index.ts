export {
  type Arm,
  DETECTOR,
  DISPERSION_PIXELS,
  dispersionAt,
  nominalSolution,
  pixelAt,
  RESOLVING_POWER,
  wavelengthAt,
} from "./instrument/spectrograph.ts";
export { SKY_LINES, TELLURIC_BANDS } from "./physics/lines.ts";
export { CATALOGUE_COLUMNS, TRUTH_COLUMNS } from "./products/catalogue.ts";
export { CUTOUT } from "./products/cutout.ts";
export { DR7_GRID, MASK } from "./products/spectrum-1d.ts";
export {
  LAYOUT,
  type SimulationProgress,
  type SimulationSummary,
  simulateSurvey,
  type TSimulateOptions,
  ZSimulateOptions,
} from "./simulate-survey.ts";
export {
  apportion,
  type ObjectClass,
  PAPER_CLASS_MIX,
  SIM_CLASS_ORDER,
  SIMULATED_OBSID_BASE,
  SurveyError,
} from "./survey-plan.ts";
