import type { ObjectClass } from "@macnet/core";

export type { ObjectClass };

/**
 * What one file says about an object. `keys` identify it across files and runs:
 * `obsid:N`, `lamost-fibre:LMJD/PLANID/SPID/FIBRE`, `sdss-spec:PLATE/MJD/FIBRE`, `sdss-obj:OBJID`.
 */
export interface ObjectRecord {
  keys: string[];
  obsid?: bigint;
  sdssObjId?: bigint;
  designation?: string;
  raDeg?: number;
  decDeg?: number;
  /** undefined: the file does not say; null: it says the class is unknown. */
  catalogClass?: ObjectClass | null;
  subclass?: string;
  redshift?: number;
  planId?: string;
  obsDate?: string;
  lmjd?: number;
  spectrographId?: number;
  fiberId?: number;
  release?: string;
  magnitudes?: Record<string, number>;
}

/** One arm's strip: the central rows around the trace, full length, float32. */
export interface StripRecord {
  arm: "BLUE" | "RED";
  widthPx: number;
  lengthPx: number;
  pixelStart: number;
  data: Float32Array;
  wavelengthCoeffs: number[];
}

/** Mean, σ and extremes of a strip's pixels. */
export interface StripStats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Summary statistics and SHA-256 of a strip, computed where it is read. */
export interface StripDigest extends StripStats {
  hash: string;
}

/** A 1D spectrum on its own wavelength grid (vacuum Å). */
export interface Spectrum1DRecord {
  survey: "LAMOST" | "SDSS";
  wavelength: Float32Array;
  flux: Float32Array;
  ivar: Float32Array;
}

/** A cutout as 64 × 64 interleaved RGB. */
export interface CutoutRecord {
  source: string;
  widthPx: number;
  heightPx: number;
  pixelScaleArcsec: number | undefined;
  rgb: Uint8Array;
  sourceFormat: "jpeg" | "png" | "fits";
}

/** One band of a g/r/i cutout (nanomaggies), to be combined once all three are read. */
export interface BandImageRecord {
  band: "g" | "r" | "i";
  widthPx: number;
  heightPx: number;
  pixelScaleArcsec: number | undefined;
  data: Float32Array;
}

/** Everything one file contributes for one object. */
export interface IngestItem {
  object: ObjectRecord;
  /** `stats`: computed by a reader that had the pixels at hand anyway (saves a pass). */
  strips?: Array<StripRecord & { stats?: StripStats; digest?: StripDigest }>;
  spectrum1d?: Spectrum1DRecord;
  cutout?: CutoutRecord;
  band?: BandImageRecord;
  /** Where in its file the item was read (a catalogue row's line), for rejections that name it. */
  line?: number;
}

/** A refused input: which file, which field, and why. */
export interface Rejection {
  file: string;
  field?: string;
  reason: string;
}

/** The file kinds recognised by content. */
export type FileKind =
  | "lamost-frame"
  | "lamost-strip"
  | "lamost-1d"
  | "sdss-spectrum"
  | "cutout-image"
  | "cutout-band"
  | "lamost-catalogue"
  | "sdss-catalogue"
  | "truth-file"
  | "survey-manifest"
  | "unrecognised";

/** One row of a simulated survey's truth file: what the object really is (never a model input). */
export interface TruthRecord {
  obsid: bigint;
  trueClass: ObjectClass;
  catalogueClass: ObjectClass | null;
  labelFlipped: boolean;
  line: number;
}

/** What reading one file gave. */
export interface FileReadResult {
  kind: FileKind;
  items: IngestItem[];
  rejections: Rejection[];
  /** A truth file's rows (kept apart from the objects: label audits score themselves against them). */
  truth?: TruthRecord[];
}

/** A problem with one input field; the reader's caller turns it into a rejection of that file. */
export class InputError extends Error {
  readonly code = "INGEST_INPUT";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** Normalises a class label; 'Unknown' gives null, anything else unrecognised is an error naming the field. */
export function parseClass(value: unknown, field: string): ObjectClass | null {
  const text = String(value ?? "")
    .trim()
    .toUpperCase();
  if (text === "STAR" || text === "GALAXY" || text === "QSO") return text;
  if (text === "QUASAR") return "QSO";
  if (text === "UNKNOWN" || text === "") return null;
  throw new InputError(
    `unknown class ${quote(String(value).trim())} in ${field} (expected STAR, GALAXY, QSO or Unknown)`,
    field,
  );
}

/** Characters of a bad value a rejection quotes: the rest is counted, not copied. */
export const QUOTED_CHARS = 40;

/** A value as a rejection quotes it: '…' with at most QUOTED_CHARS characters. */
export function quote(value: string): string {
  if (value.length <= QUOTED_CHARS) return `'${value}'`;
  return `'${value.slice(0, QUOTED_CHARS)}…' (${value.length} characters)`;
}

/** The largest value of PostgreSQL's bigint (obsid, SDSS objID). */
export const BIGINT_MAX = 2n ** 63n - 1n;
/** The largest value of PostgreSQL's integer (LMJD, spectrograph, fibre). */
export const INTEGER_MAX = 2 ** 31 - 1;

/** An identifier a file holds as a number or bigint, as a bigint; a fraction is refused naming `field`. */
export function wholeId(value: number | bigint, field: string): bigint {
  if (typeof value === "number" && !Number.isInteger(value))
    throw new InputError(`${field} ${quote(String(value))} is not a whole number`, field);
  return BigInt(value);
}

/** What a file calls the identifiers of an object record (CSV columns or FITS keywords). */
export type IdentifierNames = Record<"obsid" | "sdssObjId" | "lmjd" | "spectrographId" | "fiberId", string>;

/** Refuses a bigint identifier (obsid, objID) outside PostgreSQL's bigint, or negative, naming `field`. */
export function checkBigintId(value: bigint, field: string): void {
  if (value < 0n || value > BIGINT_MAX)
    throw new InputError(`${field} ${quote(String(value))} is outside [0, ${BIGINT_MAX}]`, field);
}

/**
 * Refuses identifiers that are not non-negative integers fitting their columns, naming the field as
 * the file calls it: numbers from files are data, and one out of range must cost its row, not the run.
 */
export function checkIdentifiers(object: ObjectRecord, names: IdentifierNames): void {
  for (const key of ["obsid", "sdssObjId"] as const) {
    const value = object[key];
    if (value !== undefined) checkBigintId(value, names[key]);
  }
  for (const key of ["lmjd", "spectrographId", "fiberId"] as const) {
    const value = object[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= INTEGER_MAX))
      throw new InputError(
        `${names[key]} ${quote(String(value))} is not a whole number in [0, ${INTEGER_MAX}]`,
        names[key],
      );
  }
}

/** Identity keys of a LAMOST fibre observation. */
export function lamostFibreKey(lmjd: number, planId: string, spectrographId: number, fiberId: number): string {
  return `lamost-fibre:${Math.round(lmjd)}/${planId.trim()}/${spectrographId}/${fiberId}`;
}

/** Refuses an array longer than what one stored object may hold (@macnet/db stored-bounds.ts), before it is read. */
export function checkLength(length: number, max: number, what: string, field: string): void {
  if (length > max)
    throw new InputError(`${what} has ${length} pixels, more than the ${max} the platform stores`, field);
}

/** Float32 copy that fails on any non-finite value, naming the field. */
export function finiteFloat32(values: ArrayLike<number>, field: string, allowNaN = false): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value) && !(allowNaN && Number.isNaN(value))) {
      throw new InputError(`non-finite value (${value}) in ${field} at index ${i}`, field);
    }
    out[i] = value;
  }
  return out;
}
