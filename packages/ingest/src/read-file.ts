import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { FitsError, FitsFile } from "@macnet/fits";
import { readBandImage } from "./readers/band-images.ts";
import { catalogueKind, readCatalogue } from "./readers/catalogues.ts";
import { readLamostSpectrum, readSdssSpectrum } from "./readers/fits-spectra.ts";
import { readFrame, readPrecutStrip } from "./readers/fits-strips.ts";
import { readImageCutout } from "./readers/images.ts";
import { type FileKind, type FileReadResult, InputError } from "./records.ts";

/** Reads one file of any supported kind, recognised by content; failures become rejections naming file and field. */
export function readSurveyFile(path: string): FileReadResult {
  let kind: FileKind = "unrecognised";
  try {
    const magic = sniff(path);
    if (magic === "fits") {
      const file = FitsFile.open(path);
      try {
        kind = fitsKind(file);
        switch (kind) {
          case "lamost-frame":
            return { kind, items: readFrame(file), rejections: [] };
          case "lamost-strip":
            return { kind, items: [readPrecutStrip(file)], rejections: [] };
          case "lamost-1d":
            return { kind, items: [readLamostSpectrum(file)], rejections: [] };
          case "sdss-spectrum":
            return { kind, items: [readSdssSpectrum(file)], rejections: [] };
          case "cutout-band":
            return { kind, items: [readBandImage(file)], rejections: [] };
          default:
            throw new InputError(unsupportedFits(file), "XTENSION");
        }
      } finally {
        file.close();
      }
    }
    if (magic === "jpeg" || magic === "png") {
      kind = "cutout-image";
      return { kind, items: [readImageCutout(path, readFileSync(path), magic)], rejections: [] };
    }
    if (magic === "text") {
      const text = readText(path);
      // The simulator's manifest and truth file describe a survey; they are never ingested.
      if (text.trimStart().startsWith("{") && text.includes('"generator": "@macnet/survey-sim"'))
        return { kind: "survey-manifest", items: [], rejections: [] };
      const header = text.slice(0, text.indexOf("\n") >>> 0).split(",");
      const catalogue = catalogueKind(header);
      if (catalogue === "truth-file") return { kind: "truth-file", items: [], rejections: [] };
      if (catalogue) {
        kind = catalogue;
        return { kind, ...readCatalogue(path, text, catalogue) };
      }
    }
    return {
      kind: "unrecognised",
      items: [],
      rejections: [
        {
          file: path,
          reason: "not a recognised survey file (FITS spectrum/frame/strip, JPEG/PNG cutout or catalogue CSV)",
        },
      ],
    };
  } catch (error) {
    const field = error instanceof InputError || error instanceof FitsError ? error.field : undefined;
    const message = (error as Error).message.replace(`${path}: `, "");
    return { kind, items: [], rejections: [{ file: path, field, reason: message }] };
  }
}

function sniff(path: string): "fits" | "jpeg" | "png" | "text" | "other" {
  const fd = openSync(path, "r");
  const head = Buffer.alloc(512);
  const read = readSync(fd, head, 0, 512, 0);
  closeSync(fd);
  let bytes = head.subarray(0, read);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(readFileSync(path)).subarray(0, 512);
    } catch {
      return "fits"; // let the FITS reader report the corrupt stream
    }
  }
  if (bytes.toString("latin1", 0, 9) === "SIMPLE  =") return "fits";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.toString("latin1", 1, 4) === "PNG") return "png";
  if (bytes.length > 0 && !bytes.includes(0)) return "text";
  return "other";
}

function readText(path: string): string {
  const raw = readFileSync(path);
  return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString("utf8");
}

function fitsKind(file: FitsFile): FileKind {
  const primary = file.hdus[0];
  if (file.find("FIBRES") && primary?.header.has("WAVEC0")) return "lamost-frame";
  if (primary?.header.has("STRIPW")) return "lamost-strip";
  if (file.find("COADD") && (file.find("SPECOBJ") || file.find("SPALL"))) return "sdss-spectrum";
  if (file.find("COADD_B") || file.find("COADD_R")) return "unrecognised";
  if (file.find("COADD")) return "lamost-1d";
  if (
    primary?.header.number("NAXIS") === 2 &&
    primary.header.has("FILTER") &&
    /^[gri]$/i.test(primary.header.string("FILTER")?.trim() ?? "")
  )
    return "cutout-band";
  const naxis2 = primary?.header.number("NAXIS2");
  if (
    primary?.header.number("NAXIS") === 2 &&
    naxis2 !== undefined &&
    naxis2 >= 3 &&
    naxis2 <= 5 &&
    (primary.header.has("COEFF0") || primary.header.has("EXTEN0"))
  )
    return "lamost-1d";
  return "unrecognised";
}

function unsupportedFits(file: FitsFile): string {
  if (file.find("COADD_B") || file.find("COADD_R"))
    return "LAMOST medium-resolution spectrum (COADD_B/COADD_R): the platform uses low-resolution spectra";
  return "FITS file of no supported kind (frame with FIBRES, strip, LAMOST or SDSS 1D spectrum, g/r/i cutout band)";
}
