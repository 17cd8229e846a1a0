"use client";
// Model comparison in the paper's layout: Table 4 (per-class precision, recall, F1 and accuracy),
// Table 5 (parameters, inference time, backend), confusion matrices side by side and their
// differences from the first model; a matrix cell lists its objects in the browser.
import { OBJECT_CLASSES } from "@macnet/core";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useQuery } from "urql";
import { MatrixHeatmap } from "@/components/Matrix";
import { ReliabilityDiagram } from "@/components/ReliabilityDiagram";
import { graphql } from "@/gql";
import { CLASS_LABELS, type ClassName, formatDate, formatNumber, formatProportion } from "@/lib/astro";

const ModelsQuery = graphql(`
  query ModelList {
    models {
      id
      name
      architecture
      compact
      createdAt
      epochsTrained
      warnings
      dataset {
        id
        name
        version
      }
      evaluation {
        accuracy
        objectCount
      }
    }
  }
`);

const CompareQuery = graphql(`
  query CompareModels($ids: [ID!]!) {
    compareModels(ids: $ids) {
      split
      models {
        id
        name
        architecture
        compact
        parameterCount
        backend
        device
        temperature
        dataset {
          id
        }
      }
      evaluations {
        ...EvaluationFields
        inferenceMsPerObject
        objectCount
        backend
        ece
        eceUncalibrated
        reliability {
          lower
          upper
          count
          confidence
          accuracy
        }
        reliabilityUncalibrated {
          lower
          upper
          count
          confidence
          accuracy
        }
      }
      confusionDifferences
    }
  }
`);

