import { type Card, FitsWriter, writeFits } from "@macnet/fits";
import type { FrameFibre, RenderedFrame } from "../instrument/render-frame.ts";
import { DETECTOR, DISPERSION_PIXELS, RESOLVING_POWER } from "../instrument/spectrograph.ts";
import type { FibreTrace } from "../instrument/traces.ts";
import type { Plan } from "../survey-plan.ts";
import { round } from "./spectrum-1d.ts";

/** How frame pixels are stored: raw 16-bit counts (as CCDs write them) or 32-bit floats. */
export type FrameDtype = "int16" | "float32";

/** File name of a frame: `<planid>-sp<NN>-<b|r>.fits`. */
export function frameFileName(plan: Plan, spectrograph: number, arm: "blue" | "red"): string {
  return `${plan.planId}-sp${String(spectrograph).padStart(2, "0")}-${arm === "blue" ? "b" : "r"}.fits`;
}

function wavelengthCards(solution: number[]): Card[] {
  return [
    { key: "VACUUM", value: true, comment: "Wavelengths are in vacuum" },
    { key: "WAVEDEG", value: solution.length - 1, comment: "Degree of the wavelength polynomial" },
    ...solution.map((coefficient, power) => ({
      key: `WAVEC${power}`,
      value: coefficient,
      comment: power === 0 ? "lambda[A] = sum WAVECk * x^k, x = 0-based column" : `x^${power} coefficient`,
    })),
    { key: "RESOLUTN", value: RESOLVING_POWER, comment: "Resolving power lambda/FWHM" },
  ];
}

/** Writes a raw frame: primary image (dispersion along NAXIS1) and a FIBRES binary table. */
export function writeFrame(options: {
  path: string;
  frame: RenderedFrame;
  plan: Plan;
  spectrograph: number;
  fibres: FrameFibre[];
  dtype: FrameDtype;
}): void {
  const { frame, plan, spectrograph, fibres } = options;
  const cards: Card[] = [
    { key: "ORIGIN", value: "MAC-Net platform", comment: "Simulated LAMOST-like raw frame" },
    { key: "TELESCOP", value: "LAMOST", comment: "simulated" },
    { key: "OBS_TYPE", value: "OBJ", comment: "The type of target (OBJ, FLAT, ARC or BIAS)" },
    { key: "PLANID", value: plan.planId, comment: "Plan ID in use" },
    { key: "OBSDATE", value: plan.obsDate, comment: "Night of observation (local)" },
    { key: "LMJD", value: plan.lmjd, comment: "Local Modified Julian Day" },
    { key: "SPID", value: spectrograph, comment: "Spectrograph ID" },
    { key: "ARM", value: frame.arm === "blue" ? "b" : "r", comment: "Spectrograph arm (b blue, r red)" },
    { key: "EXPTIME", value: DETECTOR.exposureS, comment: "[s] Exposure time" },
    { key: "BUNIT", value: "ADU" },
    { key: "GAIN", value: DETECTOR.gainElectronsPerAdu, comment: "[e-/ADU]" },
    { key: "RDNOISE", value: DETECTOR.readNoiseElectrons, comment: "[e-] Read noise" },
    { key: "BIASLEV", value: DETECTOR.biasAdu, comment: "[ADU] Nominal bias level" },
    { key: "SATURATE", value: DETECTOR.saturationAdu, comment: "[ADU]" },
    { key: "DISPAXIS", value: 1, comment: "Dispersion along NAXIS1 (columns)" },
    { key: "NFIBERS", value: fibres.length, comment: "Fibres on this CCD, see FIBRES table" },
    ...wavelengthCards(frame.solution),
    { key: "NCOSMIC", value: frame.cosmicRays, comment: "Cosmic-ray hits injected" },
    { key: "DEADCOLS", value: frame.deadColumns.join(","), comment: "0-based dead columns" },
    { key: "RA", value: round(plan.raDeg, 6), comment: "[deg] Field centre" },
    { key: "DEC", value: round(plan.decDeg, 6), comment: "[deg] Field centre" },
  ];
  const writer = new FitsWriter(options.path);
  try {
    writer.writeImage({
      bitpix: options.dtype === "int16" ? 16 : -32,
      ...(options.dtype === "int16" ? { bzero: 32768, bscale: 1 } : {}),
      shape: [DISPERSION_PIXELS, frame.rows],
      data: frame.adu,
      cards,
    });
    writer.writeTable({
      name: "FIBRES",
      columns: [
        { name: "FIBERID", type: "J", values: fibres.map((fibre) => fibre.fibreId) },
        { name: "OBJTYPE", type: "A", repeat: 8, values: fibres.map((fibre) => (fibre.object ? "TARGET" : "SKY")) },
        { name: "OBSID", type: "K", values: fibres.map((fibre) => BigInt(fibre.object?.obsid ?? 0)) },
        { name: "RA", type: "D", unit: "deg", values: fibres.map((fibre) => fibre.object?.raDeg ?? 0) },
        { name: "DEC", type: "D", unit: "deg", values: fibres.map((fibre) => fibre.object?.decDeg ?? 0) },
        { name: "TRACE", type: "D", repeat: 3, unit: "pixel", values: frame.traces.map((trace) => trace.centre) },
        { name: "SIGMA", type: "E", unit: "pixel", values: frame.traces.map((trace) => trace.sigmaPx) },
        { name: "THROUGHPUT", type: "E", values: frame.traces.map((trace) => trace.throughput) },
      ],
      cards: [{ key: "COMMENT", value: "TRACE: row(x) = c0 + c1*x + c2*x^2, 0-based pixels; SIGMA at the CCD centre" }],
    });
  } finally {
    writer.close();
  }
}

/** Writes a pre-cut strip (15 × 4096 float32, bias-subtracted ADU) of one object and arm. */
export function writeStrip(options: {
  path: string;
  strip: Float32Array;
  frame: RenderedFrame;
  trace: FibreTrace;
  plan: Plan;
  spectrograph: number;
  fibreId: number;
  obsid: number;
}): void {
  const widthPx = options.strip.length / DISPERSION_PIXELS;
  writeFits(options.path, [
    {
      kind: "image",
      bitpix: -32,
      shape: [DISPERSION_PIXELS, widthPx],
      data: options.strip,
      cards: [
        { key: "ORIGIN", value: "MAC-Net platform", comment: "Simulated pre-cut 2D strip" },
        { key: "OBSID", value: options.obsid },
        { key: "PLANID", value: options.plan.planId },
        { key: "SPID", value: options.spectrograph },
        { key: "FIBERID", value: options.fibreId },
        { key: "ARM", value: options.frame.arm === "blue" ? "b" : "r" },
        { key: "BUNIT", value: "ADU", comment: "bias-subtracted" },
        { key: "STRIPW", value: widthPx, comment: "Rows around the trace (centre row = trace)" },
        ...wavelengthCards(options.frame.solution),
      ],
    },
  ]);
}
