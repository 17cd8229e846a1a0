"use client";
// Keyboard review of a label audit's suspects (issue #33): one object at a time with its strips,
// cutout and the models' probabilities; 1/2/3 say what the object is (GALAXY/QSO/STAR: the catalogue's
// class records "catalogue right", another class "catalogue wrong → that class"), u "unsure", n/→ and
// p/← move without judging. The queue skips what the viewer has judged; verdicts never overwrite.
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useCallback, useEffect, useRef, useState } from "react";
import { useClient } from "urql";
import { ClassButtons, describeVerdict, useReviewLabel, VerdictList } from "@/components/LabelVerdicts";
import { ClassBadge } from "@/components/ProbabilityBars";
import { useViewer } from "@/components/Shell";
import { TriageBody } from "@/components/TriageBody";
import { graphql } from "@/gql";
import type { ObjectClass, ReviewQueueQuery, Verdict } from "@/gql/graphql";
import { useAudits } from "../triage/AuditView";

const ReviewQueueDoc = graphql(`
  query ReviewQueue($auditId: ID!, $afterRank: Int, $limit: Int) {
    reviewQueue(auditId: $auditId, afterRank: $afterRank, limit: $limit) {
      ...AuditEntryFields
      object {
        id
        redshift
        verdicts(limit: 20) {
          ...VerdictFields
        }
      }
    }
  }
`);

type Entry = ReviewQueueQuery["reviewQueue"][number];
type VerdictRow = Entry["object"]["verdicts"][number];

const KEY_CLASSES: Record<string, ObjectClass> = { "1": "GALAXY", "2": "QSO", "3": "STAR" };
/** Entries read per queue request; the next are read when fewer than LOOKAHEAD remain ahead. */
const BATCH = 20;
const LOOKAHEAD = 5;

