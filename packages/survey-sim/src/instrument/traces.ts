import type { Rng } from "@macnet/core";
import { DISPERSION_PIXELS, FIBRE_PITCH_PX, FRAME_MARGIN_PX } from "./spectrograph.ts";

/** Where a fibre's light falls on the CCD and how it spreads across the dispersion axis. */
export interface FibreTrace {
  /** Trace centre row y(x) = c[0] + c[1]·x + c[2]·x², 0-based pixel coordinates. */
  centre: [number, number, number];
  /** Gaussian σ of the cross-dispersion profile at the frame centre, pixels. */
  sigmaPx: number;
  /** Relative fibre throughput (what a flat field would measure). */
  throughput: number;
}

/** Fraction of the profile's light in the broad wings (scattered light, fibre mode mixing). */
export const WING_FRACTION = 0.03;
/** Wing σ relative to the core σ. */
export const WING_SIGMA_FACTOR = 3;

const HALF = (DISPERSION_PIXELS - 1) / 2;

/** Rows a frame needs for `fibres` traces. */
export function frameRows(fibres: number): number {
  return fibres * FIBRE_PITCH_PX + 2 * FRAME_MARGIN_PX;
}

/** Draws the traces of one frame: a common tilt and curvature, plus each fibre's own small deviations. */
export function drawTraces(fibres: number, rng: Rng): FibreTrace[] {
  const tilt = rng.normal(0, 1.5);
  const curvature = rng.uniform(1, 3);
  return Array.from({ length: fibres }, (_, index) => {
    const a0 = FRAME_MARGIN_PX + (index + 0.5) * FIBRE_PITCH_PX + rng.normal(0, 0.3);
    const a1 = tilt + rng.normal(0, 0.15);
    const a2 = curvature + rng.normal(0, 0.1);
    // y = a0 + a1·u + a2·u² with u = (x − HALF)/HALF, expanded in x.
    const centre: [number, number, number] = [a0 - a1 + a2, a1 / HALF - (2 * a2) / HALF, a2 / (HALF * HALF)];
    return { centre, sigmaPx: rng.normal(2.2, 0.08), throughput: Math.min(1.2, Math.max(0.8, rng.normal(1, 0.06))) };
  });
}

/** Trace centre row at column x. */
export function traceCentre(trace: FibreTrace, x: number): number {
  return trace.centre[0] + trace.centre[1] * x + trace.centre[2] * x * x;
}

/** Core σ at column x: the focus degrades towards the detector edges. */
export function traceSigma(trace: FibreTrace, x: number): number {
  const u = (x - HALF) / HALF;
  return trace.sigmaPx * (1 + 0.08 * u * u);
}
