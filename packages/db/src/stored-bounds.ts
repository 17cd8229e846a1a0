// Bounds on what one stored object may hold, enforced by ingest (a file over them is rejected) and
// relied on by the API's cost estimate (apps/api/src/limits.ts): a field's cost is what its largest
// possible value weighs, so these numbers are what keeps that estimate an upper bound.

/** Rows kept around a fibre's trace in a 2D strip (cross-dispersion). */
export const STRIP_ROWS = 11;
/** Longest 2D strip along the dispersion axis (LAMOST's CCDs are 4 136 columns wide). */
export const MAX_STRIP_LENGTH_PX = 8192;
/** Most pixels of a 1D spectrum (LAMOST LRS ~3 900, SDSS/BOSS coadds ~4 600). */
export const MAX_SPECTRUM_PIXELS = 16_384;
/** Side of a stored cutout, in pixels. */
export const CUTOUT_SIDE_PX = 64;
