import {
  checkBigintId,
  type IngestItem,
  InputError,
  lamostFibreKey,
  parseClass,
  quote,
  type Rejection,
  type TruthRecord,
} from "../records.ts";

/** Which catalogue a CSV header describes. */
export function catalogueKind(header: string[]): "lamost-catalogue" | "sdss-catalogue" | "truth-file" | undefined {
  const columns = new Set(header.map((name) => name.trim().toLowerCase()));
  if (columns.has("true_class")) return "truth-file";
  if (columns.has("obsid") && columns.has("class") && columns.has("ra") && columns.has("dec"))
    return "lamost-catalogue";
  if (
    columns.has("objid") &&
    columns.has("plate") &&
    columns.has("mjd") &&
    columns.has("fiberid") &&
    columns.has("class")
  )
    return "sdss-catalogue";
  return undefined;
}

/**
 * Longest catalogue line read (LAMOST's widest catalogue rows are about 1 KB): a longer one is
 * rejected by its length alone, without being decoded or parsed.
 */
export const MAX_CSV_LINE_BYTES = 64 * 1024;

/** Bad rows of one file listed one by one; past this they are counted in one closing rejection. */
export const MAX_ROW_REJECTIONS_PER_FILE = 10_000;

/**
 * One CSV line's fields (RFC 4180 quoting: "a, b" and "" for a quote inside quotes). Catalogue rows
 * never span lines, so each line is parsed alone: a broken line cannot swallow the ones after it.
 */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let value = "";
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0) throw new InputError("unclosed quote", "csv");
        value += line.slice(from, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      if (at < line.length && line[at] !== ",")
        throw new InputError(`text after a closing quote at column ${at + 1}`, "csv");
      fields.push(value);
    } else {
      const comma = line.indexOf(",", at);
      fields.push(line.slice(at, comma < 0 ? line.length : comma));
      at = comma < 0 ? line.length : comma;
    }
    if (at >= line.length) return fields;
    at++; // past the comma
    if (at === line.length) {
      fields.push("");
      return fields;
    }
  }
}

/**
 * Reads a catalogue CSV: one object per row; a bad row (wrong values, broken quoting, bytes that are
 * not UTF-8, control characters) is rejected alone as `file:line` naming the column, and every good
 * row is kept whatever the others hold. At most MAX_ROW_REJECTIONS_PER_FILE are listed.
 */
export function readCatalogue(
  path: string,
  text: Buffer,
  kind: "lamost-catalogue" | "sdss-catalogue",
): { items: IngestItem[]; rejections: Rejection[] } {
  const { rows, rejections } = readCsvRows(path, text, (row, line) => {
    const item = kind === "lamost-catalogue" ? lamostRow(row) : sdssRow(row);
    item.line = line;
    return item;
  });
  return { items: rows, rejections };
}

/**
 * Reads a survey simulator's truth.csv: what each obsid really is and whether its catalogue class was
 * made wrong on purpose (label_flipped; else true_class ≠ catalogue_class). Bad rows are rejected
 * one by one, as in a catalogue.
 */
export function readTruth(path: string, text: Buffer): { truth: TruthRecord[]; rejections: Rejection[] } {
  const { rows, rejections } = readCsvRows(path, text, (row, line): TruthRecord => {
    const obsidText = row.obsid?.trim() ?? "";
    if (!/^\d+$/.test(obsidText)) throw new InputError(`obsid ${quote(obsidText)} is not an integer`, "obsid");
    const obsid = BigInt(obsidText);
    checkBigintId(obsid, "obsid");
    const trueClass = parseClass(row.true_class, "true_class");
    if (trueClass === null) throw new InputError("true_class is empty or Unknown", "true_class");
    const catalogueClass =
      row.catalogue_class === undefined ? null : parseClass(row.catalogue_class, "catalogue_class");
    const flippedText = row.label_flipped?.trim();
    if (flippedText !== undefined && flippedText !== "0" && flippedText !== "1")
      throw new InputError(`label_flipped ${quote(flippedText)} is not 0 or 1`, "label_flipped");
    const labelFlipped =
      flippedText !== undefined ? flippedText === "1" : catalogueClass !== null && catalogueClass !== trueClass;
    return { obsid, trueClass, catalogueClass, labelFlipped, line };
  });
  return { truth: rows, rejections };
}

/**
 * Each data row of a CSV through `parse` (given the row by lower-cased column and its 1-based line).
 * Lines are found in the bytes and decoded one at a time; one longer than MAX_CSV_LINE_BYTES is
 * rejected without being decoded.
 */
