import { separationArcsec } from "@macnet/core";
import type {
  CutoutRecord,
  IngestItem,
  ObjectRecord,
  Rejection,
  Spectrum1DRecord,
  StripDigest,
  StripRecord,
} from "../records.ts";

/** An item with the file it came from. */
export interface SourcedItem {
  item: IngestItem;
  file: string;
}

/** All a batch knows about one object, merged from every item that shares a key with it. */
export interface ObjectGroup {
  object: ObjectRecord;
  strips: Array<{ record: StripRecord & { digest?: StripDigest }; file: string }>;
  spectra1d: Array<{ record: Spectrum1DRecord; file: string }>;
  cutouts: Array<{ record: CutoutRecord; file: string }>;
  files: Set<string>;
}

/** Separation above which two records of the same object disagree about where it is. */
export const CONFLICT_ARCSEC = 5;

/** Why `incoming` cannot describe the same object as `known`, or undefined when they agree. */
export function conflict(
  known: Pick<ObjectRecord, "catalogClass" | "raDeg" | "decDeg">,
  incoming: ObjectRecord,
): { field: string; reason: string } | undefined {
  if (known.catalogClass && incoming.catalogClass && known.catalogClass !== incoming.catalogClass) {
    return {
      field: "CLASS",
      reason: `class ${incoming.catalogClass} conflicts with ${known.catalogClass} already known for ${incoming.keys[0]}`,
    };
  }
  if (
    known.raDeg !== undefined &&
    known.decDeg !== undefined &&
    incoming.raDeg !== undefined &&
    incoming.decDeg !== undefined
  ) {
    const separation = separationArcsec(known.raDeg, known.decDeg, incoming.raDeg, incoming.decDeg);
    if (separation > CONFLICT_ARCSEC) {
      return {
        field: "RA",
        reason: `position differs by ${separation.toFixed(1)}″ from the one already known for ${incoming.keys[0]}`,
      };
    }
  }
  return undefined;
}

/** Fills the fields `into` lacks from `from` and unions the keys. */
export function mergeObject(into: ObjectRecord, from: ObjectRecord): void {
  for (const key of from.keys) if (!into.keys.includes(key)) into.keys.push(key);
  const target = into as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(from)) {
    if (field === "keys" || value === undefined) continue;
    if (target[field] === undefined || (field === "catalogClass" && target[field] === null)) target[field] = value;
  }
}

/** Groups a batch's items by shared keys; an item that contradicts its group is rejected instead. */
export function groupItems(items: SourcedItem[]): { groups: ObjectGroup[]; rejections: Rejection[] } {
  const byKey = new Map<string, ObjectGroup>();
  const groups: ObjectGroup[] = [];
  const rejections: Rejection[] = [];
  for (const { item, file } of items) {
    const matches = [
      ...new Set(
        item.object.keys.map((key) => byKey.get(key)).filter((group): group is ObjectGroup => group !== undefined),
      ),
    ];
    let group = matches[0];
    const clash = group ? conflict(group.object, item.object) : undefined;
    if (clash) {
      rejections.push({ file, field: clash.field, reason: clash.reason });
      continue;
    }
    if (!group) {
      group = {
        object: { ...item.object, keys: [...item.object.keys] },
        strips: [],
        spectra1d: [],
        cutouts: [],
        files: new Set(),
      };
      groups.push(group);
    } else {
      mergeObject(group.object, item.object);
    }
    for (const other of matches.slice(1)) {
      mergeObject(group.object, other.object);
      group.strips.push(...other.strips);
      group.spectra1d.push(...other.spectra1d);
      group.cutouts.push(...other.cutouts);
      for (const name of other.files) group.files.add(name);
      groups.splice(groups.indexOf(other), 1);
    }
    for (const strip of item.strips ?? []) group.strips.push({ record: strip, file });
    if (item.spectrum1d) group.spectra1d.push({ record: item.spectrum1d, file });
    if (item.cutout) group.cutouts.push({ record: item.cutout, file });
    group.files.add(file);
    for (const key of group.object.keys) byKey.set(key, group);
  }
  return { groups, rejections };
}
