import { CLASS_COLORS, CLASS_LABELS, CLASSES } from "@/lib/astro";

/** A prediction's class probabilities as three labelled bars. */
export function ProbabilityBars(props: { probGalaxy: number; probQso: number; probStar: number }) {
  const values = { GALAXY: props.probGalaxy, QSO: props.probQso, STAR: props.probStar };
  return (
    <div className="probabilities">
      {CLASSES.map((c) => (
        <div key={c} className="probability" title={`${CLASS_LABELS[c]}: ${values[c].toFixed(3)}`}>
          <span className="name">{CLASS_LABELS[c]}</span>
          <span className="bar">
            <span style={{ width: `${(values[c] * 100).toFixed(1)}%`, background: CLASS_COLORS[c] }} />
          </span>
          <span className="value">{values[c].toFixed(3)}</span>
        </div>
      ))}
    </div>
  );
}

export function ClassBadge(props: { value: string | null | undefined }) {
  if (!props.value) return <span className="badge none">—</span>;
  const c = props.value as keyof typeof CLASS_COLORS;
  return (
    <span className="badge" style={{ borderColor: CLASS_COLORS[c], color: CLASS_COLORS[c] }}>
      {CLASS_LABELS[c] ?? props.value}
    </span>
  );
}
