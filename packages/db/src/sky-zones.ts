// Declination zones: the sky's spatial index (migration 20261205200000_sky_zones). A zone is a strip
// of 1/ZONES_PER_DEGREE degrees of declination; celestial_object is indexed on (zone, ra_deg), so a
// cone is read as one RA-bounded index range per zone it crosses.

/** Zones per degree of declination: zones of 0.1°, 1 801 over the sky. */
export const ZONES_PER_DEGREE = 10;

/**
 * The zone of a row of `alias` in SQL, exactly as the index is built (a bind parameter or another
 * spelling would not match the index expression, and the planner would not use the index).
 */
export const zoneSql = (alias: string): string => `floor(${alias}.dec_deg * ${ZONES_PER_DEGREE})::integer`;

/** The zone of a declination, as `zoneSql` computes it. */
export const zoneOf = (decDeg: number): number => Math.floor(decDeg * ZONES_PER_DEGREE);

/** Every zone a declination band [from, to] crosses (clamped to the sky), in order. */
export function zonesBetween(fromDeg: number, toDeg: number): number[] {
  const first = zoneOf(Math.max(-90, fromDeg));
  const last = zoneOf(Math.min(90, toDeg));
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

const radians = (deg: number) => (deg * Math.PI) / 180;
const degrees = (rad: number) => (rad * 180) / Math.PI;

/** Right-ascension ranges [from, to] (degrees, within 0..360) that contain a cone; null: every RA. */
export function coneRaRanges(raDeg: number, decDeg: number, radiusDeg: number): [number, number][] | null {
  if (Math.abs(decDeg) + radiusDeg >= 90) return null; // the cap contains a pole
  const halfWidth = degrees(Math.asin(Math.sin(radians(radiusDeg)) / Math.cos(radians(decDeg))));
  const ra = ((raDeg % 360) + 360) % 360;
  const from = ra - halfWidth;
  const to = ra + halfWidth;
  if (from < 0)
    return [
      [from + 360, 360],
      [0, to],
    ];
  if (to >= 360)
    return [
      [from, 360],
      [0, to - 360],
    ];
  return [[from, to]];
}
