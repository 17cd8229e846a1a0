import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { luptonRgb } from "@macnet/imaging";
import { z } from "zod";
import { cutStrip, type FrameFibre, objectFlux, type RenderedFrame, renderFrame } from "./instrument/render-frame.ts";
import { traceCentre } from "./instrument/traces.ts";
import { SKY_LINES } from "./physics/lines.ts";
import { type Band, syntheticMagnitudes } from "./physics/photometry.ts";
import type { SourceSpectrum } from "./physics/sed.ts";
import { sourceSpectrum } from "./physics/sources.ts";
import {
  CATALOGUE_COLUMNS,
  catalogueRow,
  type ObjectProducts,
  TRUTH_COLUMNS,
  toCsv,
  truthRow,
} from "./products/catalogue.ts";
import { CUTOUT, encodeJpeg, renderCutout, writeBandFits } from "./products/cutout.ts";
import { frameExcerpt, writeImagePng, writeRgbPng, writeSpectrumPng } from "./products/figures.ts";
import { frameFileName, writeFrame, writeStrip } from "./products/frame-files.ts";
import { type Spectrum1D, simulateSpectrum1D, spectrumFileName, writeSpectrum1D } from "./products/spectrum-1d.ts";
import {
  type ObjectClass,
  PAPER_CLASS_MIX,
  planSurvey,
  SIM_CLASS_ORDER,
  type SimulatedObject,
  type SurveyPlan,
} from "./survey-plan.ts";

export const ZSimulateOptions = z.object({
  outDir: z.string().min(1, "outDir must be given"),
  objects: z
    .number()
    .int()
    .min(1, "objects must be at least 1")
    .max(200_000, "objects must be at most 200000")
    .default(2891),
  seed: z
    .number()
    .int()
    .min(0, "seed must be ≥ 0")
    .max(2 ** 31 - 1, "seed must be < 2^31")
    .default(1),
  plans: z.number().int().min(1, "plans must be at least 1").max(100, "plans must be at most 100").default(2),
  fibresPerSpectrograph: z
    .number()
    .int()
    .min(2, "fibres-per-spectrograph must be at least 2")
    .max(250, "LAMOST spectrographs have 250 fibres")
    .default(250),
  labelNoise: z
    .number()
    .min(0, "label-noise must be in [0, 0.5]")
    .max(0.5, "label-noise must be in [0, 0.5]")
    .default(0.01),
  missingCutouts: z
    .number()
    .min(0, "missing-cutouts must be in [0, 1]")
    .max(1, "missing-cutouts must be in [0, 1]")
    .default(0.01),
  frameDtype: z.enum(["int16", "float32"]).default("int16"),
  strips: z.boolean().default(false),
  cutoutFits: z.boolean().default(false),
  figures: z.number().int().min(0).max(100, "figures must be at most 100").default(0),
});
export type TSimulateOptions = z.input<typeof ZSimulateOptions>;

/** Progress of a simulation, reported after every frame and every object. */
export interface SimulationProgress {
  stage: "frames" | "objects";
  done: number;
  total: number;
}

/** What a simulation wrote (also the CLI's `--json` summary). */
export interface SimulationSummary {
  outDir: string;
  seed: number;
  objects: number;
  plans: Array<{ planId: string; obsDate: string; spectrographs: number }>;
  trueClassCounts: Record<ObjectClass, number>;
  catalogueClassCounts: Record<ObjectClass, number>;
  labelFlips: number;
  missingCutouts: number;
  files: { frames: number; spectra: number; cutouts: number; strips: number; cutoutFits: number; figures: number };
}

/** Where each product goes under the output folder. */
export const LAYOUT = {
  catalogue: "catalogue.csv",
  truth: "truth.csv",
  manifest: "survey.json",
  frames: "frames",
  spectra: "spectra",
  cutouts: "cutouts",
  strips: "strips",
  figures: "figures",
} as const;

/**
 * Simulates a LAMOST-like survey into `outDir`: raw 2D frames per plan, spectrograph and arm (with
 * fibre tables), DR7-layout 1D spectra, SDSS-like JPEG cutouts, the catalogue and a separate truth
 * file. Works one spectrograph at a time, so memory stays bounded whatever the survey size. The
 * same options give byte-identical files.
 */
