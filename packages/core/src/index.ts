export { CLASS_INDEX, isObjectClass, OBJECT_CLASSES, type ObjectClass } from "./classes.ts";
export { badInput, ERROR_CODES, type ErrorCode, EXIT_USAGE, isErrorCode, MacnetError } from "./errors.ts";
export { formatDuration } from "./format.ts";
export { lcg, mulberry32, Rng, seededUniform, xorshift32 } from "./random.ts";
export {
  coneRaRanges,
  destination,
  separationArcsec,
  separationDeg,
  ZONES_PER_DEGREE,
  zoneOf,
  zoneSql,
  zonesBetween,
} from "./sky.ts";
export { median, percentile } from "./stats.ts";
