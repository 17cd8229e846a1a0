"use client";
// A stored label audit (`macnet audit`): a dataset's labelled objects ranked by how strongly models
// contradict their catalogue class, with how the audit scored against a truth file when one was
// ingested (simulated surveys).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useQuery } from "urql";
import { ClassBadge } from "@/components/ProbabilityBars";
import { TriageBody } from "@/components/TriageBody";
import { graphql } from "@/gql";
import type { LabelAuditsQuery } from "@/gql/graphql";

const PAGE = 10;

const LabelAuditsQueryDoc = graphql(`
  query LabelAudits {
    labelAudits {
      id
      folds
      objects
      contradicted
      inSample
      createdAt
      dataset {
        id
        name
        version
      }
      models {
        id
        name
        architecture
      }
      truth {
        withTruth
        planted
        atTop {
          k
          found
          recall
          precision
        }
        atTwicePlanted {
          k
          found
          recall
          precision
        }
      }
    }
  }
`);

const LabelAuditEntriesQuery = graphql(`
  query LabelAuditEntries($id: ID!, $offset: Int, $limit: Int, $onlyContradicted: Boolean) {
    labelAudit(id: $id) {
      id
      entries(offset: $offset, limit: $limit, onlyContradicted: $onlyContradicted) {
        ...AuditEntryFields
      }
    }
  }
`);

type Audit = LabelAuditsQuery["labelAudits"][number];

/** The stored audits, newest first. */
export function useAudits() {
  const [{ data }] = useQuery({ query: LabelAuditsQueryDoc });
  const list = data?.labelAudits ?? [];
  return { list, latest: list[0]?.id ?? null, count: data ? list.length : null };
}

const percent = (value: number) => `${(100 * value).toFixed(1)} %`;

function describe(audit: Audit): string {
  const models = audit.models.map((m) => `#${m.id} ${m.architecture}`).join(", ");
  const dataset = audit.dataset ? `${audit.dataset.name} v${audit.dataset.version}` : "a deleted dataset";
  return `#${audit.id}: ${dataset}, ${models || "deleted models"}, ${audit.folds > 0 ? `${audit.folds}-fold cross-fitted` : "as trained"}`;
}

export function AuditView(props: { auditId: string; audits: ReturnType<typeof useAudits> }) {
  const router = useRouter();
  const [offset, setOffset] = useState(0);
  const [onlyContradicted, setOnlyContradicted] = useState(false);
  const audit = props.audits.list.find((a) => a.id === props.auditId);
  const [{ data, error }] = useQuery({
    query: LabelAuditEntriesQuery,
    variables: { id: props.auditId, offset, limit: PAGE, onlyContradicted },
    pause: !props.auditId,
  });
  if (props.audits.count === 0) {
    return (
      <p className="muted" data-testid="no-audits">
        No label audit yet: run <code>npx macnet audit --model ID</code> (cross-fitted over 5 folds by default).
      </p>
    );
  }
  const entries = data?.labelAudit?.entries ?? [];
  const models = audit?.models.length ?? 1;
  return (
    <>
      <label>
        Audit{" "}
        <select
          name="audit"
          value={props.auditId}
          onChange={(e) => {
            setOffset(0);
            router.replace(`/triage?audit=${e.target.value}`);
          }}
        >
          {props.audits.list.map((a) => (
            <option key={a.id} value={a.id}>
              {describe(a)}
            </option>
          ))}
        </select>
      </label>{" "}
      <label>
        <input
          type="checkbox"
          checked={onlyContradicted}
          onChange={(e) => {
            setOffset(0);
            setOnlyContradicted(e.target.checked);
          }}
        />{" "}
        only contradicted
      </label>
      {audit && (
        <Link href={`/review?audit=${audit.id}`} data-testid="review-link">
          Review these labels with the keyboard →
        </Link>
      )}
      {audit && (
        <p className="muted" data-testid="audit-summary">
          {audit.objects} labelled objects ranked by the models' mean probability of their catalogue class, lowest
          first; {audit.contradicted} contradicted
          {audit.folds > 0
            ? `, each scored by models that never trained on it (${audit.folds} folds).`
            : `; ${audit.inSample} were in a model's training split (marked "seen in training").`}
        </p>
      )}
      {audit?.truth && (
        <p data-testid="audit-truth">
          Against the ingested truth file: {audit.truth.planted} wrong catalogue labels among {audit.truth.withTruth}{" "}
          objects; the first {audit.truth.atTwicePlanted.k} (2 × planted) hold {audit.truth.atTwicePlanted.found}{" "}
          (recall {percent(audit.truth.atTwicePlanted.recall)}, precision{" "}
          {percent(audit.truth.atTwicePlanted.precision)}); the first {audit.truth.atTop.k} hold{" "}
          {audit.truth.atTop.found}.
        </p>
      )}
      {error && <p className="error">{error.message}</p>}
      {/* Ranks are shown with each entry (the contradicted-only view skips some): no list numbers too. */}
      <ol className="triage ranked">
        {entries.map((e) => (
          <li key={e.rank} className="triage-item" data-testid="audit-entry">
            <div className="triage-head">
              <span className="muted">#{e.rank}</span>
              <Link href={`/objects/${e.object.id}`}>
                {e.object.designation ?? e.object.obsid ?? `#${e.object.id}`}
              </Link>
              catalogue <ClassBadge value={e.catalogueClass} /> suggested <ClassBadge value={e.suggestedClass} />
              <span className="muted">
                p(catalogue) {e.pCatalogue.toFixed(3)} · {e.votes}/{models} model{models > 1 ? "s" : ""} disagree
              </span>
              {e.inSample && <span className="split train">seen in training</span>}
            </div>
            <TriageBody object={e.object} probabilities={e} />
          </li>
        ))}
      </ol>
      <div className="pager">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ← Previous
        </button>
        <button type="button" disabled={entries.length < PAGE} onClick={() => setOffset(offset + PAGE)}>
          Next →
        </button>
      </div>
    </>
  );
}
