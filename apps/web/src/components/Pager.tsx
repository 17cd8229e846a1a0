"use client";
// Cursor pagination for a connection: the stack of `after` cursors that led to the shown page, and
// the Previous / Next buttons that walk it.
import { useCallback, useState } from "react";

export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    /** The `after` argument of the shown page. */
    after: cursors.at(-1) ?? null,
    /** 1 for the first page. */
    number: cursors.length,
    reset: useCallback(() => setCursors([null]), []),
    previous: () => setCursors(cursors.slice(0, -1)),
    next: (endCursor: string | null) => {
      if (endCursor) setCursors([...cursors, endCursor]);
    },
  };
}

export function Pager(props: {
  pages: ReturnType<typeof useCursorPages>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  showNumber?: boolean;
}) {
  const { pages, pageInfo } = props;
  return (
    <div className="pager">
      <button type="button" disabled={pages.number <= 1} onClick={pages.previous}>
        ← Previous
      </button>
      {props.showNumber && <span>page {pages.number}</span>}
      <button type="button" disabled={!pageInfo?.hasNextPage} onClick={() => pages.next(pageInfo?.endCursor ?? null)}>
        Next →
      </button>
    </div>
  );
}
