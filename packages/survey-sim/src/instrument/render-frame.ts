import { Rng } from "@macnet/core";
import { normalCdf } from "../physics/constants.ts";
import { evaluateSpectrum } from "../physics/sed.ts";
import type { Plan, SimulatedObject } from "../survey-plan.ts";
import { skySpectrum, telluricTransmission } from "./sky.ts";
import {
  type Arm,
  DETECTOR,
  DISPERSION_PIXELS,
  dispersionAt,
  electronsPerFluxUnit,
  frameSolution,
  RESOLVING_POWER,
  type WavelengthSolution,
  wavelengthAt,
} from "./spectrograph.ts";
import {
  drawTraces,
  type FibreTrace,
  frameRows,
  traceCentre,
  traceSigma,
  WING_FRACTION,
  WING_SIGMA_FACTOR,
} from "./traces.ts";

/** What one fibre of a frame carries. */
export interface FrameFibre {
  fibreId: number;
  object: SimulatedObject | undefined;
  /** The object's spectrum in f_λ at the frame's pixel wavelengths (undefined for sky fibres). */
  sourceFlux?: (wavelengths: Float64Array) => Float64Array;
}

/** A rendered raw frame in ADU, with everything its header and fibre table record. */
export interface RenderedFrame {
  arm: Arm;
  rows: number;
  /** ADU, row-major (rows × 4096), bias included, integer-valued. */
  adu: Float32Array;
  solution: WavelengthSolution;
  traces: FibreTrace[];
  deadColumns: number[];
  cosmicRays: number;
}

const HALF_WIDTH = 21;

/** Renders one arm's CCD frame of one spectrograph in one plan. */
export function renderFrame(options: {
  seed: number;
  plan: Plan;
  spectrograph: number;
  arm: Arm;
  fibres: FrameFibre[];
}): RenderedFrame {
  const { plan, spectrograph, arm, fibres } = options;
  const rng = new Rng(options.seed, "frame", plan.index, spectrograph, arm);
  const rows = frameRows(fibres.length);
  const solution = frameSolution(arm, rng);
  const traces = drawTraces(fibres.length, rng);
  const wavelengths = Float64Array.from({ length: DISPERSION_PIXELS }, (_, x) => wavelengthAt(solution, x));
  const conversion = Float64Array.from(wavelengths, (angstrom, x) =>
    electronsPerFluxUnit(arm, angstrom, dispersionAt(solution, x)),
  );
  const telluric = Float64Array.from(wavelengths, telluricTransmission);
  const sky = skySpectrum(wavelengths, plan.sky, RESOLVING_POWER);
  const electrons = new Float32Array(rows * DISPERSION_PIXELS);

  // Scattered light: a smooth pedestal across the detector.
  const pedestal = 2 + rng.uniform(0, 3);
  for (let y = 0; y < rows; y++) {
    const rowLevel = pedestal * (1 + 0.3 * Math.sin((Math.PI * y) / rows));
    electrons.fill(rowLevel, y * DISPERSION_PIXELS, (y + 1) * DISPERSION_PIXELS);
  }

  const skyGradient = rng.normal(0, 0.02);
  const counts = new Float64Array(DISPERSION_PIXELS);
  fibres.forEach((fibre, index) => {
    const trace = traces[index] as FibreTrace;
    const skyLevel = 1 + skyGradient * ((index - fibres.length / 2) / fibres.length);
    const source = fibre.sourceFlux?.(wavelengths);
    for (let x = 0; x < DISPERSION_PIXELS; x++) {
      const flux = (source ? (source[x] as number) * (telluric[x] as number) : 0) + (sky[x] as number) * skyLevel;
      counts[x] = flux * (conversion[x] as number) * trace.throughput;
    }
    depositTrace(electrons, rows, trace, counts);
  });

  const adu = new Float32Array(rows * DISPERSION_PIXELS);
  const noise = new Rng(options.seed, "frame-noise", plan.index, spectrograph, arm);
  const cosmicRays = addCosmicRays(electrons, rows, noise);
  const { gainElectronsPerAdu: gain, readNoiseElectrons, biasAdu, saturationAdu } = DETECTOR;
  const biasSlope = noise.normal(0, 1.5);
  for (let y = 0; y < rows; y++) {
    const bias = biasAdu + (biasSlope * y) / rows;
    for (let x = 0; x < DISPERSION_PIXELS; x++) {
      const i = y * DISPERSION_PIXELS + x;
      const collected = noise.poisson(electrons[i] as number) + noise.normal(0, readNoiseElectrons);
      adu[i] = Math.min(saturationAdu, Math.max(0, Math.round(bias + collected / gain)));
    }
  }
  const deadColumns: number[] = [];
  for (let k = 0; k < DETECTOR.deadColumnsPerFrame; k++) {
    const x = noise.int(10, DISPERSION_PIXELS - 11);
    deadColumns.push(x);
    for (let y = 0; y < rows; y++)
      adu[y * DISPERSION_PIXELS + x] = Math.round(biasAdu + noise.normal(0, readNoiseElectrons / gain));
  }
  for (let k = 0; k < DETECTOR.hotPixelsPerFrame; k++) {
    adu[noise.int(0, rows * DISPERSION_PIXELS - 1)] = Math.round(biasAdu + noise.uniform(2000, 30000));
  }
  return { arm, rows, adu, solution, traces, deadColumns: deadColumns.sort((a, b) => a - b), cosmicRays };
}