export default function ModelsPage() {
  const router = useRouter();
  const params = useSearchParams();
  const ids = (params.get("ids") ?? "").split(",").filter(Boolean);
  const [{ data: list }] = useQuery({ query: ModelsQuery, requestPolicy: "cache-and-network" });
  const [{ data, error }] = useQuery({ query: CompareQuery, variables: { ids }, pause: ids.length === 0 });
  const toggle = (id: string) => {
    const next = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
    router.replace(next.length ? `/models?ids=${next.join(",")}` : "/models");
  };
  const comparison = data?.compareModels;
  const classOrder = (comparison?.evaluations.find(Boolean)?.classOrder ?? OBJECT_CLASSES) as ClassName[];

  return (
    <div className="page">
      <h1>Models</h1>
      <table className="data" data-testid="model-list">
        <thead>
          <tr>
            <th>Compare</th>
            <th>Model</th>
            <th>Architecture</th>
            <th>Dataset</th>
            <th>Epochs</th>
            <th>Test accuracy</th>
            <th>Trained</th>
          </tr>
        </thead>
        <tbody>
          {list?.models.map((m) => (
            <tr key={m.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`compare ${m.name}`}
                  data-testid={`compare-${m.id}`}
                  checked={ids.includes(m.id)}
                  onChange={() => toggle(m.id)}
                />
              </td>
              <td>
                #{m.id} {m.name}
                {m.warnings.map((warning) => (
                  <span key={warning} className="flag warning" title={warning} data-testid={`model-warning-${m.id}`}>
                    {" "}
                    ⚠ {warning.split(":")[0]}
                  </span>
                ))}
              </td>
              <td>
                {m.architecture}
                {m.compact ? " (compact)" : ""}
              </td>
              <td>{m.dataset ? `${m.dataset.name} v${m.dataset.version}` : "—"}</td>
              <td>{m.epochsTrained}</td>
              <td>{formatProportion(m.evaluation?.accuracy, m.evaluation?.objectCount)}</td>
              <td>{formatDate(m.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ids.length === 0 && <p className="muted">Tick models to compare them.</p>}
      {error && <p className="error">{error.message}</p>}
      {comparison && (
        <>
          <h2>Classification results ({comparison.split.toLowerCase()} split), as in the paper's Table 4</h2>
          <table className="data table4" data-testid="table4">
            <thead>
              <tr>
                <th rowSpan={2}>Model</th>
                {classOrder.map((c) => (
                  <th key={c} colSpan={4}>
                    {CLASS_LABELS[c]}
                  </th>
                ))}
                <th rowSpan={2}>Accuracy</th>
                <th rowSpan={2} title="test objects">
                  n
                </th>
              </tr>
              <tr>
                {classOrder.flatMap((c) => [
                  <th key={`${c}-p`}>P</th>,
                  <th key={`${c}-r`}>R</th>,
                  <th key={`${c}-f`}>F1</th>,
                  <th key={`${c}-n`} title="support: test objects of this class">
                    n
                  </th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {comparison.models.map((m, i) => {
                const evaluation = comparison.evaluations[i];
                return (
                  <tr key={m.id}>
                    <td>{m.name}</td>
                    {classOrder.flatMap((c) => {
                      const metric = evaluation?.perClass.find((p) => p.class === c);
                      return [
                        <td key={`${c}-p`}>{formatProportion(metric?.precision, metric?.support)}</td>,
                        <td key={`${c}-r`}>{formatProportion(metric?.recall, metric?.support)}</td>,
                        <td key={`${c}-f`}>{formatProportion(metric?.f1, metric?.support)}</td>,
                        <td key={`${c}-n`} className="muted">
                          {metric?.support ?? "—"}
                        </td>,
                      ];
                    })}
                    <td>{formatProportion(evaluation?.accuracy, evaluation?.objectCount)}</td>
                    <td className="muted">{evaluation?.objectCount ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h2>Size and speed, as in the paper's Table 5</h2>
          <table className="data" data-testid="table5">
            <thead>
              <tr>
                <th>Model</th>
                <th>Parameters</th>
                <th>Inference (ms / object)</th>
                <th>Backend</th>
                <th>Device</th>
              </tr>
            </thead>
            <tbody>
              {comparison.models.map((m, i) => (
                <tr key={m.id}>
                  <td>{m.name}</td>
                  <td>{m.parameterCount.toLocaleString()}</td>
                  <td>{formatNumber(comparison.evaluations[i]?.inferenceMsPerObject, 2)}</td>
                  <td>{comparison.evaluations[i]?.backend ?? m.backend ?? "—"}</td>
                  <td>{m.device ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Calibration</h2>
          <p className="muted">
            Does a probability of 0.9 mean 90 %? Bars: accuracy per bin of confidence with the model's temperature
            (fitted on the validation split, applied to stored predictions); circles: the raw probabilities; the dashed
            diagonal is perfect calibration. ECE: expected calibration error on the test split.
          </p>
          <div className="matrices" data-testid="calibration">
            {comparison.models.map((m, i) => {
              const evaluation = comparison.evaluations[i];
              if (!evaluation?.reliability) {
                return (
                  <p key={m.id} className="muted">
                    {m.name}: evaluate it again to measure its calibration.
                  </p>
                );
              }
              return (
                <ReliabilityDiagram
                  key={m.id}
                  testId={`reliability-${m.id}`}
                  title={`${m.name} (T = ${m.temperature?.toFixed(2) ?? "—"})`}
                  bins={evaluation.reliability}
                  uncalibrated={evaluation.reliabilityUncalibrated}
                  ece={evaluation.ece}
                  eceUncalibrated={evaluation.eceUncalibrated}
                />
              );
            })}
          </div>
          <h2>Confusion matrices</h2>
          <p className="muted">Rows: catalogue class; columns: prediction. Click a cell to list its objects.</p>
          <div className="matrices">
            {comparison.models.map((m, i) => {
              const evaluation = comparison.evaluations[i];
              if (!evaluation) return <p key={m.id}>{m.name}: not evaluated.</p>;
              return (
                <MatrixHeatmap
                  key={m.id}
                  testId={`matrix-${m.id}`}
                  title={m.name}
                  classes={classOrder}
                  matrix={evaluation.confusionMatrix}
                  onCellClick={(actual, predicted) => {
                    const query = new URLSearchParams({ model: m.id, class: actual, predicted });
                    if (m.dataset) {
                      query.set("dataset", m.dataset.id);
                      query.set("split", comparison.split);
                    }
                    router.push(`/objects?${query}`);
                  }}
                />
              );
            })}
          </div>
          {comparison.models.length > 1 && (
            <>
              <h3>Differences from {comparison.models[0]?.name}</h3>
              <div className="matrices">
                {comparison.models.slice(1).map((m, k) => {
                  const difference = comparison.confusionDifferences[k + 1];
                  return difference ? (
                    <MatrixHeatmap
                      key={m.id}
                      testId={`difference-${m.id}`}
                      title={`${m.name} − ${comparison.models[0]?.name}`}
                      classes={classOrder}
                      matrix={difference}
                      diverging
                    />
                  ) : (
                    <p key={m.id}>{m.name}: no difference (an evaluation is missing).</p>
                  );
                })}
              </div>
            </>
          )}
          <p className="muted small">
            Jobs that trained these models: <Link href="/jobs">Training</Link>.
          </p>
        </>
      )}
    </div>
  );
}
