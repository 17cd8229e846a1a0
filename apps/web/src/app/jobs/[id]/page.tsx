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
import { type ClassMetricRow, MetricsTable } from "@/components/MetricsTable";
import { useIsAdmin } from "@/components/Shell";
import { graphql } from "@/gql";
import type { JobPageQuery } from "@/gql/graphql";
import { CLASS_LABELS, type ClassName, formatDate, formatDuration, formatNumber, formatProportion } from "@/lib/astro";

const JobQuery = graphql(`
  query JobPage($id: ID!) {
    job(id: $id) {
      ...JobLive
      result
      models {
        id
        name
        parameterCount
        warnings
        evaluation {
          ...EvaluationFields
          objectCount
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
/** Kinds that train: their page shows epochs and loss curves; the others show what they produced. */
const TRAINING_KINDS = new Set(["TRAIN", "SWEEP"]);

interface MetricsResult {
  accuracy: number;
  classOrder: string[];
  confusionMatrix: number[][];
  perClass: Record<string, Omit<ClassMetricRow, "class">>;
}

const metricRows = (metrics: MetricsResult): ClassMetricRow[] =>
  metrics.classOrder.map((c) => ({ class: c, ...(metrics.perClass[c] as Omit<ClassMetricRow, "class">) }));

const totalOf = (metrics: MetricsResult) => metrics.confusionMatrix.flat().reduce((a, b) => a + b, 0);

/** What an evaluation, classification or Grad-CAM job produced, from its stored result. */
function JobOutcome(props: { kind: string; result: unknown }) {
  const r = (props.result ?? {}) as Record<string, unknown>;
  if (props.kind === "EVALUATE" && typeof r.accuracy === "number") {
    const metrics = r as unknown as MetricsResult & {
      split: string;
      objects: number;
      inferenceMsPerObject: number;
      modelId: number;
    };
    return (
      <section data-testid="job-outcome">
        <h2>
          Evaluation of <Link href={`/models?ids=${metrics.modelId}`}>model #{metrics.modelId}</Link> on the{" "}
          {metrics.split.toLowerCase()} split
        </h2>
        <p>
          {metrics.objects.toLocaleString()} objects, {formatNumber(metrics.inferenceMsPerObject, 2)} ms per object.
        </p>
        <div className="outcome">
          <MetricsTable
            rows={metricRows(metrics)}
            accuracy={metrics.accuracy}
            total={totalOf(metrics)}
            testId="job-metrics"
          />
          <MatrixHeatmap
            title={`Confusion matrix (${metrics.split.toLowerCase()} split)`}
            classes={metrics.classOrder as ClassName[]}
            matrix={metrics.confusionMatrix}
          />
        </div>
      </section>
    );
  }
  if (props.kind === "CLASSIFY" && typeof r.stored === "number") {
    const c = r as {
      modelId: number;
      datasetId: number;
      objects: number;
      stored: number;
      predictedCounts: Record<string, number>;
      metrics: MetricsResult;
      skipped: Record<string, number>;
    };
    const skipped = Object.entries(c.skipped ?? {}).filter(([, n]) => n > 0);
    return (
      <section data-testid="job-outcome">
        <h2>Classification of dataset #{c.datasetId}</h2>
        <p>
          {c.stored.toLocaleString()} predictions stored for {c.objects.toLocaleString()} objects:{" "}
          {Object.entries(c.predictedCounts)
            .map(([cls, n]) => `${n.toLocaleString()} ${CLASS_LABELS[cls as ClassName] ?? cls}`)
            .join(", ")}
          . <Link href={`/objects?model=${c.modelId}&dataset=${c.datasetId}`}>Browse them</Link> ·{" "}
          <Link href={`/triage?model=${c.modelId}`}>disagreements with the catalogue</Link>
        </p>
        {skipped.length > 0 && <p className="muted">Skipped: {skipped.map(([why, n]) => `${n} ${why}`).join(", ")}.</p>}
        {totalOf(c.metrics) > 0 && (
          <div className="outcome">
            <MetricsTable
              rows={metricRows(c.metrics)}
              accuracy={c.metrics.accuracy}
              total={totalOf(c.metrics)}
              testId="job-metrics"
            />
            <MatrixHeatmap
              title="Against the catalogue's classes"
              classes={c.metrics.classOrder as ClassName[]}
              matrix={c.metrics.confusionMatrix}
            />
          </div>
        )}
      </section>
    );
  }
  if (props.kind === "GRADCAM" && Array.isArray(r.maps)) {
    const maps = r.maps as { objectId: number; target: string; targetClass: string; shape: number[] }[];
    const objects = [...new Set(maps.map((m) => m.objectId))];
    return (
      <section data-testid="job-outcome">
        <h2>Grad-CAM maps of model #{String(r.modelId)}</h2>
        <ul>
          {objects.map((objectId) => (
            <li key={objectId}>
              <Link href={`/objects/${objectId}`}>object #{objectId}</Link>:{" "}
              {maps
                .filter((m) => m.objectId === objectId)
                .map((m) => `${m.target.toLowerCase()} (${m.targetClass.toLowerCase()}, ${m.shape.join("×")})`)
                .join(", ")}
            </li>
          ))}
        </ul>
      </section>
    );
  }
  return null;
}
type JobData = NonNullable<JobPageQuery["job"]>;

function detailText(detail: unknown): string {
  const d = (detail ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (d.phase) parts.push(String(d.phase));
  if (d.run && d.runs) parts.push(`run ${d.run}/${d.runs}`);
  if (d.epoch) parts.push(`epoch ${d.epoch}${d.epochs ? `/${d.epochs}` : ""}`);
  if (d.batch) parts.push(`batch ${d.batch}${d.batches ? `/${d.batches}` : ""}`);
  if (typeof d.loss === "number") parts.push(`loss ${d.loss.toFixed(4)}`);
  // From the measured epoch times (the trainer's estimate); early stopping may end the run sooner.
  if (typeof d.etaS === "number") parts.push(`at most ${formatDuration(d.etaS)} left`);
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
      {!TRAINING_KINDS.has(job.kind) &&
        (job.status === "SUCCEEDED" ? (
          <JobOutcome kind={job.kind} result={data.job?.result} />
        ) : (
          !FINISHED.has(job.status) && <p className="muted">What this job produces appears here when it finishes.</p>
        ))}
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
      {TRAINING_KINDS.has(job.kind) && (
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
      )}
      {models.map((m) => (
        <section key={m.id} data-testid="job-model">
          <h2>
            Model <Link href={`/models?ids=${m.id}`}>{m.name}</Link>{" "}
            <span className="muted">({m.parameterCount.toLocaleString()} parameters)</span>
          </h2>
          {m.warnings.map((warning) => (
            <p key={warning} className="error" data-testid="model-warning">
              ⚠ {warning}
            </p>
          ))}
          {m.evaluation ? (
            <>
              <p>
                Test accuracy{" "}
                <strong data-testid="job-accuracy">
                  {formatProportion(m.evaluation.accuracy, m.evaluation.objectCount)}
                </strong>{" "}
                <span className="muted">({m.evaluation.objectCount.toLocaleString()} objects)</span>
              </p>
              <MetricsTable
                rows={m.evaluation.perClass}
                accuracy={m.evaluation.accuracy}
                total={m.evaluation.objectCount}
              />
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
