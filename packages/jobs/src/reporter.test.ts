import type { PrismaClient } from "@macnet/db";
import { describe, expect, it } from "vitest";
import { JobReporter } from "./reporter.ts";

/**
 * A database whose writes finish only when the test says so (a slow connection, made deterministic):
 * each progress UPDATE is recorded with the progress it carries.
 */
function slowDatabase() {
  const writes: { progress: number | null; finish: () => void }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const prisma = {
    $queryRaw: (strings: TemplateStringsArray, ...values: unknown[]) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const progress = strings.join("?").includes("progress =") ? (values[0] as number) : null;
      return new Promise((resolve) => {
        writes.push({
          progress,
          finish: () => {
            inFlight--;
            resolve([{ cancel_requested: false }]);
          },
        });
      });
    },
    $executeRaw: async () => 0, // the NOTIFY after a progress write
  } as unknown as PrismaClient;
  return { prisma, writes, mostInFlight: () => mostInFlight };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("job progress over a slow database", () => {
  it("keeps one write in flight and writes the latest progress next, never a queue of stale ones", async () => {
    const db = slowDatabase();
    const clock = { ms: 10_000 };
    const reporter = new JobReporter(db.prisma, 1, "w", {
      heartbeatMs: 60_000,
      progressIntervalMs: 1000,
      log: () => {},
      now: () => clock.ms,
    });
    // Batch 1 starts a write; the database is slow, so batches 2–50 arrive while it is in flight.
    for (let batch = 1; batch <= 50; batch++) {
      reporter.progress(batch / 100, { batch });
      clock.ms += 100;
      await settle();
    }
    expect(db.writes.map((w) => w.progress)).toEqual([0.01]);
    db.writes[0]?.finish();
    await settle();
    // The interval counts from when the write finished: the next batch's progress is the one written.
    reporter.progress(0.51, { batch: 51 });
    await settle();
    expect(db.writes.map((w) => w.progress)).toEqual([0.01]);
    clock.ms += 1000;
    reporter.progress(0.52, { batch: 52 });
    await settle();
    expect(db.writes.map((w) => w.progress)).toEqual([0.01, 0.52]);
    // Closing writes the latest progress still waiting, after the write in flight.
    reporter.progress(0.6, { batch: 60 });
    const closed = reporter.close();
    db.writes[1]?.finish();
    await settle();
    await settle();
    expect(db.writes.map((w) => w.progress)).toEqual([0.01, 0.52, 0.6]);
    db.writes[2]?.finish();
    await closed;
    expect(db.mostInFlight()).toBe(1);
  });
});
