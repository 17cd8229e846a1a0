"use client";
import { useEffect } from "react";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

/**
 * Re-runs a query every `intervalMs` while any of `jobs` is queued or running, so job lists follow
 * live progress without a subscription per row (a job's own page subscribes).
 */
export function useRefreshWhileActive(
  jobs: { status: string }[] | undefined,
  refetch: (opts: { requestPolicy: "network-only" }) => void,
  intervalMs = 2000,
) {
  const active = jobs?.some((job) => ACTIVE.has(job.status)) ?? false;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), intervalMs);
    return () => clearInterval(timer);
  }, [active, refetch, intervalMs]);
}
