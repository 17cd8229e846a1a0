import { resolve } from "node:path";
import { simulateSurvey } from "@macnet/survey-sim";
import { type Command, InvalidArgumentError, Option } from "commander";
import { printJson, say } from "../output.ts";
import { ProgressBar } from "../progress.ts";

const integer = (name: string) => (value: string) => {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be an integer`);
  return Number(value);
};
const fraction = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new InvalidArgumentError(`${name} must be a number`);
  return parsed;
};

interface SimulateCliOptions {
  out: string;
  objects: number;
  seed: number;
  plans: number;
  fibresPerSpectrograph: number;
  labelNoise: number;
  missingCutouts: number;
  frameDtype: "int16" | "float32";
  strips?: boolean;
  cutoutFits?: boolean;
  figures: number;
  json?: boolean;
}

/** `macnet simulate`: writes a simulated survey in the real file formats. */
export function registerSimulateCommand(program: Command): void {
  program
    .command("simulate")
    .description(
      "Write a simulated LAMOST/SDSS survey: 2D frames, DR7 1D spectra, JPEG cutouts, catalogue.csv (+ truth.csv)",
    )
    .requiredOption("--out <dir>", "output folder (created if missing)")
    .option(
      "--objects <n>",
      "number of objects (class mix as in the paper: STAR 1202 : GALAXY 1223 : QSO 466)",
      integer("--objects"),
      2891,
    )
    .option("--seed <s>", "random seed; the same seed gives byte-identical files", integer("--seed"), 1)
    .option("--plans <k>", "observing plans (the paper had two nights)", integer("--plans"), 2)
    .option(
      "--fibres-per-spectrograph <f>",
      "fibres per spectrograph (LAMOST: 250; every 12th is a sky fibre)",
      integer("--fibres-per-spectrograph"),
      250,
    )
    .option(
      "--label-noise <fraction>",
      "fraction of catalogue classes made wrong on purpose (truth in truth.csv)",
      fraction("--label-noise"),
      0.01,
    )
    .option("--missing-cutouts <fraction>", "fraction of objects without a cutout", fraction("--missing-cutouts"), 0.01)
    .addOption(new Option("--frame-dtype <type>", "frame pixel storage").choices(["int16", "float32"]).default("int16"))
    .option("--strips", "also write pre-cut 15 × 4096 strips per object and arm")
    .option("--cutout-fits", "also write the g, r, i cutout images as FITS (nanomaggies)")
    .option(
      "--figures <n>",
      "render n objects (frame excerpt, strips, 1D spectrum, cutout) to PNG under figures/",
      integer("--figures"),
      0,
    )
    .option("--json", "print a JSON summary as the last line")
    .action(async (options: SimulateCliOptions) => {
      const outDir = resolve(options.out);
      const frames = new ProgressBar("frames", "frames");
      const objects = new ProgressBar("objects", "objects");
      const started = performance.now();
      const summary = await simulateSurvey(
        {
          outDir,
          objects: options.objects,
          seed: options.seed,
          plans: options.plans,
          fibresPerSpectrograph: options.fibresPerSpectrograph,
          labelNoise: options.labelNoise,
          missingCutouts: options.missingCutouts,
          frameDtype: options.frameDtype,
          strips: Boolean(options.strips),
          cutoutFits: Boolean(options.cutoutFits),
          figures: options.figures,
        },
        (progress) => (progress.stage === "frames" ? frames : objects).update(progress.done, progress.total),
      );
      const durationS = Math.round((performance.now() - started) / 100) / 10;
      if (options.json) {
        printJson({ ...summary, durationS });
        return;
      }
      say(`Simulated ${summary.objects} objects in ${durationS} s into ${outDir}`);
      say(
        `  true classes:      STAR ${summary.trueClassCounts.STAR}, GALAXY ${summary.trueClassCounts.GALAXY}, QSO ${summary.trueClassCounts.QSO}`,
      );
      say(
        `  catalogue classes: STAR ${summary.catalogueClassCounts.STAR}, GALAXY ${summary.catalogueClassCounts.GALAXY}, QSO ${summary.catalogueClassCounts.QSO} (${summary.labelFlips} wrong on purpose, see truth.csv)`,
      );
      say(
        `  files: ${summary.files.frames} frames, ${summary.files.spectra} spectra, ${summary.files.cutouts} cutouts (${summary.missingCutouts} objects without)`,
      );
    });
}