export async function simulateSurvey(
  input: TSimulateOptions,
  onProgress?: (progress: SimulationProgress) => void,
): Promise<SimulationSummary> {
  const options = ZSimulateOptions.parse(input);
  const survey = planSurvey({ ...options, classMix: { ...PAPER_CLASS_MIX } });
  const out = options.outDir;
  for (const folder of [LAYOUT.frames, LAYOUT.spectra, LAYOUT.cutouts])
    mkdirSync(join(out, folder), { recursive: true });
  if (options.strips) mkdirSync(join(out, LAYOUT.strips), { recursive: true });
  if (options.figures > 0) mkdirSync(join(out, LAYOUT.figures), { recursive: true });
  const figureObsids = chooseFigureObjects(survey.objects, options.figures);
  const files = { frames: 0, spectra: 0, cutouts: 0, strips: 0, cutoutFits: 0, figures: 0 };
  const catalogueRows: string[][] = [];
  const truthRows: string[][] = [];
  const totalFrames = survey.plans.reduce((sum, plan) => sum + 2 * plan.spectrographs, 0);
  let framesDone = 0;
  let objectsDone = 0;

  for (const plan of survey.plans) {
    mkdirSync(join(out, LAYOUT.frames, plan.planId), { recursive: true });
    for (let spectrograph = 1; spectrograph <= plan.spectrographs; spectrograph++) {
      const slots = survey.fibres.get(`${plan.index}/${spectrograph}`) ?? [];
      const sources = new Map<number, SourceSpectrum>();
      const fibres: FrameFibre[] = slots.map((slot) => {
        const object = slot.objectIndex === undefined ? undefined : survey.objects[slot.objectIndex];
        if (!object) return { fibreId: slot.fibreId, object: undefined };
        const source = sourceSpectrum(object.parameters, "r", object.rMagnitude);
        sources.set(object.index, source);
        return { fibreId: slot.fibreId, object, sourceFlux: objectFlux(source) };
      });
      const frames: RenderedFrame[] = [];
      for (const arm of ["blue", "red"] as const) {
        const frame = renderFrame({ seed: options.seed, plan, spectrograph, arm, fibres });
        writeFrame({
          path: join(out, LAYOUT.frames, plan.planId, frameFileName(plan, spectrograph, arm)),
          frame,
          plan,
          spectrograph,
          fibres,
          dtype: options.frameDtype,
        });
        files.frames++;
        if (options.strips) {
          fibres.forEach((fibre, index) => {
            const trace = frame.traces[index];
            if (!fibre.object || !trace) return;
            writeStrip({
              path: join(out, LAYOUT.strips, `${fibre.object.obsid}-${arm === "blue" ? "b" : "r"}.fits`),
              strip: cutStrip(frame, trace),
              frame,
              trace,
              plan,
              spectrograph,
              fibreId: fibre.fibreId,
              obsid: fibre.object.obsid,
            });
            files.strips++;
          });
        }
        frames.push(frame);
        onProgress?.({ stage: "frames", done: ++framesDone, total: totalFrames });
        await new Promise((resolve) => setImmediate(resolve));
      }
      fibres.forEach((fibre, fibreIndex) => {
        const object = fibre.object;
        const source = object && sources.get(object.index);
        if (!object || !source) return;
        const { products, spectrum, rgb } = writeObjectProducts({
          survey,
          object,
          source,
          out,
          seed: options.seed,
          cutoutFits: options.cutoutFits,
          files,
        });
        catalogueRows.push(catalogueRow(object, plan, products));
        truthRows.push(truthRow(object, products));
        if (figureObsids.has(object.obsid))
          files.figures += writeFigures({ out, object, frames, fibreIndex, spectrum, rgb });
        onProgress?.({ stage: "objects", done: ++objectsDone, total: survey.objects.length });
      });
    }
  }
  writeFileSync(join(out, LAYOUT.catalogue), toCsv(CATALOGUE_COLUMNS, catalogueRows));
  writeFileSync(join(out, LAYOUT.truth), toCsv(TRUTH_COLUMNS, truthRows));
  const summary: SimulationSummary = {
    outDir: out,
    seed: options.seed,
    objects: survey.objects.length,
    plans: survey.plans.map((plan) => ({
      planId: plan.planId,
      obsDate: plan.obsDate,
      spectrographs: plan.spectrographs,
    })),
    trueClassCounts: countBy(survey.objects, (object) => object.trueClass),
    catalogueClassCounts: countBy(survey.objects, (object) => object.catalogClass),
    labelFlips: survey.objects.filter((object) => object.labelFlipped).length,
    missingCutouts: survey.objects.filter((object) => !object.hasCutout).length,
    files,
  };
  const { outDir: _outDir, ...manifestOptions } = options;
  writeFileSync(
    join(out, LAYOUT.manifest),
    `${JSON.stringify({ generator: "@macnet/survey-sim", formatVersion: 1, options: manifestOptions, ...summary, outDir: undefined }, null, 2)}\n`,
  );
  return summary;
}

