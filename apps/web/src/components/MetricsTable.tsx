"use client";
// Per-class precision, recall and F1 with their support, each rounded to what its support justifies
// (formatProportion), and the overall accuracy over all objects.
import { CLASS_LABELS, type ClassName, formatProportion } from "@/lib/astro";

export interface ClassMetricRow {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function MetricsTable(props: { rows: ClassMetricRow[]; accuracy: number; total: number; testId?: string }) {
  const { rows, accuracy, total } = props;
  return (
    <table className="data metrics" data-testid={props.testId}>
      <thead>
        <tr>
          <th>Class</th>
          <th>Precision</th>
          <th>Recall</th>
          <th>F1</th>
          <th title="objects of this class in the catalogue">Support</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.class}>
            <td>{CLASS_LABELS[row.class as ClassName] ?? row.class}</td>
            <td>{formatProportion(row.precision, row.support)}</td>
            <td>{formatProportion(row.recall, row.support)}</td>
            <td>{formatProportion(row.f1, row.support)}</td>
            <td>{row.support.toLocaleString()}</td>
          </tr>
        ))}
        <tr className="total">
          <td>Accuracy</td>
          <td colSpan={3}>{formatProportion(accuracy, total)}</td>
          <td>{total.toLocaleString()}</td>
        </tr>
      </tbody>
    </table>
  );
}