function Review() {
  const params = useSearchParams();
  const router = useRouter();
  const client = useClient();
  const { viewer } = useViewer();
  const audits = useAudits();
  const auditId = params.get("audit") ?? audits.latest;
  const [entries, setEntries] = useState<Entry[]>([]);
  const [index, setIndex] = useState(0);
  const [exhausted, setExhausted] = useState(false);
  const [loading, setLoading] = useState(false);
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [judged, setJudged] = useState<Record<number, VerdictRow[]>>({});
  const record = useReviewLabel();
  const commentRef = useRef<HTMLInputElement>(null);
  const canReview = viewer?.role === "ADMIN" || viewer?.role === "SCIENTIST";

  const loadMore = useCallback(
    async (after: number, reset: boolean) => {
      if (!auditId) return;
      setLoading(true);
      const result = await client
        .query(ReviewQueueDoc, { auditId, afterRank: after, limit: BATCH }, { requestPolicy: "network-only" })
        .toPromise();
      setLoading(false);
      if (result.error) {
        setMessage(result.error.message);
        return;
      }
      const more = result.data?.reviewQueue ?? [];
      setExhausted(more.length < BATCH);
      setEntries((old) => (reset ? more : [...old, ...more]));
    },
    [auditId, client],
  );

  useEffect(() => {
    setEntries([]);
    setIndex(0);
    setJudged({});
    setExhausted(false);
    void loadMore(0, true);
  }, [loadMore]);

  const current = entries[index];
  useEffect(() => {
    const last = entries.at(-1);
    if (!loading && !exhausted && last && entries.length - index <= LOOKAHEAD) void loadMore(last.rank, false);
  }, [entries, index, loading, exhausted, loadMore]);

  const judge = useCallback(
    async (verdict: Verdict, cls?: ObjectClass) => {
      if (!current || !canReview || !auditId) return;
      const result = await record(current.object.id, verdict, cls, { comment, auditId });
      if ("error" in result) {
        setMessage(result.error);
        return;
      }
      const stored = result.verdict;
      setJudged((old) => ({ ...old, [current.rank]: [stored, ...(old[current.rank] ?? [])] }));
      setMessage(`#${current.rank}: ${describeVerdict({ verdict, correctedClass: cls })} recorded`);
      setComment("");
      setIndex((i) => Math.min(i + 1, entries.length));
    },
    [current, canReview, auditId, record, comment, entries.length],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Typing a comment (or in any field) is not a command.
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) {
        if (event.key === "Escape") target.blur();
        return;
      }
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const cls = KEY_CLASSES[event.key];
      if (cls && current) {
        event.preventDefault();
        void judge(cls === current.catalogueClass ? "CATALOGUE_RIGHT" : "CATALOGUE_WRONG", cls);
      } else if (event.key === "u") {
        event.preventDefault();
        void judge("UNSURE");
      } else if (event.key === "n" || event.key === "ArrowRight") {
        event.preventDefault();
        setIndex((i) => Math.min(i + 1, entries.length));
      } else if (event.key === "p" || event.key === "ArrowLeft") {
        event.preventDefault();
        setIndex((i) => Math.max(i - 1, 0));
      } else if (event.key === "c") {
        event.preventDefault();
        commentRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, judge, entries.length]);

  if (audits.count === 0) {
    return (
      <p className="muted" data-testid="no-audits">
        No label audit to review yet: run <code>npx macnet audit --model ID</code>.
      </p>
    );
  }
  const verdicts = current ? [...(judged[current.rank] ?? []), ...current.object.verdicts] : [];
  return (
    <>
      <h1>Review labels</h1>
      <label>
        Audit{" "}
        <select name="audit" value={auditId ?? ""} onChange={(e) => router.replace(`/review?audit=${e.target.value}`)}>
          {audits.list.map((a) => (
            <option key={a.id} value={a.id}>
              #{a.id}: {a.dataset ? `${a.dataset.name} v${a.dataset.version}` : "a deleted dataset"}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" data-testid="review-keys">
        Keys: <kbd>1</kbd> galaxy · <kbd>2</kbd> QSO · <kbd>3</kbd> star (the catalogue's class records “catalogue
        right”) · <kbd>u</kbd> unsure · <kbd>n</kbd>/<kbd>→</kbd> next · <kbd>p</kbd>/<kbd>←</kbd> previous ·{" "}
        <kbd>c</kbd> comment. Objects you judged before are skipped; a new verdict never replaces an old one.
      </p>
      {!canReview && (
        <p className="muted" data-testid="review-read-only">
          You are {viewer?.role}: you can read verdicts; SCIENTISTs and ADMINs record them.
        </p>
      )}
      {message && (
        <p data-testid="review-message" className="muted">
          {message}
        </p>
      )}
      {!current ? (
        <p data-testid="review-done">
          {loading ? "Loading…" : "Nothing left to judge in this audit."}{" "}
          {index > 0 && (
            <button type="button" onClick={() => setIndex(index - 1)}>
              ← Previous
            </button>
          )}
        </p>
      ) : (
        <section className="review-card" data-testid="review-card" data-rank={current.rank}>
          <div className="triage-head">
            <span className="muted">#{current.rank}</span>
            <Link href={`/objects/${current.object.id}`}>
              {current.object.designation ?? current.object.obsid ?? `#${current.object.id}`}
            </Link>
            catalogue <ClassBadge value={current.catalogueClass} /> suggested{" "}
            <ClassBadge value={current.suggestedClass} />
            <span className="muted">
              p(catalogue) {current.pCatalogue.toFixed(3)}
              {current.object.redshift != null && ` · z = ${current.object.redshift.toFixed(3)}`}
            </span>
          </div>
          <TriageBody object={current.object} probabilities={current} />
          {canReview && (
            <div className="review-actions">
              <ClassButtons
                catalogue={current.catalogueClass}
                numbered
                onJudge={(verdict, cls) => void judge(verdict, cls)}
              />
              <input
                ref={commentRef}
                name="comment"
                placeholder="comment (c), optional"
                maxLength={2000}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            </div>
          )}
          <h3>Verdicts</h3>
          <VerdictList verdicts={verdicts} />
          <div className="pager">
            <button type="button" disabled={index === 0} onClick={() => setIndex(index - 1)}>
              ← Previous
            </button>
            <span className="muted">
              {index + 1} of {entries.length}
              {exhausted ? "" : "+"} in this session's queue
            </span>
            <button type="button" onClick={() => setIndex(index + 1)}>
              Next →
            </button>
          </div>
        </section>
      )}
    </>
  );
}

export default function ReviewPage() {
  return (
    <Suspense fallback={<p className="loading">Loading…</p>}>
      <Review />
    </Suspense>
  );
}
