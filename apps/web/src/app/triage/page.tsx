"use client";
// Disagreement triage: objects a model classifies differently from the catalogue, the most
// confident first, each with its strips, cutout and probabilities inline for a quick look; or a
// stored label audit (`macnet audit`): objects ranked by how strongly models contradict their label.
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { useQuery } from "urql";
import { QuickVerdict } from "@/components/LabelVerdicts";
import { Pager, useCursorPages } from "@/components/Pager";
import { ClassBadge } from "@/components/ProbabilityBars";
import { TriageBody } from "@/components/TriageBody";
import { graphql } from "@/gql";
import { formatTotal } from "@/lib/astro";
import { AuditView, useAudits } from "./AuditView";

const TriageModelsQuery = graphql(`
  query TriageModels {
    models {
      id
      name
      dataset {
        id
      }
      evaluation {
        accuracy
      }
    }
  }
`);

const DisagreementsQuery = graphql(`
  query Disagreements($modelId: ID!, $datasetId: ID, $first: Int, $after: String) {
    objects(filter: { modelId: $modelId, disagreement: true }, first: $first, after: $after) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          designation
          obsid
          catalogueClass
          redshift
          split(datasetId: $datasetId)
          ...TriageMedia
          predictions(modelId: $modelId) {
            predictedClass
            confidence
            probGalaxy
            probQso
            probStar
          }
        }
      }
    }
  }
`);

/** The model with the best test accuracy (the newest among equals), else the newest model. */
function defaultModel<T extends { id: string; evaluation?: { accuracy: number } | null }>(models: T[]): T | undefined {
  const newestFirst = [...models].sort((a, b) => Number(b.id) - Number(a.id));
  const evaluated = newestFirst.filter((m) => m.evaluation);
  return evaluated.sort((a, b) => (b.evaluation?.accuracy ?? 0) - (a.evaluation?.accuracy ?? 0))[0] ?? newestFirst[0];
}

export default function TriagePage() {
  const params = useSearchParams();
  const audits = useAudits();
  const auditId = params.get("audit");
  return (
    <div className="page">
      <h1>Disagreements with the catalogue</h1>
      <nav className="tabs" aria-label="What to triage">
        <Link href="/triage" className={auditId ? "" : "active"}>
          A model's disagreements
        </Link>
        <Link
          href={audits.latest ? `/triage?audit=${audits.latest}` : "/triage?audit="}
          className={auditId !== null ? "active" : ""}
          data-testid="audit-tab"
        >
          Label audits ({audits.count ?? "…"})
        </Link>
      </nav>
      {auditId !== null ? (
        <AuditView auditId={auditId || audits.latest || ""} audits={audits} />
      ) : (
        <ModelDisagreements />
      )}
    </div>
  );
}

function ModelDisagreements() {
  const router = useRouter();
  const chosen = useSearchParams().get("model") ?? "";
  const pages = useCursorPages();
  const [{ data: models }] = useQuery({ query: TriageModelsQuery });
  const fallback = useMemo(() => defaultModel(models?.models ?? []), [models]);
  const modelId = chosen || fallback?.id || "";
  const datasetId = models?.models.find((m) => m.id === modelId)?.dataset?.id ?? null;
  const [{ data, error }] = useQuery({
    query: DisagreementsQuery,
    variables: { modelId, datasetId, first: 10, after: pages.after },
    pause: !modelId || !models,
  });
  const page = data?.objects;
  return (
    <>
      <label>
        Model{" "}
        <select
          name="model"
          value={modelId}
          onChange={(e) => {
            pages.reset();
            router.replace(e.target.value ? `/triage?model=${e.target.value}` : "/triage");
          }}
        >
          {!modelId && <option value="">no models yet</option>}
          {models?.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} (#{m.id})
            </option>
          ))}
        </select>
      </label>{" "}
      {!chosen && fallback && (
        <span className="muted" data-testid="default-model">
          {fallback.evaluation ? "the best evaluated model" : "the newest model"}
        </span>
      )}
      {models && models.models.length === 0 && (
        <p className="muted">
          No model has been trained yet: train one on the Training page, then classify its dataset.
        </p>
      )}
      {error && <p className="error">{error.message}</p>}
      {page && (
        <p className="muted" data-testid="disagreement-count">
          {formatTotal(page.totalCount, page.totalCountExact)} objects where the model disagrees, most confident first.
        </p>
      )}
      <ol className="triage" start={(pages.number - 1) * 10 + 1}>
        {page?.edges.map(({ node }) => {
          const p = node.predictions[0];
          return (
            <li key={node.id} className="triage-item">
              <div className="triage-head">
                <Link href={`/objects/${node.id}`}>{node.designation ?? node.obsid ?? `#${node.id}`}</Link>
                catalogue <ClassBadge value={node.catalogueClass} /> model <ClassBadge value={p?.predictedClass} />
                {p && <span className="muted">confidence {p.confidence.toFixed(3)}</span>}
                <span className={`split ${node.split ? node.split.toLowerCase() : "none"}`} data-testid="triage-split">
                  {node.split
                    ? `${{ TRAIN: "training", VAL: "validation", TEST: "test" }[node.split]} split`
                    : "not in the model's dataset"}
                </span>
                <QuickVerdict objectId={node.id} catalogueClass={node.catalogueClass} />
              </div>
              <TriageBody object={node} probabilities={p} />
            </li>
          );
        })}
      </ol>
      {page && <Pager pages={pages} pageInfo={page.pageInfo} />}
    </>
  );
}
