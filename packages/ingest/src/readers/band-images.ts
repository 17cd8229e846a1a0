import type { FitsFile } from "@macnet/fits";
import { luptonRgb } from "@macnet/imaging";
import { type BandImageRecord, type IngestItem, InputError, type ObjectRecord, type Rejection } from "../records.ts";
import { CUTOUT_SIZE_PX, resampleArea } from "./images.ts";

/** One band of a g/r/i cutout as FITS (FILTER g, r or i; nanomaggies), with its object's identity. */
export function readBandImage(file: FitsFile): IngestItem {
  const primary = file.hdus[0];
  if (!primary) throw new InputError("no primary HDU");
  const band = primary.header.string("FILTER")?.trim().toLowerCase();
  if (band !== "g" && band !== "r" && band !== "i")
    throw new InputError(`FILTER is '${band ?? ""}', expected g, r or i`, "FILTER");
  const image = file.readImage(primary);
  const [width, height] = image.shape;
  if (image.shape.length !== 2 || !width || !height || width < 8 || height < 8)
    throw new InputError(`image has shape ${image.shape.join("×")}`, "NAXIS");
  const data = new Float32Array(image.data.length);
  for (let k = 0; k < data.length; k++) {
    const value = image.data[k] as number;
    if (!Number.isFinite(value)) throw new InputError(`non-finite pixel at index ${k}`, "DATA");
    data[k] = value;
  }
  const obsid = primary.header.get("OBSID");
  const objid = primary.header.string("OBJID");
  const keys: string[] = [];
  if (typeof obsid === "number" || typeof obsid === "bigint") keys.push(`obsid:${obsid}`);
  if (objid && /^\d{16,20}$/.test(objid)) keys.push(`sdss-obj:${objid}`);
  if (keys.length === 0) throw new InputError("no OBSID or OBJID: cannot tell which object this is", "OBSID");
  const object: ObjectRecord = {
    keys,
    obsid: typeof obsid === "number" || typeof obsid === "bigint" ? BigInt(obsid) : undefined,
    raDeg: primary.header.number("RA"),
    decDeg: primary.header.number("DEC"),
  };
  const record: BandImageRecord = {
    band,
    widthPx: width,
    heightPx: height,
    pixelScaleArcsec: primary.header.number("PIXSCALE"),
    data,
  };
  return { object, band: record };
}

/** A file that contributed a band, recorded as ingested once its cutout is stored. */
export interface BandFile {
  path: string;
  hash: string;
  kind: string;
}

/**
 * Collects g, r and i images per object across files; when all three are in, they become one
 * 64 × 64 Lupton RGB cutout. Whatever is still incomplete at the end is reported.
 */
export class BandAssembler {
  private readonly partial = new Map<
    string,
    { object: ObjectRecord; bands: Partial<Record<"g" | "r" | "i", BandImageRecord>>; files: BandFile[] }
  >();

  /** Adds a band; returns the cutout item once the object's three bands are present. */
  add(item: IngestItem, file: BandFile): { item: IngestItem; files: BandFile[] } | undefined {
    const band = item.band;
    if (!band) return undefined;
    const key = item.object.keys[0] as string;
    const entry = this.partial.get(key) ?? { object: item.object, bands: {}, files: [] };
    entry.bands[band.band] = band;
    entry.files.push(file);
    this.partial.set(key, entry);
    const { g, r, i } = entry.bands;
    if (!g || !r || !i) return undefined;
    this.partial.delete(key);
    if (g.widthPx !== r.widthPx || g.widthPx !== i.widthPx || g.heightPx !== r.heightPx || g.heightPx !== i.heightPx) {
      throw new InputError(`g, r and i images of ${key} differ in size`, "NAXIS");
    }
    const size = (image: BandImageRecord) =>
      resampleArea(image.data, image.widthPx, image.heightPx, CUTOUT_SIZE_PX, CUTOUT_SIZE_PX, 1, 1);
    const rgb = luptonRgb({ g: size(g), r: size(r), i: size(i) });
    const scale = g.pixelScaleArcsec === undefined ? undefined : (g.pixelScaleArcsec * g.widthPx) / CUTOUT_SIZE_PX;
    return {
      item: {
        object: entry.object,
        cutout: {
          source: "gri-fits",
          widthPx: CUTOUT_SIZE_PX,
          heightPx: CUTOUT_SIZE_PX,
          pixelScaleArcsec: scale,
          rgb,
          sourceFormat: "fits",
        },
      },
      files: entry.files,
    };
  }

  /** Rejections for objects whose bands never all arrived. */
  incomplete(): Rejection[] {
    return [...this.partial.entries()].flatMap(([key, entry]) => {
      const missing = (["g", "r", "i"] as const).filter((band) => !entry.bands[band]);
      return entry.files.map((file) => ({
        file: file.path,
        field: "FILTER",
        reason: `no ${missing.join(", ")} band for ${key}: a cutout needs g, r and i`,
      }));
    });
  }
}
