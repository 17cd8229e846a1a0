"use client";
// Disagreement triage: objects a model classifies differently from the catalogue, the most
// confident first, each with its strips, cutout and probabilities inline for a quick look.
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { useQuery } from "urql";
import { CutoutView } from "@/components/CutoutView";
import { Pager, useCursorPages } from "@/components/Pager";
import { ClassBadge, ProbabilityBars } from "@/components/ProbabilityBars";
import { StripCanvas } from "@/components/StripCanvas";
import { graphql } from "@/gql";
import type { StripFieldsFragment } from "@/gql/graphql";
import { decodeFloat32 } from "@/lib/astro";

const TriageModelsQuery = graphql(`
  query TriageModels {
    models {
      id
      name
    }
  }
`);

const DisagreementsQuery = graphql(`
  query Disagreements($modelId: ID!, $first: Int, $after: String) {
    objects(filter: { modelId: $modelId, disagreement: true }, first: $first, after: $after) {
      totalCount
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
          strips {
            ...StripFields
          }
          cutout {
            dataUrl
            widthPx
            heightPx
          }
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

function SmallStrip({ strip }: { strip: StripFieldsFragment }) {
  const values = useMemo(() => decodeFloat32(strip.valuesBase64), [strip]);
  const [range, setRange] = useState<[number, number]>([0, strip.lengthPx]);
  return (
    <StripCanvas
      values={values}
      rows={strip.widthPx}
      cols={strip.lengthPx}
      wavelength={strip.wavelengthAngstrom}
      range={range}
      onRange={setRange}
      height={44}
    />
  );
}

export default function TriagePage() {
  const router = useRouter();
  const modelId = useSearchParams().get("model") ?? "";
  const pages = useCursorPages();
  const [{ data: models }] = useQuery({ query: TriageModelsQuery });
  const [{ data, error }] = useQuery({
    query: DisagreementsQuery,
    variables: { modelId, first: 10, after: pages.after },
    pause: !modelId,
  });
  const page = data?.objects;
  return (
    <div className="page">
      <h1>Disagreements with the catalogue</h1>
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
          <option value="">choose…</option>
          {models?.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} (#{m.id})
            </option>
          ))}
        </select>
      </label>
      {error && <p className="error">{error.message}</p>}
      {page && (
        <p className="muted" data-testid="disagreement-count">
          {page.totalCount} objects where the model disagrees, most confident first.
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
              </div>
              <div className="triage-body">
                {node.cutout && (
                  <CutoutView
                    dataUrl={node.cutout.dataUrl}
                    width={node.cutout.widthPx}
                    height={node.cutout.heightPx}
                    size={96}
                  />
                )}
                <div className="triage-strips">
                  {node.strips.map((s) => (
                    <SmallStrip key={s.arm} strip={s} />
                  ))}
                </div>
                {p && <ProbabilityBars probGalaxy={p.probGalaxy} probQso={p.probQso} probStar={p.probStar} />}
              </div>
            </li>
          );
        })}
      </ol>
      {page && <Pager pages={pages} pageInfo={page.pageInfo} />}
    </div>
  );
}
