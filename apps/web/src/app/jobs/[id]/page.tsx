"use client";
// One job: status and live progress over the jobProgress subscription (the query is re-run when
// the subscription ends), loss/accuracy curves per epoch, cancel for admins, the evaluation when done.
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useEffect, useMemo } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { jobSubject } from "@/components/JobTable";
import { LinePlot } from "@/components/LinePlot";
import { MatrixHeatmap } from "@/components/Matrix";
import { useIsAdmin } from "@/components/Shell";
import { graphql } from "@/gql";
import type { JobPageQuery } from "@/gql/graphql";
import { type ClassName, formatDate, formatNumber } from "@/lib/astro";

const JobQuery = graphql(`
  query JobPage($id: ID!) {
    job(id: $id) {
      ...JobLive
      models {
        id
        name
        parameterCount
        evaluation {
          ...EvaluationFields
        }
      }
    }
  }
`);

const ProgressSubscription = graphql(`
  subscription JobProgress($id: ID!) {
    jobProgress(id: $id) {
      ...JobLive
    }
  }
`);

const CancelMutation = graphql(`
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) {
      job {
        id
        status
        cancelRequested
      }
      error {
        message
      }
    }
  }
`);

const EvaluateMutation = graphql(`
  mutation LaunchEvaluation($input: LaunchEvaluationInput!) {
    launchEvaluation(input: $input) {
      job {
        id
      }
      error {
        message
      }
    }
  }
`);

const FINISHED = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
type JobData = NonNullable<JobPageQuery["job"]>;

