import Link from "next/link";
import { formatDate } from "@/lib/astro";

export interface JobRow {
  id: string;
  kind: string;
  status: string;
  progress: number;
  queuedAt: string;
  finishedAt?: string | null;
  launchedBy?: string | null;
  params: unknown;
}

/** What a job works on, from its parameters (architecture and dataset, model, …). */
export function jobSubject(params: unknown): string {
  const p = (params ?? {}) as Record<string, unknown>;
  const parts = [
    p.arch ? String(p.arch) : null,
    p.compact ? "compact" : null,
    p.datasetId ? `dataset ${p.datasetId}` : null,
    p.modelId ? `model ${p.modelId}` : null,
    p.epochs ? `${p.epochs} epochs` : null,
  ];
  return parts.filter(Boolean).join(", ");
}

export function JobTable({ jobs }: { jobs: JobRow[] }) {
  if (jobs.length === 0) return <p className="muted">No jobs yet.</p>;
  return (
    <table className="data" data-testid="job-table">
      <thead>
        <tr>
          <th>Job</th>
          <th>Kind</th>
          <th>What</th>
          <th>Status</th>
          <th>Progress</th>
          <th>Queued</th>
          <th>By</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.id}>
            <td>
              <Link href={`/jobs/${job.id}`}>#{job.id}</Link>
            </td>
            <td>{job.kind.toLowerCase()}</td>
            <td>{jobSubject(job.params)}</td>
            <td>
              <span className={`status ${job.status.toLowerCase()}`}>{job.status.toLowerCase()}</span>
            </td>
            <td>
              <progress max={1} value={job.progress} /> {(job.progress * 100).toFixed(0)}%
            </td>
            <td>{formatDate(job.queuedAt)}</td>
            <td>{job.launchedBy ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
