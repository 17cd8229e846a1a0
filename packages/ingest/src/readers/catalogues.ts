import { parse } from "csv-parse/sync";
import { type IngestItem, InputError, lamostFibreKey, parseClass, type Rejection } from "../records.ts";

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

/** Reads a catalogue CSV: one object per row; a bad row is rejected alone, naming row and column. */
export function readCatalogue(
  path: string,
  text: string,
  kind: "lamost-catalogue" | "sdss-catalogue",
): { items: IngestItem[]; rejections: Rejection[] } {
  const rows = parse(text, {
    columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
    skip_empty_lines: true,
    relax_column_count: true,
  }) as Array<Record<string, string>>;
  const items: IngestItem[] = [];
  const rejections: Rejection[] = [];
  rows.forEach((row, index) => {
    const line = index + 2;
    try {
      items.push(kind === "lamost-catalogue" ? lamostRow(row) : sdssRow(row));
    } catch (error) {
      const field = error instanceof InputError ? error.field : undefined;
      rejections.push({ file: `${path}:${line}`, field, reason: (error as Error).message });
    }
  });
  return { items, rejections };
}

function number(row: Record<string, string>, column: string, required = false): number | undefined {
  const text = row[column]?.trim();
  if (text === undefined || text === "") {
    if (required) throw new InputError(`missing ${column}`, column);
    return undefined;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InputError(`${column} is not a number ('${text}')`, column);
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
  if (!/^\d+$/.test(obsidText)) throw new InputError(`obsid '${obsidText}' is not an integer`, "obsid");
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
