"use client";
// An object's verdicts on its catalogue class (issue #33), newest first, and for SCIENTISTs and
// ADMINs a way to add one: the class it really is (the catalogue's records "catalogue right"),
// unsure, an optional comment. Verdicts are never overwritten.
import { OBJECT_CLASSES } from "@macnet/core";
import { useCallback, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useViewer } from "@/components/Shell";
import { graphql } from "@/gql";
import type { ObjectClass, Verdict, VerdictFieldsFragment } from "@/gql/graphql";

const ReviewLabelDoc = graphql(`
  mutation ReviewLabel($input: ReviewLabelInput!) {
    reviewLabel(input: $input) {
      verdict {
        ...VerdictFields
      }
      error {
        field
        message
      }
    }
  }
`);

const ObjectVerdictsQuery = graphql(`
  query ObjectVerdicts($id: ID!) {
    object(id: $id) {
      id
      verdicts(limit: 50) {
        ...VerdictFields
      }
    }
  }
`);

/**
 * Records a verdict: the class the object is (with CATALOGUE_WRONG), an optional comment and audit;
 * resolves to the stored verdict or the error to show (the API's UserError, or the request's).
 */
export function useReviewLabel() {
  const [, review] = useMutation(ReviewLabelDoc);
  // Stable across renders, as the mutation is: the Review page's key handler depends on it.
  return useCallback(
    async (
      objectId: string,
      verdict: Verdict,
      cls: ObjectClass | undefined,
      extra: { comment?: string; auditId?: string } = {},
    ): Promise<{ verdict: VerdictFieldsFragment } | { error: string }> => {
      const result = await review({
        input: {
          objectId,
          verdict,
          correctedClass: verdict === "CATALOGUE_WRONG" ? cls : null,
          comment: extra.comment?.trim() || null,
          auditId: extra.auditId ?? null,
        },
      });
      const error = result.error?.message ?? result.data?.reviewLabel.error?.message;
      const stored = result.data?.reviewLabel.verdict;
      return error || !stored ? { error: error ?? "the verdict was not stored" } : { verdict: stored };
    },
    [review],
  );
}

export function describeVerdict(v: { verdict: Verdict; correctedClass?: ObjectClass | null }): string {
  if (v.verdict === "CATALOGUE_RIGHT") return "catalogue right";
  if (v.verdict === "UNSURE") return "unsure";
  return `catalogue wrong → ${v.correctedClass}`;
}

/** The verdict buttons: the class the object is (its catalogue class records "catalogue right"), or unsure. */
export function ClassButtons(props: {
  catalogue: ObjectClass;
  onJudge: (verdict: Verdict, cls?: ObjectClass) => void;
  /** With the keys of the Review page (1/2/3, u). */
  numbered?: boolean;
  small?: boolean;
}) {
  const className = props.small ? "small" : undefined;
  return (
    <>
      {OBJECT_CLASSES.map((cls, i) => (
        <button
          key={cls}
          type="button"
          className={className}
          title={cls === props.catalogue ? "catalogue right" : `catalogue wrong → ${cls}`}
          onClick={() => props.onJudge(cls === props.catalogue ? "CATALOGUE_RIGHT" : "CATALOGUE_WRONG", cls)}
        >
          {props.numbered ? `${i + 1} ` : ""}
          {cls}
          {!props.small && cls === props.catalogue ? " (catalogue right)" : ""}
        </button>
      ))}
      <button type="button" className={className} onClick={() => props.onJudge("UNSURE")}>
        {props.numbered ? "u " : ""}unsure
      </button>
    </>
  );
}

export function VerdictList(props: { verdicts: ReadonlyArray<VerdictFieldsFragment> }) {
  if (props.verdicts.length === 0) return <p className="muted">No verdicts yet.</p>;
  return (
    <ul data-testid="review-verdicts">
      {props.verdicts.map((v) => (
        <li key={v.id}>
          {v.reviewer} ({v.reviewerRole}): {describeVerdict(v)}
          {v.comment ? ` — “${v.comment}”` : ""}{" "}
          <span className="muted">{new Date(String(v.createdAt)).toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}

/** The object page's panel: the verdicts, and the buttons to add one. */
export function LabelVerdicts(props: { objectId: string; catalogueClass: ObjectClass | null | undefined }) {
  const { viewer } = useViewer();
  const [{ data }, refetch] = useQuery({ query: ObjectVerdictsQuery, variables: { id: props.objectId } });
  const record = useReviewLabel();
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const canReview = viewer?.role === "ADMIN" || viewer?.role === "SCIENTIST";
  const catalogue = props.catalogueClass;
  const judge = async (verdict: Verdict, cls?: ObjectClass) => {
    const result = await record(props.objectId, verdict, cls, { comment });
    setMessage("error" in result ? result.error : `${describeVerdict({ verdict, correctedClass: cls })} recorded`);
    if (!("error" in result)) {
      setComment("");
      refetch({ requestPolicy: "network-only" });
    }
  };

  return (
    <section data-testid="label-verdicts">
      <h2>Label review</h2>
      <VerdictList verdicts={data?.object?.verdicts ?? []} />
      {canReview && catalogue && (
        <div className="review-actions">
          <span>This object is</span>
          <ClassButtons catalogue={catalogue} onJudge={(verdict, cls) => void judge(verdict, cls)} />
          <input
            name="comment"
            placeholder="comment, optional"
            maxLength={2000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </div>
      )}
      {message && (
        <p className="muted" data-testid="verdict-message">
          {message}
        </p>
      )}
    </section>
  );
}

/** A triage item's one-click verdict (reviewers only): what the object is, or unsure; the history is on its page. */
export function QuickVerdict(props: { objectId: string; catalogueClass: ObjectClass | null | undefined }) {
  const { viewer } = useViewer();
  const record = useReviewLabel();
  const [said, setSaid] = useState<string | null>(null);
  const catalogue = props.catalogueClass;
  if (!(viewer?.role === "ADMIN" || viewer?.role === "SCIENTIST") || !catalogue) return null;
  const judge = async (verdict: Verdict, cls?: ObjectClass) => {
    const result = await record(props.objectId, verdict, cls);
    setSaid("error" in result ? result.error : `${describeVerdict({ verdict, correctedClass: cls })} recorded`);
  };

  return (
    <span className="quick-verdict" data-testid="quick-verdict">
      <span className="muted">it is</span>
      <ClassButtons catalogue={catalogue} small onJudge={(verdict, cls) => void judge(verdict, cls)} />
      {said && <span className="muted">{said}</span>}
    </span>
  );
}
