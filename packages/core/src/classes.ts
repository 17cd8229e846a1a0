// The three classes of the paper, in the one order every table, tensor and matrix uses.

export const OBJECT_CLASSES = ["GALAXY", "QSO", "STAR"] as const;
export type ObjectClass = (typeof OBJECT_CLASSES)[number];

/** Each class's index in OBJECT_CLASSES (a network's output unit, a confusion matrix's row). */
export const CLASS_INDEX: Readonly<Record<ObjectClass, number>> = { GALAXY: 0, QSO: 1, STAR: 2 };

export const isObjectClass = (value: unknown): value is ObjectClass =>
  typeof value === "string" && (OBJECT_CLASSES as readonly string[]).includes(value);
