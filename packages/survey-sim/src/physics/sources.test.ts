import { Rng } from "@macnet/core";
import { describe, expect, it } from "vitest";
import { syntheticMagnitudes } from "./photometry.ts";
import { evaluateSpectrum } from "./sed.ts";
import { drawQuasar, type GalaxyParameters, type StarParameters, sourceSpectrum, spectralType } from "./sources.ts";

const mean = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;
const grid = (from: number, to: number) =>
  Float64Array.from({ length: Math.round((to - from) / 2) }, (_, i) => from + 2 * i);

describe("source spectra", () => {
  it("normalise to the requested r magnitude", () => {
    const star: StarParameters = { kind: "STAR", teffK: 5800, radialVelocityKmS: 0, ebv: 0.05 };
    expect(syntheticMagnitudes(sourceSpectrum(star, "r", 16.3)).r).toBeCloseTo(16.3, 6);
  });

  it("make hot stars bluer than cool ones, and give M stars TiO bands", () => {
    const colour = (teffK: number) => {
      const m = syntheticMagnitudes(sourceSpectrum({ kind: "STAR", teffK, radialVelocityKmS: 0, ebv: 0 }, "r", 15));
      return m.g - m.r;
    };
    expect(colour(20000)).toBeLessThan(colour(6000));
    expect(colour(6000)).toBeLessThan(colour(3600));
    expect(spectralType(5778)).toBe("G2");
    const mDwarf = sourceSpectrum({ kind: "STAR", teffK: 3400, radialVelocityKmS: 0, ebv: 0 }, "r", 15);
    const head = 7059; // TiO band head at 7054.5 Å (air), vacuum ≈ 7056.4
    expect(mean(evaluateSpectrum(mDwarf, grid(head + 5, head + 40)))).toBeLessThan(
      0.7 * mean(evaluateSpectrum(mDwarf, grid(head - 40, head - 5))),
    );
  });

  it("give passive galaxies a strong 4000 Å break and star-forming ones Hα emission, redshifted", () => {
    const base: GalaxyParameters = {
      kind: "GALAXY",
      population: "PASSIVE",
      redshift: 0.1,
      youngFraction: 0.05,
      haEw: 0,
      oiiiToHbeta: 1,
      niiToHalpha: 0.3,
      velocityDispersionKmS: 200,
      bulgeToTotal: 0.8,
      bulgeRadiusKpc: 2,
      diskRadiusKpc: 4,
      axisRatio: 0.7,
      positionAngleDeg: 0,
    };
    const passive = sourceSpectrum(base, "r", 16);
    const red = mean(evaluateSpectrum(passive, grid(4050 * 1.1, 4250 * 1.1)));
    const blue = mean(evaluateSpectrum(passive, grid(3750 * 1.1, 3950 * 1.1)));
    expect(red / blue).toBeGreaterThan(1.5);
    const starForming = sourceSpectrum({ ...base, population: "STARFORMING", youngFraction: 0.6, haEw: 50 }, "r", 16);
    const haObserved = 6564.61 * 1.1;
    const peak = Math.max(
      ...evaluateSpectrum(starForming, grid(haObserved - 6, haObserved + 6), { resolvingPower: 1800 }),
    );
    const continuum = mean(evaluateSpectrum(starForming, grid(haObserved + 60, haObserved + 120)));
    expect(peak / continuum).toBeGreaterThan(5);
  });

  it("give quasars broad lines and the Lyα forest blueward of Lyα", () => {
    const quasar = { ...drawQuasar(new Rng(3, "q")), redshift: 2.5, hostFraction: 0, lineStrength: 1 };
    const spectrum = sourceSpectrum(quasar, "r", 18.5);
    const lya = 1215.67 * 3.5;
    const lineFlux = mean(evaluateSpectrum(spectrum, grid(lya - 10, lya + 10)));
    const redSide = mean(evaluateSpectrum(spectrum, grid(lya + 150, lya + 250)));
    expect(lineFlux).toBeGreaterThan(2 * redSide);
    const forestWindow = grid(lya - 250, lya - 150);
    const transmitted =
      mean(evaluateSpectrum(spectrum, forestWindow)) /
      mean(evaluateSpectrum({ ...spectrum, intergalacticAbsorption: false }, forestWindow));
    // Mean transmission exp(−0.0036 (1+z)^3.46) at z ≈ 2.4 is ≈ 0.78.
    expect(transmitted).toBeGreaterThan(0.7);
    expect(transmitted).toBeLessThan(0.85);
  });
});
