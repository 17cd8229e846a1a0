import { describe, expect, it } from "vitest";
import { acceptedLabel, parseVerdict } from "./reviews.ts";

type Facts = Parameters<typeof acceptedLabel>[0][number];
let nextId = 1;
const v = (
  reviewer: string,
  role: "SCIENTIST" | "ADMIN",
  verdict: Facts["verdict"],
  correctedClass: Facts["correctedClass"] = null,
): Facts => ({
  id: nextId++,
  reviewerId: reviewer === "deleted" ? null : reviewer.charCodeAt(0),
  reviewerName: reviewer,
  reviewerRole: role,
  verdict,
  correctedClass,
});

describe("the review rule (admin-or-two-agreeing-scientists)", () => {
  it("takes an ADMIN's latest decisive verdict over anything the scientists say", () => {
    const a = v("ann", "SCIENTIST", "CATALOGUE_WRONG", "STAR");
    const b = v("bob", "SCIENTIST", "CATALOGUE_WRONG", "STAR");
    const admin = v("zed", "ADMIN", "CATALOGUE_RIGHT");
    expect(acceptedLabel([a, b, admin], "QSO")).toEqual({ label: "QSO", verdictIds: [admin.id] });
    // An ADMIN who turns unsure withdraws the decision (each counts with their latest verdict): the
    // scientists' agreement decides again.
    expect(acceptedLabel([a, b, admin, v("zed", "ADMIN", "UNSURE")], "QSO")).toEqual({
      label: "STAR",
      verdictIds: [a.id, b.id],
    });
    const later = v("yve", "ADMIN", "CATALOGUE_WRONG", "GALAXY");
    expect(acceptedLabel([later, admin], "QSO")?.label).toBe("GALAXY"); // the latest by id, in any order
  });

  it("needs two scientists who all agree; one alone, or any disagreement, decides nothing", () => {
    const a = v("ann", "SCIENTIST", "CATALOGUE_WRONG", "STAR");
    const b = v("bob", "SCIENTIST", "CATALOGUE_WRONG", "STAR");
    expect(acceptedLabel([a], "QSO")).toBeNull();
    expect(acceptedLabel([a, b], "QSO")).toEqual({ label: "STAR", verdictIds: [a.id, b.id] });
    expect(acceptedLabel([a, b, v("cy", "SCIENTIST", "CATALOGUE_WRONG", "GALAXY")], "QSO")).toBeNull();
    expect(acceptedLabel([a, b, v("cy", "SCIENTIST", "CATALOGUE_RIGHT")], "QSO")).toBeNull();
    expect(acceptedLabel([a, b, v("cy", "SCIENTIST", "UNSURE")], "QSO")?.label).toBe("STAR");
    // Two "right": the catalogue's class, decided.
    expect(
      acceptedLabel([v("ann", "SCIENTIST", "CATALOGUE_RIGHT"), v("bob", "SCIENTIST", "CATALOGUE_RIGHT")], "QSO")?.label,
    ).toBe("QSO");
  });

  it("counts each reviewer once, with their latest verdict (a deleted user by name)", () => {
    const first = v("ann", "SCIENTIST", "CATALOGUE_WRONG", "STAR");
    const changed = v("ann", "SCIENTIST", "CATALOGUE_RIGHT");
    const bob = v("bob", "SCIENTIST", "CATALOGUE_WRONG", "STAR");
    expect(acceptedLabel([first, bob, changed], "QSO")).toBeNull(); // ann now says right: disagreement
    expect(acceptedLabel([first, first, v("ann", "SCIENTIST", "CATALOGUE_WRONG", "STAR")], "QSO")).toBeNull();
    const gone = v("deleted", "SCIENTIST", "CATALOGUE_WRONG", "STAR");
    expect(acceptedLabel([gone, bob], "QSO")).toEqual({
      label: "STAR",
      verdictIds: [bob.id, gone.id].sort((x, y) => x - y),
    });
  });

  it("reads verdicts as people type them", () => {
    expect(["right", "Wrong", "UNSURE", "catalogue_wrong"].map(parseVerdict)).toEqual([
      "CATALOGUE_RIGHT",
      "CATALOGUE_WRONG",
      "UNSURE",
      "CATALOGUE_WRONG",
    ]);
    expect(() => parseVerdict("maybe")).toThrow(/verdict must be right, wrong or unsure/);
  });
});