function detailText(detail: unknown): string {
  const d = (detail ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (d.phase) parts.push(String(d.phase));
  if (d.run && d.runs) parts.push(`run ${d.run}/${d.runs}`);
  if (d.epoch) parts.push(`epoch ${d.epoch}${d.epochs ? `/${d.epochs}` : ""}`);
  if (d.batch) parts.push(`batch ${d.batch}${d.batches ? `/${d.batches}` : ""}`);
  if (typeof d.loss === "number") parts.push(`loss ${d.loss.toFixed(4)}`);
  return parts.join(" · ");
}

export default function JobPage() {
  const { id } = useParams<{ id: string }>();
  const admin = useIsAdmin();
  const [{ data, error }, refetch] = useQuery({ query: JobQuery, variables: { id } });
  const finished = data?.job ? FINISHED.has(data.job.status) : false;
  const [{ data: live }] = useSubscription({
    query: ProgressSubscription,
    variables: { id },
    pause: !data || finished,
  });
  const [{ fetching: cancelling }, cancel] = useMutation(CancelMutation);
  const [{ fetching: evaluating }, evaluate] = useMutation(EvaluateMutation);
  const router = useRouter();
  const job: (JobData & { models?: JobData["models"] }) | null | undefined = useMemo(
    () => (live?.jobProgress ? { ...(data?.job as JobData), ...live.jobProgress } : data?.job),
    [live, data],
  );
  const liveStatus = live?.jobProgress.status;
  useEffect(() => {
    if (liveStatus && FINISHED.has(liveStatus)) refetch({ requestPolicy: "network-only" });
  }, [liveStatus, refetch]);
  const curves = useMemo(() => {
    const epochs = job?.epochs ?? [];
    return {
      x: epochs.map((e) => e.epoch),
      loss: [
        { label: "training loss", values: epochs.map((e) => e.loss), color: "#0072B2" },
        { label: "validation loss", values: epochs.map((e) => e.valLoss ?? null), color: "#D55E00", dash: [6, 3] },
      ],
      accuracy: [
        { label: "training accuracy", values: epochs.map((e) => e.accuracy), color: "#0072B2" },
        {
          label: "validation accuracy",
          values: epochs.map((e) => e.valAccuracy ?? null),
          color: "#D55E00",
          dash: [6, 3],
        },
      ],
    };
  }, [job?.epochs]);

  if (error) return <p className="error">{error.message}</p>;
  if (!data) return <p className="loading">Loading…</p>;
  if (!job) return <p className="error">No job {id}.</p>;
  const models = data.job?.models ?? [];
  return (
    <div className="page">
      <p className="crumbs">
        <Link href="/jobs">Training</Link> / job #{job.id}
      </p>
      <h1>
        Job #{job.id}: {job.kind.toLowerCase()}{" "}
        <span className={`status ${job.status.toLowerCase()}`} data-testid="job-status">
          {job.status.toLowerCase()}
        </span>
      </h1>
      <p>{jobSubject(job.params)}</p>
      <div className="progress-line">
        <progress max={1} value={job.progress} data-testid="job-progress" /> {(job.progress * 100).toFixed(0)}%{" "}
        <span className="muted" data-testid="job-detail">
          {FINISHED.has(job.status) ? "" : detailText(job.progressDetail)}
        </span>
      </div>
      {admin && !FINISHED.has(job.status) && (
        <button
          type="button"
          className="danger"
          disabled={cancelling || job.cancelRequested}
          onClick={() => cancel({ id: job.id })}
        >
          {job.cancelRequested ? "Cancelling…" : "Cancel job"}
        </button>
      )}
      {job.error && (
        <p className="error" data-testid="job-error">
          {job.error}
        </p>
      )}
      <dl className="facts">
        <dt>launched by</dt>
        <dd>{job.launchedBy ?? "—"}</dd>
        <dt>queued</dt>
        <dd>{formatDate(job.queuedAt)}</dd>
        <dt>started</dt>
        <dd>{formatDate(job.startedAt)}</dd>
        <dt>finished</dt>
        <dd>{formatDate(job.finishedAt)}</dd>
        <dt>backend</dt>
        <dd>
          {job.backend ?? "—"} {job.device ? `on ${job.device}` : ""}
        </dd>
        <dt>attempts</dt>
        <dd>{job.attempts}</dd>
      </dl>
      {curves.x.length > 0 && (
        <div className="curves">
          <LinePlot
            x={curves.x}
            series={curves.loss}
            xLabel="epoch"
            integerX
            yLabel="loss"
            height={240}
            testId="loss-curve"
          />
          <LinePlot
            x={curves.x}
            series={curves.accuracy}
            xLabel="epoch"
            integerX
            yLabel="accuracy"
            height={240}
            testId="accuracy-curve"
          />
        </div>
      )}
      <table className="data" data-testid="epoch-table">
        <thead>
          <tr>
            <th>Epoch</th>
            <th>Loss</th>
            <th>Accuracy</th>
            <th>Val. loss</th>
            <th>Val. accuracy</th>
            <th>Seconds</th>
          </tr>
        </thead>
        <tbody>
          {job.epochs.map((e) => (
            <tr key={e.epoch}>
              <td>{e.epoch}</td>
              <td>{formatNumber(e.loss, 4)}</td>
              <td>{formatNumber(e.accuracy)}</td>
              <td>{formatNumber(e.valLoss, 4)}</td>
              <td>{formatNumber(e.valAccuracy)}</td>
              <td>{formatNumber(e.durationMs / 1000, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {models.map((m) => (
        <section key={m.id} data-testid="job-model">
          <h2>
            Model <Link href={`/models?ids=${m.id}`}>{m.name}</Link>{" "}
            <span className="muted">({m.parameterCount.toLocaleString()} parameters)</span>
          </h2>
          {m.evaluation ? (
            <>
              <p>
                Test accuracy <strong data-testid="job-accuracy">{formatNumber(m.evaluation.accuracy)}</strong>
              </p>
              <MatrixHeatmap
                title="Confusion matrix (test split)"
                classes={m.evaluation.classOrder as ClassName[]}
                matrix={m.evaluation.confusionMatrix}
              />
            </>
          ) : (
            <p className="muted">
              Not evaluated yet.{" "}
              {admin && (
                <button
                  type="button"
                  disabled={evaluating}
                  onClick={async () => {
                    const result = await evaluate({ input: { modelId: m.id, split: "TEST" } });
                    const queued = result.data?.launchEvaluation.job;
                    if (queued) router.push(`/jobs/${queued.id}`);
                  }}
                >
                  Evaluate on the test split
                </button>
              )}
            </p>
          )}
        </section>
      ))}
    </div>
  );
}