export function readCsvRows<T>(
  path: string,
  bytes: Buffer,
  parse: (row: Record<string, string>, line: number) => T,
): { rows: T[]; rejections: Rejection[] } {
  const rows: T[] = [];
  const rejections: Rejection[] = [];
  let unlisted = 0;
  let header: string[] = [];
  let start = 0;
  for (let index = 0; start < bytes.length; index++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    const length = end - start;
    const lineStart = start;
    start = end + 1;
    try {
      if (length > MAX_CSV_LINE_BYTES)
        throw new InputError(
          `the line is ${length} bytes long, more than the ${MAX_CSV_LINE_BYTES} a catalogue row may have`,
          "line",
        );
      const line = bytes.toString("utf8", lineStart, end).replace(/\r$/, "");
      if (index === 0) {
        header = splitCsvLine(line).map((name) => name.trim().toLowerCase());
        continue;
      }
      if (line.trim() === "") continue;
      if (line.includes("\uFFFD")) throw new InputError("the line is not valid UTF-8 text", "encoding");
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
      if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(line))
        throw new InputError("the line holds control characters (binary data?)", "encoding");
      const fields = splitCsvLine(line);
      const row: Record<string, string> = {};
      header.forEach((name, column) => {
        row[name] = fields[column] ?? "";
      });
      rows.push(parse(row, index + 1));
    } catch (error) {
      if (rejections.length >= MAX_ROW_REJECTIONS_PER_FILE) {
        unlisted++;
        continue;
      }
      const field = error instanceof InputError ? error.field : undefined;
      rejections.push({ file: `${path}:${index + 1}`, field, reason: (error as Error).message });
    }
  }
  if (unlisted > 0) {
    rejections.push({
      file: path,
      reason: `${unlisted} more bad rows rejected (the first ${MAX_ROW_REJECTIONS_PER_FILE} are listed)`,
    });
  }
  return { rows, rejections };
}

function number(row: Record<string, string>, column: string, required = false): number | undefined {
  const text = row[column]?.trim();
  if (text === undefined || text === "") {
    if (required) throw new InputError(`missing ${column}`, column);
    return undefined;
  }
  const value = Number(text);
  // Decimal notation only: `0x10`, `0b1` and `1_000` are not catalogue numbers.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(value))
    throw new InputError(`${column} ${quote(text)} is not a number`, column);
  return value;
}

function position(row: Record<string, string>): { raDeg: number; decDeg: number } {
  const raDeg = number(row, "ra", true) as number;
  const decDeg = number(row, "dec", true) as number;
  if (raDeg < 0 || raDeg >= 360) throw new InputError(`ra ${raDeg} outside [0, 360)`, "ra");
  if (decDeg < -90 || decDeg > 90) throw new InputError(`dec ${decDeg} outside [-90, 90]`, "dec");
  return { raDeg, decDeg };
}

function lamostRow(row: Record<string, string>): IngestItem {
  const obsidText = row.obsid?.trim() ?? "";
  if (!/^\d+$/.test(obsidText)) throw new InputError(`obsid ${quote(obsidText)} is not an integer`, "obsid");
  const obsid = BigInt(obsidText);
  const keys = [`obsid:${obsid}`];
  const lmjd = number(row, "lmjd");
  const spid = number(row, "spid");
  const fiber = number(row, "fiberid");
  const planId = row.planid?.trim();
  if (planId && lmjd !== undefined && spid !== undefined && fiber !== undefined)
    keys.push(lamostFibreKey(lmjd, planId, spid, fiber));
  const magnitudes: Record<string, number> = {};
  const bands = (row.magtype ?? "").trim();
  for (let k = 1; k <= 7; k++) {
    const value = number(row, `mag${k}`);
    const band = bands[k - 1];
    if (value !== undefined && value < 90 && band) magnitudes[band] = value;
  }
  return {
    object: {
      keys,
      obsid,
      designation: row.designation?.trim() || undefined,
      ...position(row),
      catalogClass: parseClass(row.class, "class"),
      subclass: row.subclass?.trim() || undefined,
      redshift: number(row, "z"),
      planId,
      obsDate: row.obsdate?.trim() || undefined,
      lmjd,
      spectrographId: spid,
      fiberId: fiber,
      release: "LAMOST catalogue",
      magnitudes: Object.keys(magnitudes).length > 0 ? magnitudes : undefined,
    },
  };
}

function sdssRow(row: Record<string, string>): IngestItem {
  const plate = number(row, "plate");
  const mjd = number(row, "mjd");
  const fiber = number(row, "fiberid");
  const where = position(row);
  // Public copies of this table have objid truncated to '1.24E+18' by a spreadsheet (and some rows lost
  // plate/mjd): only exact integers identify an object, and a row with neither is identified by position.
  const objid = row.objid?.trim() ?? "";
  const keys =
    plate !== undefined && mjd !== undefined && fiber !== undefined
      ? [`sdss-spec:${plate}/${mjd}/${fiber}`]
      : [`sdss-radec:${where.raDeg.toFixed(6)}/${where.decDeg.toFixed(6)}`];
  const sdssObjId = /^\d{16,20}$/.test(objid) ? BigInt(objid) : undefined;
  if (sdssObjId) keys.push(`sdss-obj:${sdssObjId}`);
  const magnitudes: Record<string, number> = {};
  for (const band of ["u", "g", "r", "i", "z"]) {
    const value = number(row, band);
    if (value !== undefined) magnitudes[band] = value;
  }
  return {
    object: {
      keys,
      sdssObjId,
      ...where,
      catalogClass: parseClass(row.class, "class"),
      redshift: number(row, "redshift"),
      release: "SDSS catalogue",
      magnitudes,
    },
  };
}
