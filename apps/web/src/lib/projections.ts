// Sky projections for the sky map. Whole sky: Hammer (equal-area; a class's share of the area is
// its share of the sky), centred on RA 180° with RA increasing to the left, as on the sky seen from
// inside. Small fields: the gnomonic (tangent-plane) projection at the field's centre, drawn with
// the same scale on both axes — a cone around the tangent point is an exact circle.
// Projected coordinates are in radians-like units; x grows to the right, y upwards.

import { destination, separationDeg } from "@macnet/core";

const RAD = Math.PI / 180;

export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface Projection {
  kind: "hammer" | "tangent";
  /** (x, y) of a position, or null where the projection does not show it (the far hemisphere). */
  project(raDeg: number, decDeg: number): [number, number] | null;
  bounds: Bounds;
  /** Tangent plane: the field's centre and half-width (degrees). */
  centre?: { raDeg: number; decDeg: number; halfWidthDeg: number };
}

export function hammer(): Projection {
  const s2 = Math.SQRT2;
  return {
    kind: "hammer",
    bounds: { xMin: -2 * s2, xMax: 2 * s2, yMin: -s2, yMax: s2 },
    project(raDeg, decDeg) {
      // Longitude from the centre (RA 180°) in (-180, 180]; east (larger RA) to the left.
      let lambda = (raDeg - 180) % 360;
      if (lambda > 180) lambda -= 360;
      if (lambda <= -180) lambda += 360;
      const l = lambda * RAD;
      const phi = decDeg * RAD;
      const d = Math.sqrt(1 + Math.cos(phi) * Math.cos(l / 2));
      return [(-2 * s2 * Math.cos(phi) * Math.sin(l / 2)) / d, (s2 * Math.sin(phi)) / d];
    },
  };
}

export function tangentPlane(raDeg: number, decDeg: number, halfWidthDeg: number): Projection {
  const a0 = raDeg * RAD;
  const d0 = decDeg * RAD;
  const half = Math.tan(Math.min(halfWidthDeg, 60) * RAD);
  return {
    kind: "tangent",
    bounds: { xMin: -half, xMax: half, yMin: -half, yMax: half },
    centre: { raDeg, decDeg, halfWidthDeg },
    project(ra, dec) {
      const a = ra * RAD;
      const d = dec * RAD;
      const cosC = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * Math.cos(d) * Math.cos(a - a0);
      if (cosC <= 1e-6) return null;
      const xi = (Math.cos(d) * Math.sin(a - a0)) / cosC;
      const eta = (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * Math.cos(d) * Math.cos(a - a0)) / cosC;
      // East (increasing RA) to the left.
      return [-xi, eta];
    },
  };
}

export { destination, separationDeg };

/** Fields at most this wide (radius, degrees) get the tangent plane; wider ones the whole sky. */
export const SMALL_FIELD_DEG = 25;

/**
 * The view for a selection: a cone's own tangent plane (the whole sky for a cone wider than
 * SMALL_FIELD_DEG), else the
 * tangent plane around the points' mean direction when they all lie within SMALL_FIELD_DEG of it,
 * else the whole sky.
 */
export function chooseProjection(
  raDec: Float32Array,
  cone?: { raDeg: number; decDeg: number; radiusDeg: number } | null,
): Projection {
  if (cone) {
    return cone.radiusDeg <= SMALL_FIELD_DEG ? tangentPlane(cone.raDeg, cone.decDeg, cone.radiusDeg * 1.15) : hammer();
  }
  const n = raDec.length / 2;
  if (n === 0) return hammer();
  let [x, y, z] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const a = (raDec[2 * i] as number) * RAD;
    const d = (raDec[2 * i + 1] as number) * RAD;
    x += Math.cos(d) * Math.cos(a);
    y += Math.cos(d) * Math.sin(a);
    z += Math.sin(d);
  }
  const norm = Math.hypot(x, y, z);
  if (norm < 1e-9) return hammer();
  const raC = (((Math.atan2(y, x) / RAD) % 360) + 360) % 360;
  const decC = Math.asin(z / norm) / RAD;
  let widest = 0;
  for (let i = 0; i < n; i++) {
    widest = Math.max(widest, separationDeg(raC, decC, raDec[2 * i] as number, raDec[2 * i + 1] as number));
    if (widest > SMALL_FIELD_DEG) return hammer();
  }
  return tangentPlane(raC, decC, Math.max(widest * 1.1, 0.05));
}

/** A "nice" grid step (degrees) giving about `lines` lines over `spanDeg`. */
export function gridStep(spanDeg: number, lines = 6): number {
  const steps = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 45, 60, 90];
  return steps.find((step) => spanDeg / step <= lines) ?? 90;
}

/** Degrees as a label with as many decimals as the step needs. */
export function formatDegrees(value: number, step: number): string {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return `${value.toFixed(decimals)}°`;
}
