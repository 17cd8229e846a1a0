// Sky geometry: angular separation, the point at a distance and bearing, and the declination zones
// of the sky's spatial index (migration 20261205200000_sky_zones). A zone is a strip of
// 1/ZONES_PER_DEGREE degrees of declination; celestial_object is indexed on (zone, ra_deg), so a cone
// is read as one RA-bounded index range per zone it crosses.

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
const RAD = Math.PI / 180;

/** Angular separation in degrees (haversine, stable at small angles). */
export function separationDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const h =
    Math.sin(((dec2 - dec1) * RAD) / 2) ** 2 +
    Math.cos(dec1 * RAD) * Math.cos(dec2 * RAD) * Math.sin(((ra2 - ra1) * RAD) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h)))) / RAD;
}

/** Angular separation in arcseconds. */
export const separationArcsec = (ra1: number, dec1: number, ra2: number, dec2: number): number =>
  separationDeg(ra1, dec1, ra2, dec2) * 3600;

/**
 * The point `distanceDeg` from (ra, dec) along the bearing `bearingDeg` (position angle, degrees from
 * north through east), on the sphere; RA in [0, 360).
 */
export function destination(raDeg: number, decDeg: number, distanceDeg: number, bearingDeg: number): [number, number] {
  const rad = Math.PI / 180;
  const d = distanceDeg * rad;
  const bearing = bearingDeg * rad;
  const dec1 = decDeg * rad;
  const dec2 = Math.asin(Math.sin(dec1) * Math.cos(d) + Math.cos(dec1) * Math.sin(d) * Math.cos(bearing));
  const ra2 =
    raDeg * rad +
    Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(dec1), Math.cos(d) - Math.sin(dec1) * Math.sin(dec2));
  return [(((ra2 / rad) % 360) + 360) % 360, dec2 / rad];
}

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
