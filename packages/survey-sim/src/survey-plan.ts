import { destination, type ObjectClass, Rng } from "@macnet/core";
import type { SkyConditions } from "./instrument/sky.ts";
import { drawGalaxy, drawQuasar, drawStar, type SourceParameters, spectralType } from "./physics/sources.ts";

export type { ObjectClass };
/**
 * The simulator's draw order of the classes (stars first, as LAMOST's samples are ordered). Not the
 * platform's OBJECT_CLASSES order: every seeded survey was drawn in this one, and another order
 * would change them all.
 */
export const SIM_CLASS_ORDER: readonly ObjectClass[] = ["STAR", "GALAXY", "QSO"];

/** The paper's sample: 1202 stars, 1223 galaxies, 466 quasars. */
export const PAPER_CLASS_MIX: Readonly<Record<ObjectClass, number>> = { STAR: 1202, GALAXY: 1223, QSO: 466 };
/** The paper's two observing nights. */
const PAPER_DATES = ["2013-09-14", "2013-11-03"];
/** LAMOST has 16 spectrographs. */
export const MAX_SPECTROGRAPHS = 16;
/** Every 12th fibre (from the 6th) points at blank sky, as LAMOST keeps ≈20 sky fibres per spectrograph. */
export const isSkyFibre = (fibreId: number) => fibreId % 12 === 6;
/** Simulated obsids start here so they never collide with real LAMOST obsids. */
export const SIMULATED_OBSID_BASE = 9_000_000_000;

/**
 * A survey that cannot be laid out as asked (an expected, user-facing error): BAD_USER_INPUT of the
 * platform's error table (@macnet/db errors.ts), which this package does not depend on.
 */
