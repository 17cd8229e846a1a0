import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { FitsError, FitsFile, MAX_INFLATED_BYTES } from "@macnet/fits";
import { readBandImage } from "./readers/band-images.ts";
import { catalogueKind, readCatalogue, readTruth } from "./readers/catalogues.ts";
import { readLamostSpectrum, readSdssSpectrum } from "./readers/fits-spectra.ts";
import { readFrame, readPrecutStrip } from "./readers/fits-strips.ts";
import { readImageCutout } from "./readers/images.ts";
import {
  checkIdentifiers,
  type FileKind,
  type FileReadResult,
  type IdentifierNames,
  InputError,
  type Rejection,
} from "./records.ts";

const CSV_NAMES: IdentifierNames = {
  obsid: "obsid",
  sdssObjId: "objid",
  lmjd: "lmjd",
  spectrographId: "spid",
  fiberId: "fiberid",
};
const FITS_NAMES: IdentifierNames = {
  obsid: "OBSID",
  sdssObjId: "BESTOBJID",
  lmjd: "LMJD",
  spectrographId: "SPID",
  fiberId: "FIBERID",
};

/** What each kind of file calls the identifiers (a cutout image's come from its file name). */
function identifierNames(kind: FileKind): IdentifierNames {
  if (kind === "lamost-catalogue" || kind === "sdss-catalogue") return CSV_NAMES;
  if (kind === "cutout-image") return { ...CSV_NAMES, obsid: "path", sdssObjId: "path" };
  return FITS_NAMES;
}

/**
 * Reads one file of any supported kind, recognised by content; failures become rejections naming
 * file and field. `raw` is the file's bytes when the caller has them already (it hashed them). An
 * item whose identifiers do not fit their columns is rejected alone (`file:line` for a catalogue
 * row), before anything reaches the database.
 */
export function readSurveyFile(path: string, raw: Buffer = readFileSync(path)): FileReadResult {
  const result = readAnyFile(path, raw);
  const names = identifierNames(result.kind);
  const rejected: Rejection[] = [];
  const items = result.items.filter((item) => {
    try {
      checkIdentifiers(item.object, names);
      return true;
    } catch (error) {
      const field = (error as InputError).field;
      rejected.push({ file: item.line ? `${path}:${item.line}` : path, field, reason: (error as Error).message });
      return false;
    }
  });
  if (rejected.length === 0) return result;
  return { ...result, items, rejections: [...result.rejections, ...rejected] };
}

function readAnyFile(path: string, raw: Buffer): FileReadResult {
  let kind: FileKind = "unrecognised";
  try {
    const bytes = inflate(path, raw);
    const magic = sniff(bytes);
    if (magic === "fits") {
      const file = FitsFile.fromBuffer(bytes, path);
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
      return { kind, items: [readImageCutout(path, bytes, magic)], rejections: [] };
    }
    if (magic === "text") {
      // Only the head is decoded here: rows are decoded one by one, each bounded (catalogues.ts).
      const head = bytes.toString("utf8", 0, Math.min(bytes.length, 64 * 1024));
      // The simulator's manifest describes a survey and is not ingested; its truth file is stored
      // apart from the objects (label_truth), for label audits to score themselves against.
      if (head.trimStart().startsWith("{") && head.includes('"generator": "@macnet/survey-sim"'))
        return { kind: "survey-manifest", items: [], rejections: [] };
      const header = head.slice(0, head.indexOf("\n") >>> 0).split(",");
      const catalogue = catalogueKind(header);
      if (catalogue === "truth-file") {
        kind = catalogue;
        return { kind, items: [], ...readTruth(path, bytes) };
      }
      if (catalogue) {
        kind = catalogue;
        return { kind, ...readCatalogue(path, bytes, catalogue) };
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

/** Largest file the ingest reads (a catalogue CSV bigger than this is split first): 1 GiB. */
export const MAX_FILE_BYTES = 1024 ** 3;

/** The file's content, inflated when it is a gzip stream (whatever its name), at most MAX_INFLATED_BYTES. */
function inflate(path: string, raw: Buffer): Buffer {
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new InputError(`gzip stream inflates to more than ${MAX_INFLATED_BYTES} bytes`, "gzip");
    throw new FitsError(`${path}: corrupt gzip stream (${(error as Error).message})`, "FITS_TRUNCATED");
  }
}

function sniff(bytes: Buffer): "fits" | "jpeg" | "png" | "text" | "other" {
  if (bytes.toString("latin1", 0, 9) === "SIMPLE  =") return "fits";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.toString("latin1", 1, 4) === "PNG") return "png";
  // Text when its first line (the CSV header) is: a bad byte further on costs only its own row.
  const newline = bytes.indexOf(0x0a);
  const head = bytes.subarray(0, Math.min(512, newline < 0 ? bytes.length : newline));
  if (head.length > 0 && !head.includes(0)) return "text";
  return "other";
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
