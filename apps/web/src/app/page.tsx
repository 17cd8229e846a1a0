"use client";
import Link from "next/link";
import { useQuery } from "urql";
import { JobTable } from "@/components/JobTable";
import { graphql } from "@/gql";
import { CLASS_COLORS, CLASS_LABELS, CLASSES, formatNumber, formatProportion } from "@/lib/astro";
import { useRefreshWhileActive } from "@/lib/refresh";

const OverviewQuery = graphql(`
  query Overview {
    objectStatistics {
      total
      bySourceAndClass {
        source
        catalogueClass
        count
      }
    }
    jobs(first: 8) {
      ...JobRow
    }
    models {
      id
      name
      architecture
      compact
      parameterCount
      createdAt
      evaluation {
        accuracy
        objectCount
        inferenceMsPerObject
      }
    }
  }
`);

export default function OverviewPage() {
  const [{ data, error }, refetch] = useQuery({ query: OverviewQuery, requestPolicy: "cache-and-network" });
  useRefreshWhileActive(data?.jobs, refetch);
  if (error) return <p className="error">{error.message}</p>;
  if (!data) return <p className="loading">Loading…</p>;
  const stats = data.objectStatistics;
  const sources = [...new Set(stats.bySourceAndClass.map((row) => row.source))];
  const count = (source: string | null, c: string | null) =>
    stats.bySourceAndClass
      .filter((row) => (source === null || row.source === source) && row.catalogueClass === c)
      .reduce((sum, row) => sum + row.count, 0);
  const best = new Map<string, (typeof data.models)[number]>();
  for (const model of data.models) {
    const current = best.get(model.architecture);
    if (model.evaluation && (!current?.evaluation || model.evaluation.accuracy > current.evaluation.accuracy))
      best.set(model.architecture, model);
  }
  const maxClass = Math.max(1, ...CLASSES.map((c) => count(null, c)));
  return (
    <div className="page">
      <h1>Overview</h1>
      <section className="cards">
        <div className="card">
          <span className="figure" data-testid="total-objects">
            {stats.total.toLocaleString()}
          </span>
          objects
        </div>
        {CLASSES.map((c) => (
          <div className="card" key={c}>
            <span className="figure" style={{ color: CLASS_COLORS[c] }}>
              {count(null, c).toLocaleString()}
            </span>
            {CLASS_LABELS[c]}
            <span className="minibar">
              <span style={{ width: `${(100 * count(null, c)) / maxClass}%`, background: CLASS_COLORS[c] }} />
            </span>
          </div>
        ))}
      </section>
      <section>
        <h2>Objects per source and catalogue class</h2>
        <table className="data" data-testid="class-source-table">
          <thead>
            <tr>
              <th>Source</th>
              {CLASSES.map((c) => (
                <th key={c}>{CLASS_LABELS[c]}</th>
              ))}
              <th>Unlabelled</th>
              <th>Total</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <tr key={source}>
                <td>
                  <Link href={`/objects?source=${encodeURIComponent(source)}`}>{source}</Link>
                </td>
                {CLASSES.map((c) => (
                  <td key={c}>{count(source, c)}</td>
                ))}
                <td>{count(source, null)}</td>
                <td>
                  {stats.bySourceAndClass.filter((r) => r.source === source).reduce((sum, r) => sum + r.count, 0)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Best model per architecture (test accuracy)</h2>
        {best.size === 0 ? (
          <p className="muted">No evaluated model yet.</p>
        ) : (
          <table className="data" data-testid="best-models">
            <thead>
              <tr>
                <th>Architecture</th>
                <th>Model</th>
                <th>Accuracy</th>
                <th>Parameters</th>
                <th>ms / object</th>
              </tr>
            </thead>
            <tbody>
              {[...best.values()].map((model) => (
                <tr key={model.id}>
                  <td>{model.architecture}</td>
                  <td>
                    <Link href={`/models?ids=${model.id}`}>{model.name}</Link>
                  </td>
                  <td>{formatProportion(model.evaluation?.accuracy, model.evaluation?.objectCount)}</td>
                  <td>{model.parameterCount.toLocaleString()}</td>
                  <td>{formatNumber(model.evaluation?.inferenceMsPerObject, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h2>Latest jobs</h2>
        <JobTable jobs={data.jobs} />
      </section>
    </div>
  );
}
