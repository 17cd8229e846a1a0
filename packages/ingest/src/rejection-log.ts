// Where a run's rejections go: streamed to its `ingest_rejection` rows in chunks as they come (a
// million bad rows never sit in one array), with the first few kept for the run's report.
import type { SqlConnection } from "@macnet/db/sql";
import type { Rejection } from "./records.ts";

/** Rejections listed in a run's report (the rest are counted there and stored with the run). */
export const REPORTED_REJECTIONS = 100;
/** Rejections written per INSERT. */
const CHUNK = 2000;

/** A run's rejections: the first REPORTED_REJECTIONS, the count, and the rows written to the database. */
export class RejectionLog {
  /** The first rejections, for the report. */
  readonly listed: Rejection[] = [];
  count = 0;
  private buffer: Rejection[] = [];

  constructor(
    private readonly client: SqlConnection,
    private readonly runId: number,
  ) {}

  /** Records rejections; written once a chunk is full (call `flush` between transactions). */
  add(rejections: Iterable<Rejection>): void {
    for (const rejection of rejections) {
      this.count++;
      if (this.listed.length < REPORTED_REJECTIONS) this.listed.push(rejection);
      this.buffer.push(rejection);
    }
  }

  /** Whether enough are waiting to be worth a write now. */
  get full(): boolean {
    return this.buffer.length >= CHUNK;
  }

  /** Writes every waiting rejection (outside any batch transaction: they are kept even if a batch fails). */
  async flush(): Promise<void> {
    while (this.buffer.length > 0) {
      const slice = this.buffer.splice(0, CHUNK);
      await this.client.query(
        "INSERT INTO ingest_rejection (run_id, file_path, field, reason) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])",
        [
          this.runId,
          slice.map((rejection) => rejection.file),
          slice.map((rejection) => rejection.field ?? null),
          slice.map((rejection) => rejection.reason),
        ],
      );
    }
  }
}
