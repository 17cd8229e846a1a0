"use client";
// Confusion matrices as SVG heatmaps: a sequential blue ramp for counts, a diverging
// purple–orange ramp (colour-blind safe) for differences; every cell shows its number.
import { CLASS_LABELS, type ClassName } from "@/lib/astro";

function mix(a: [number, number, number], b: [number, number, number], t: number) {
  return a.map((v, i) => Math.round(v + ((b[i] as number) - v) * t)) as [number, number, number];
}

function cellColor(value: number, max: number, diverging: boolean): [number, number, number] {
  if (!diverging) return mix([247, 251, 255], [8, 48, 107], max > 0 ? value / max : 0);
  const t = max > 0 ? Math.min(1, Math.abs(value) / max) : 0;
  return value >= 0 ? mix([247, 247, 247], [84, 39, 136], t) : mix([247, 247, 247], [179, 88, 6], t);
}

export function MatrixHeatmap(props: {
  matrix: number[][];
  classes: ClassName[];
  title: string;
  diverging?: boolean;
  onCellClick?: (actual: ClassName, predicted: ClassName) => void;
  testId?: string;
}) {
  const { matrix, classes, title, diverging = false } = props;
  const cell = 64;
  const left = 78;
  const top = 46;
  const max = Math.max(0, ...matrix.flat().map((v) => Math.abs(v)));
  return (
    <figure className="matrix" data-testid={props.testId}>
      <figcaption>{title}</figcaption>
      <svg
        width={left + cell * classes.length + 4}
        height={top + cell * classes.length + 4}
        role="img"
        aria-label={`${title}: rows are catalogue classes, columns predictions`}
      >
        <text x={left + (cell * classes.length) / 2} y={12} textAnchor="middle" className="axis-title">
          predicted
        </text>
        {classes.map((c, j) => (
          <text key={`col-${c}`} x={left + j * cell + cell / 2} y={top - 8} textAnchor="middle">
            {CLASS_LABELS[c]}
          </text>
        ))}
        {classes.map((actual, i) => (
          <g key={`row-${actual}`}>
            <text x={left - 8} y={top + i * cell + cell / 2 + 4} textAnchor="end">
              {CLASS_LABELS[actual]}
            </text>
            {classes.map((predicted, j) => {
              const value = matrix[i]?.[j] ?? 0;
              const [r, g, b] = cellColor(value, max, diverging);
              const dark = 0.299 * r + 0.587 * g + 0.114 * b < 140;
              return (
                // biome-ignore lint/a11y/useSemanticElements: an SVG cell cannot be a <button>
                <g
                  key={`${actual}-${predicted}`}
                  role="button"
                  tabIndex={props.onCellClick ? 0 : -1}
                  data-cell={`${actual}-${predicted}`}
                  style={{ cursor: props.onCellClick ? "pointer" : "default" }}
                  onClick={() => props.onCellClick?.(actual, predicted)}
                  onKeyDown={(event) => {
                    if (event.key === "Enter") props.onCellClick?.(actual, predicted);
                  }}
                >
                  <rect
                    x={left + j * cell}
                    y={top + i * cell}
                    width={cell - 2}
                    height={cell - 2}
                    fill={`rgb(${r},${g},${b})`}
                    stroke={i === j ? "#333" : "none"}
                  />
                  <text
                    x={left + j * cell + cell / 2 - 1}
                    y={top + i * cell + cell / 2 + 5}
                    textAnchor="middle"
                    style={{ fill: dark ? "#fff" : "#111", fontWeight: 600 }}
                  >
                    {diverging && value > 0 ? `+${value}` : value}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </figure>
  );
}