function writeObjectProducts(options: {
  survey: SurveyPlan;
  object: SimulatedObject;
  source: SourceSpectrum;
  out: string;
  seed: number;
  cutoutFits: boolean;
  files: SimulationSummary["files"];
}): { products: ObjectProducts; spectrum: Spectrum1D; rgb: Uint8Array | undefined } {
  const { object, source, out, seed, files } = options;
  const plan = options.survey.plans[object.planIndex];
  if (!plan) throw new Error(`object ${object.obsid} has no plan`);
  const magnitudes = roundMagnitudes(syntheticMagnitudes(source));
  const spectrum = simulateSpectrum1D({ seed, object, source, plan });
  const spectrumFile = spectrumFileName(object, plan);
  writeSpectrum1D(join(out, LAYOUT.spectra, spectrumFile), spectrum, object, plan, spectrumFile);
  files.spectra++;
  let rgb: Uint8Array | undefined;
  if (object.hasCutout) {
    const images = renderCutout({ seed, object, magnitudes });
    rgb = luptonRgb(images);
    writeFileSync(join(out, LAYOUT.cutouts, `${object.obsid}.jpg`), encodeJpeg(rgb, CUTOUT.sizePx, CUTOUT.sizePx));
    files.cutouts++;
    if (options.cutoutFits) {
      for (const band of ["g", "r", "i"] as const)
        writeBandFits(join(out, LAYOUT.cutouts, `${object.obsid}-${band}.fits`), images[band], band, object);
      files.cutoutFits += 3;
    }
  }
  return { products: { magnitudes, snr: spectrum.snr, spectrumFile }, spectrum, rgb };
}

function writeFigures(options: {
  out: string;
  object: SimulatedObject;
  frames: RenderedFrame[];
  fibreIndex: number;
  /** The object's 1D spectrum and cutout as just written (undefined: no cutout). */
  spectrum: Spectrum1D;
  rgb: Uint8Array | undefined;
}): number {
  const { out, object, frames, fibreIndex } = options;
  const prefix = join(out, LAYOUT.figures, `${object.obsid}-${object.trueClass.toLowerCase()}`);
  let written = 0;
  for (const frame of frames) {
    const trace = frame.traces[fibreIndex];
    if (!trace) continue;
    const letter = frame.arm === "blue" ? "b" : "r";
    const firstColumn = frame.arm === "blue" ? 1000 : 2000;
    const excerpt = frameExcerpt(frame.adu, frame.rows, traceCentre(trace, firstColumn + 512), firstColumn, 96, 1024);
    writeImagePng(`${prefix}-frame-${letter}.png`, excerpt, 1024, 96, 1);
    const strip = cutStrip(frame, trace);
    writeImagePng(`${prefix}-strip-${letter}.png`, frameExcerpt(strip, 15, 7, firstColumn, 15, 1024), 1024, 15, 1, 6);
    written += 2;
  }
  const skyMarkers = SKY_LINES.filter((line) => line.relative >= 0.5).map((line) => line.angstrom);
  writeSpectrumPng(`${prefix}-spectrum.png`, options.spectrum.wavelength, options.spectrum.flux, skyMarkers);
  written++;
  if (options.rgb) {
    writeRgbPng(`${prefix}-cutout.png`, options.rgb, CUTOUT.sizePx, CUTOUT.sizePx, 4);
    written++;
  }
  return written;
}

function chooseFigureObjects(objects: SimulatedObject[], count: number): Set<number> {
  const chosen = new Set<number>();
  const queues = SIM_CLASS_ORDER.map((name) => objects.filter((object) => object.trueClass === name));
  for (let round = 0; chosen.size < count && round < objects.length; round++) {
    for (const queue of queues) {
      const object = queue[round];
      if (object && chosen.size < count) chosen.add(object.obsid);
    }
  }
  return chosen;
}

function roundMagnitudes(magnitudes: Record<Band, number>): Record<Band, number> {
  return {
    g: Math.round(magnitudes.g * 1000) / 1000,
    r: Math.round(magnitudes.r * 1000) / 1000,
    i: Math.round(magnitudes.i * 1000) / 1000,
  };
}

function countBy(
  objects: SimulatedObject[],
  key: (object: SimulatedObject) => ObjectClass,
): Record<ObjectClass, number> {
  const counts: Record<ObjectClass, number> = { STAR: 0, GALAXY: 0, QSO: 0 };
  for (const object of objects) counts[key(object)]++;
  return counts;
}
