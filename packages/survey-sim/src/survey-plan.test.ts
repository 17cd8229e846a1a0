import { describe, expect, it } from "vitest";
import { apportion, PAPER_CLASS_MIX, planSurvey, type SurveyOptions } from "./survey-plan.ts";

const options = (overrides: Partial<SurveyOptions> = {}): SurveyOptions => ({
  objects: 2891,
  seed: 5,
  plans: 2,
  fibresPerSpectrograph: 250,
  labelNoise: 0.01,
  missingCutouts: 0.02,
  classMix: { ...PAPER_CLASS_MIX },
  ...overrides,
});

describe("apportion", () => {
  it("keeps the paper's mix exactly at its size and always adds up", () => {
    expect(apportion(2891, PAPER_CLASS_MIX)).toEqual({ STAR: 1202, GALAXY: 1223, QSO: 466 });
    for (const total of [1, 2, 3, 7, 60, 301, 1000]) {
      const counts = apportion(total, PAPER_CLASS_MIX);
      expect(counts.STAR + counts.GALAXY + counts.QSO).toBe(total);
    }
  });
});

describe("planSurvey", () => {
  const survey = planSurvey(options());

  it("lays out the paper's survey on two nights with LAMOST-sized spectrographs", () => {
    expect(survey.objects).toHaveLength(2891);
    expect(survey.plans.map((plan) => plan.obsDate)).toEqual(["2013-09-14", "2013-11-03"]);
    expect(survey.plans.every((plan) => plan.spectrographs <= 16)).toBe(true);
    const counts = { STAR: 0, GALAXY: 0, QSO: 0 };
    for (const object of survey.objects) counts[object.trueClass]++;
    expect(counts).toEqual(PAPER_CLASS_MIX);
    expect(new Set(survey.objects.map((object) => object.obsid)).size).toBe(2891);
  });

  it("makes exactly the requested fraction of catalogue labels wrong, and only those", () => {
    const flipped = survey.objects.filter((object) => object.labelFlipped);
    expect(flipped).toHaveLength(Math.round(0.01 * 2891));
    expect(flipped.every((object) => object.catalogClass !== object.trueClass)).toBe(true);
    expect(
      survey.objects
        .filter((object) => !object.labelFlipped)
        .every((object) => object.catalogClass === object.trueClass),
    ).toBe(true);
    expect(survey.objects.filter((object) => !object.hasCutout)).toHaveLength(Math.round(0.02 * 2891));
  });

  it("keeps sky fibres free and objects within the 5° field of their plan", () => {
    for (const [key, slots] of survey.fibres) {
      const plan = survey.plans[Number(key.split("/")[0])];
      for (const slot of slots) {
        if (slot.fibreId % 12 === 6) expect(slot.objectIndex).toBeUndefined();
        if (slot.objectIndex === undefined || !plan) continue;
        const object = survey.objects[slot.objectIndex];
        const rad = Math.PI / 180;
        const cosDistance =
          Math.sin((object?.decDeg ?? 0) * rad) * Math.sin(plan.decDeg * rad) +
          Math.cos((object?.decDeg ?? 0) * rad) *
            Math.cos(plan.decDeg * rad) *
            Math.cos(((object?.raDeg ?? 0) - plan.raDeg) * rad);
        expect(Math.acos(Math.min(1, cosDistance)) / rad).toBeLessThan(2.5);
      }
    }
  });

  it("is reproducible from the seed", () => {
    const again = planSurvey(options());
    expect(again.objects.map((object) => [object.obsid, object.trueClass, object.rMagnitude])).toEqual(
      survey.objects.map((object) => [object.obsid, object.trueClass, object.rMagnitude]),
    );
  });

  it("refuses a survey that needs more than LAMOST's 16 spectrographs, saying what to change", () => {
    expect(() => planSurvey(options({ objects: 10000, plans: 1 }))).toThrow(
      /need 44 spectrographs per plan, but LAMOST has 16: raise --plans/,
    );
  });
});
