// Where the labels of vertical line markers go: horizontal text in up to `rows` rows along the top
// of the plot, each label beside its line (to the right, or to the left at the right edge), never
// overlapping another label and never past the plot's edges. A label with no free place is left
// out (its line is still drawn); the caller can say how many were.

export interface LabelBox<T = unknown> {
  /** The item the label belongs to, as given. */
  item: T;
  label: string;
  /** The line's x. */
  x: number;
  row: number;
  /** The text's extent. */
  left: number;
  right: number;
  anchor: "start" | "end";
}

export function layoutLabels<T extends { x: number; label: string; width: number }>(
  items: T[],
  plot: { left: number; right: number },
  options: { rows?: number; gap?: number; offset?: number } = {},
): LabelBox<T>[] {
  const { rows = 3, gap = 4, offset = 3 } = options;
  const rowEnds: number[] = Array(rows).fill(Number.NEGATIVE_INFINITY);
  const placed: LabelBox<T>[] = [];
  for (const item of [...items].sort((a, b) => a.x - b.x)) {
    if (item.x < plot.left || item.x > plot.right) continue;
    const startBox = { left: item.x + offset, right: item.x + offset + item.width, anchor: "start" as const };
    const endBox = { left: item.x - offset - item.width, right: item.x - offset, anchor: "end" as const };
    const candidates = [startBox, endBox].filter((box) => box.left >= plot.left && box.right <= plot.right);
    let done = false;
    for (let row = 0; row < rows && !done; row++) {
      for (const box of candidates) {
        if (box.left >= (rowEnds[row] as number) + gap) {
          placed.push({ item, label: item.label, x: item.x, row, ...box });
          rowEnds[row] = box.right;
          done = true;
          break;
        }
      }
    }
  }
  return placed;
}

/** Whether any two placed labels overlap (what the layout promises never happens). */
export function overlapping(boxes: LabelBox[]): boolean {
  return boxes.some((a, i) => boxes.some((b, j) => j > i && a.row === b.row && a.left < b.right && b.left < a.right));
}