/** Spreads each column's electrons over the rows around the trace: Gaussian core plus broad wings, integrated over pixels. */
function depositTrace(electrons: Float32Array, rows: number, trace: FibreTrace, counts: Float64Array): void {
  const boundaries = new Float64Array(2 * HALF_WIDTH + 2);
  for (let x = 0; x < DISPERSION_PIXELS; x++) {
    const total = counts[x] as number;
    if (total <= 0) continue;
    const centre = traceCentre(trace, x);
    const sigma = traceSigma(trace, x);
    const wingSigma = sigma * WING_SIGMA_FACTOR;
    const first = Math.round(centre) - HALF_WIDTH;
    for (let k = 0; k < boundaries.length; k++) {
      const edge = first + k - 0.5 - centre;
      boundaries[k] = (1 - WING_FRACTION) * normalCdf(edge / sigma) + WING_FRACTION * normalCdf(edge / wingSigma);
    }
    for (let k = 0; k < boundaries.length - 1; k++) {
      const y = first + k;
      if (y < 0 || y >= rows) continue;
      const i = y * DISPERSION_PIXELS + x;
      electrons[i] = (electrons[i] as number) + total * ((boundaries[k + 1] as number) - (boundaries[k] as number));
    }
  }
}

/** Cosmic-ray hits: short straight tracks depositing hundreds to tens of thousands of electrons. */
function addCosmicRays(electrons: Float32Array, rows: number, rng: Rng): number {
  const hits = rng.poisson(DETECTOR.cosmicRaysPerFrame);
  for (let hit = 0; hit < hits; hit++) {
    let x = rng.uniform(0, DISPERSION_PIXELS);
    let y = rng.uniform(0, rows);
    const length = 1 + rng.int(0, 5);
    const angle = rng.uniform(0, 2 * Math.PI);
    const charge = rng.logUniform(500, 30000) / length;
    for (let step = 0; step < length; step++) {
      const ix = Math.floor(x);
      const iy = Math.floor(y);
      if (ix >= 0 && ix < DISPERSION_PIXELS && iy >= 0 && iy < rows) {
        const i = iy * DISPERSION_PIXELS + ix;
        electrons[i] = (electrons[i] as number) + charge;
      }
      x += Math.cos(angle);
      y += Math.sin(angle);
    }
  }
  return hits;
}

/** The source spectrum of an object at a frame's wavelengths, at LAMOST's resolution. */
export function objectFlux(
  source: Parameters<typeof evaluateSpectrum>[0],
): (wavelengths: Float64Array) => Float64Array {
  return (wavelengths) => evaluateSpectrum(source, wavelengths, { resolvingPower: RESOLVING_POWER });
}

/**
 * A pre-cut strip (15 × 4096, bias-subtracted ADU): for each column, 15 rows centred on the trace,
 * sampled along the drifting trace by linear interpolation between pixel centres.
 */
export function cutStrip(frame: RenderedFrame, trace: FibreTrace, widthPx = 15): Float32Array {
  const strip = new Float32Array(widthPx * DISPERSION_PIXELS);
  const half = (widthPx - 1) / 2;
  for (let x = 0; x < DISPERSION_PIXELS; x++) {
    const centre = traceCentre(trace, x);
    for (let k = 0; k < widthPx; k++) {
      const y = centre - half + k;
      const y0 = Math.max(0, Math.min(frame.rows - 2, Math.floor(y)));
      const t = Math.min(1, Math.max(0, y - y0));
      const below = frame.adu[y0 * DISPERSION_PIXELS + x] as number;
      const above = frame.adu[(y0 + 1) * DISPERSION_PIXELS + x] as number;
      strip[k * DISPERSION_PIXELS + x] = below + t * (above - below) - DETECTOR.biasAdu;
    }
  }
  return strip;
}
