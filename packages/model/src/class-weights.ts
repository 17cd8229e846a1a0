// The loss weights of a training run: the paper's 1:3:1, balanced from the training split, or given.
import { CLASS_INDEX as CORE_CLASS_INDEX } from "@macnet/core";

/** Class index in the model's output: GALAXY, QSO, STAR (the paper's order, weights 1:3:1). */
export const CLASS_INDEX: Readonly<Record<string, number>> = CORE_CLASS_INDEX;
export const PAPER_CLASS_WEIGHTS = [1, 3, 1];

/**
 * The loss weights a training run asks for: three numbers (GALAXY, QSO, STAR), "balanced" (the
 * default: from the training split's class counts) or "paper" (the paper's 1:3:1, set for LAMOST's
 * imbalance).
 */
export type ClassWeightsChoice = readonly number[] | "balanced" | "paper";

/**
 * The weights to train with. "balanced" weighs each class by N / (K · n_c) over the training
 * split's labelled samples, so every class contributes equally to the loss (a class absent from the
 * split gets 1); on a balanced split that is 1:1:1, where the paper's 1:3:1 only tilts stars and
 * galaxies towards QSO.
 */
export function resolveClassWeights(
  choice: ClassWeightsChoice,
  trainLabels: readonly number[],
): { weights: number[]; mode: "balanced" | "paper" | "custom" } {
  if (choice === "paper") return { weights: [...PAPER_CLASS_WEIGHTS], mode: "paper" };
  if (choice !== "balanced") return { weights: [...choice], mode: "custom" };
  const counts = [0, 0, 0];
  for (const label of trainLabels) if (label >= 0 && label < 3) counts[label] = (counts[label] as number) + 1;
  const total = counts.reduce((a, b) => a + b, 0);
  const present = counts.filter((n) => n > 0).length;
  const weights = counts.map((n) => (n > 0 ? total / (present * n) : 1));
  return { weights: weights.map((w) => Number(w.toFixed(6))), mode: "balanced" };
}
