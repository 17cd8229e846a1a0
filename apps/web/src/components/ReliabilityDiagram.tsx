"use client";
// A reliability diagram (SVG): for each bin of confidence, the fraction predicted right (bars,
// with the model's temperature) against the diagonal of perfect calibration; the raw probabilities'
// accuracy as open circles. Empty bins draw nothing.
export interface Bin {
  lower: number;
  upper: number;
  count: number;
  confidence?: number | null;
  accuracy?: number | null;
}

export function ReliabilityDiagram(props: {
  title: string;
  bins: Bin[];
  uncalibrated?: Bin[] | null;
  ece?: number | null;
  eceUncalibrated?: number | null;
  testId?: string;
}) {
  const { bins, uncalibrated } = props;
  const size = 180;
  const [left, top] = [40, 10];
  const x = (v: number) => left + v * size;
  const y = (v: number) => top + (1 - v) * size;
  return (
    <figure className="reliability" data-testid={props.testId}>
      <figcaption>
        {props.title}
        <br />
        <span className="muted small">
          ECE {props.ece === null || props.ece === undefined ? "—" : props.ece.toFixed(3)} calibrated
          {props.eceUncalibrated === null || props.eceUncalibrated === undefined
            ? ""
            : `, ${props.eceUncalibrated.toFixed(3)} raw`}
        </span>
      </figcaption>
      <svg
        width={left + size + 10}
        height={top + size + 36}
        role="img"
        aria-label={`${props.title}: accuracy against confidence`}
      >
        <rect x={x(0)} y={y(1)} width={size} height={size} fill="#fff" stroke="#888" />
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#999" strokeDasharray="4 3" />
        {bins.map((bin) =>
          bin.count > 0 && bin.accuracy !== null && bin.accuracy !== undefined ? (
            <rect
              key={bin.lower}
              data-bin={bin.lower}
              x={x(bin.lower) + 1}
              y={y(bin.accuracy)}
              width={size / bins.length - 2}
              height={Math.max(0, y(0) - y(bin.accuracy))}
              fill="#4477AA"
              fillOpacity={0.75}
            >
              <title>{`${bin.count} objects, confidence ${bin.lower.toFixed(1)}–${bin.upper.toFixed(1)}: ${(bin.accuracy * 100).toFixed(0)} % right`}</title>
            </rect>
          ) : null,
        )}
        {uncalibrated?.map((bin) =>
          bin.count > 0 && bin.accuracy !== null && bin.accuracy !== undefined ? (
            <circle
              key={`raw-${bin.lower}`}
              cx={x((bin.lower + bin.upper) / 2)}
              cy={y(bin.accuracy)}
              r={3}
              fill="none"
              stroke="#BB5566"
              strokeWidth={1.5}
            />
          ) : null,
        )}
        {[0, 0.5, 1].map((v) => (
          <g key={v} className="axis-label">
            <text x={x(v)} y={y(0) + 14} textAnchor="middle">
              {v}
            </text>
            <text x={x(0) - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        <text x={x(0.5)} y={y(0) + 30} textAnchor="middle" className="axis-title">
          confidence
        </text>
        <text x={12} y={y(0.5)} textAnchor="middle" transform={`rotate(-90 12 ${y(0.5)})`} className="axis-title">
          accuracy
        </text>
      </svg>
    </figure>
  );
}