export class SurveyError extends Error {
  readonly code = "BAD_USER_INPUT";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** What a survey is made of. */
export interface SurveyOptions {
  objects: number;
  seed: number;
  plans: number;
  fibresPerSpectrograph: number;
  /** Fraction of catalogue classes that are wrong on purpose. */
  labelNoise: number;
  /** Fraction of objects with no cutout. */
  missingCutouts: number;
  classMix: Record<ObjectClass, number>;
}

/** One observing plan (a plate pointing on one night). */
export interface Plan {
  index: number;
  planId: string;
  obsDate: string;
  lmjd: number;
  raDeg: number;
  decDeg: number;
  spectrographs: number;
  sky: SkyConditions;
}

/** A fibre of one spectrograph: on a target or on blank sky. */
export interface FibreSlot {
  fibreId: number;
  objectIndex: number | undefined;
}

/** An object of the simulated survey: truth, catalogue labels and where it was observed. */
export interface SimulatedObject {
  index: number;
  obsid: number;
  designation: string;
  raDeg: number;
  decDeg: number;
  planIndex: number;
  spectrograph: number;
  fibreId: number;
  trueClass: ObjectClass;
  trueSubclass: string;
  catalogClass: ObjectClass;
  catalogSubclass: string;
  labelFlipped: boolean;
  redshift: number;
  catalogRedshift: number;
  redshiftError: number;
  /** Band and magnitude the spectrum is normalised to. */
  rMagnitude: number;
  hasCutout: boolean;
  parameters: SourceParameters;
}

/** The whole survey before any pixel is drawn. */
export interface SurveyPlan {
  options: SurveyOptions;
  plans: Plan[];
  objects: SimulatedObject[];
  /** Fibres per `${planIndex}/${spectrograph}`. */
  fibres: Map<string, FibreSlot[]>;
}

/** Splits `total` in proportion to `weights` (largest-remainder rounding, so the counts add up). */
export function apportion(total: number, weights: Record<ObjectClass, number>): Record<ObjectClass, number> {
  const sum = SIM_CLASS_ORDER.reduce((acc, name) => acc + weights[name], 0);
  const exact = SIM_CLASS_ORDER.map((name) => (total * weights[name]) / sum);
  const counts = exact.map(Math.floor);
  const order = exact
    .map((value, i) => [value - Math.floor(value), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const deficit = total - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < deficit; k++) {
    const index = order[k]?.[1] as number;
    counts[index] = (counts[index] as number) + 1;
  }
  return { STAR: counts[0] as number, GALAXY: counts[1] as number, QSO: counts[2] as number };
}

/** Lays out the survey: classes, plans, fibres, positions, physical parameters and catalogue labels. */
export function planSurvey(options: SurveyOptions): SurveyPlan {
  const scienceFibres = Array.from({ length: options.fibresPerSpectrograph }, (_, i) => i + 1).filter(
    (id) => !isSkyFibre(id),
  );
  const perPlan = Math.ceil(options.objects / options.plans);
  const spectrographsNeeded = Math.ceil(perPlan / scienceFibres.length);
  if (spectrographsNeeded > MAX_SPECTROGRAPHS) {
    throw new SurveyError(
      `${options.objects} objects over ${options.plans} plan(s) need ${spectrographsNeeded} spectrographs per plan, but LAMOST has ${MAX_SPECTROGRAPHS}: raise --plans or --fibres-per-spectrograph`,
      "objects",
    );
  }
  const counts = apportion(options.objects, options.classMix);
  const classes = new Rng(options.seed, "classes").shuffle(
    SIM_CLASS_ORDER.flatMap((name) => Array<ObjectClass>(counts[name]).fill(name)),
  );
  const plans: Plan[] = [];
  const objects: SimulatedObject[] = [];
  const fibres = new Map<string, FibreSlot[]>();
  for (let planIndex = 0; planIndex < options.plans; planIndex++) {
    const inPlan = classes.slice(planIndex * perPlan, (planIndex + 1) * perPlan);
    const plan = drawPlan(options.seed, planIndex, Math.max(1, Math.ceil(inPlan.length / scienceFibres.length)));
    plans.push(plan);
    let next = 0;
    for (let spectrograph = 1; spectrograph <= plan.spectrographs; spectrograph++) {
      const slots: FibreSlot[] = [];
      for (let fibreId = 1; fibreId <= options.fibresPerSpectrograph; fibreId++) {
        const trueClass = isSkyFibre(fibreId) ? undefined : inPlan[next];
        if (trueClass === undefined) {
          slots.push({ fibreId, objectIndex: undefined });
          continue;
        }
        next++;
        const object = drawObject(options.seed, objects.length, trueClass, plan, spectrograph, fibreId);
        slots.push({ fibreId, objectIndex: object.index });
        objects.push(object);
      }
      fibres.set(`${planIndex}/${spectrograph}`, slots);
    }
  }
  applyLabelNoise(objects, options);
  const withoutCutout = new Rng(options.seed, "missing-cutouts").shuffle(objects.map((object) => object.index));
  for (const index of withoutCutout.slice(0, Math.round(options.missingCutouts * objects.length))) {
    (objects[index] as SimulatedObject).hasCutout = false;
  }
  return { options, plans, objects, fibres };
}

function drawPlan(seed: number, index: number, spectrographs: number): Plan {
  const rng = new Rng(seed, "plan", index);
  const raDeg = rng.uniform(0, 360);
  const decDeg = rng.uniform(5, 55);
  const obsDate = PAPER_DATES[index] ?? addDays(PAPER_DATES[1] as string, 23 * (index - 1));
  return {
    index,
    planId: `SM${sexagesimal(raDeg / 15, 0)
      .replace(/[:.]/g, "")
      .slice(0, 6)}${decDeg >= 0 ? "N" : "S"}${sexagesimal(Math.abs(decDeg), 0).replace(/[:.]/g, "").slice(0, 6)}B01`,
    obsDate,
    lmjd: mjd(obsDate) + 1,
    raDeg,
    decDeg,
    spectrographs,
    sky: { moonMag: rng.chance(0.5) ? 0 : rng.uniform(0.2, 1.2), ohScale: rng.uniform(0.8, 1.25) },
  };
}

function drawObject(
  seed: number,
  index: number,
  trueClass: ObjectClass,
  plan: Plan,
  spectrograph: number,
  fibreId: number,
): SimulatedObject {
  const rng = new Rng(seed, "object", index);
  const [raDeg, decDeg] = destination(plan.raDeg, plan.decDeg, 2.4 * Math.sqrt(rng.next()), rng.uniform(0, 360));
  const parameters = trueClass === "STAR" ? drawStar(rng) : trueClass === "GALAXY" ? drawGalaxy(rng) : drawQuasar(rng);
  const rMagnitude =
    trueClass === "STAR"
      ? 13 + 4.5 * rng.next() ** 0.6
      : trueClass === "GALAXY"
        ? 14.9 + 2.9 * rng.next() ** 0.5
        : 17 + 2.5 * rng.next() ** 0.7;
  const redshift = parameters.kind === "STAR" ? parameters.radialVelocityKmS / 299792.458 : parameters.redshift;
  const redshiftError =
    trueClass === "STAR" ? 1.5e-5 : trueClass === "GALAXY" ? 1.5e-4 * (1 + redshift) : 1.5e-3 * (1 + redshift);
  const trueSubclass =
    parameters.kind === "STAR"
      ? spectralType(parameters.teffK)
      : parameters.kind === "GALAXY"
        ? parameters.population
        : "";
  return {
    index,
    obsid: SIMULATED_OBSID_BASE + plan.index * 100_000 + spectrograph * 1000 + fibreId,
    designation: designation(raDeg, decDeg),
    raDeg,
    decDeg,
    planIndex: plan.index,
    spectrograph,
    fibreId,
    trueClass,
    trueSubclass,
    catalogClass: trueClass,
    catalogSubclass: trueClass === "STAR" ? trueSubclass : "",
    labelFlipped: false,
    redshift,
    catalogRedshift: redshift + rng.normal(0, redshiftError),
    redshiftError,
    rMagnitude,
    hasCutout: true,
    parameters,
  };
}

function applyLabelNoise(objects: SimulatedObject[], options: SurveyOptions): void {
  const rng = new Rng(options.seed, "label-noise");
  const chosen = rng
    .shuffle(objects.map((object) => object.index))
    .slice(0, Math.round(options.labelNoise * objects.length));
  for (const index of chosen.sort((a, b) => a - b)) {
    const object = objects[index] as SimulatedObject;
    const wrong = rng.pick(SIM_CLASS_ORDER.filter((name) => name !== object.trueClass));
    object.catalogClass = wrong;
    object.labelFlipped = true;
    // The pipeline's template fit for the wrong class also gives a wrong redshift and subclass.
    object.catalogSubclass = wrong === "STAR" ? rng.pick(["F5", "G2", "K1", "K5", "M0"]) : "";
    object.catalogRedshift =
      wrong === "STAR" ? rng.normal(0, 1e-4) : wrong === "GALAXY" ? rng.uniform(0.02, 0.3) : rng.uniform(0.5, 2.5);
  }
}

/** LAMOST designation `Jhhmmss.ss+ddmmss.s`. */
export function designation(raDeg: number, decDeg: number): string {
  return `J${sexagesimal(raDeg / 15, 2).replace(/:/g, "")}${decDeg < 0 ? "-" : "+"}${sexagesimal(Math.abs(decDeg), 1).replace(/:/g, "")}`;
}

function sexagesimal(value: number, decimals: number): string {
  const totalUnits = Math.round(value * 3600 * 10 ** decimals);
  const unitsPerSecond = 10 ** decimals;
  const seconds = (totalUnits / unitsPerSecond) % 60;
  const minutes = Math.floor(totalUnits / unitsPerSecond / 60) % 60;
  const whole = Math.floor(totalUnits / unitsPerSecond / 3600);
  const secondsText = seconds.toFixed(decimals).padStart(decimals > 0 ? 3 + decimals : 2, "0");
  return `${String(whole).padStart(2, "0")}:${String(minutes).padStart(2, "0")}:${secondsText}`;
}

function mjd(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000 + 40587);
}

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
