// The counts the cost estimate needs for lists that take no size argument (models, datasets, API
// keys, label audits, epochs of a job, Grad-CAM maps of an object): read in one statement, at most every `maxAgeMs`, shared by
// every operation in between. Each count has a floor so that a row created since the last read is
// still covered by the estimate.

import { Prisma } from "@macnet/db";
import type { DataSizedList, ListSizes } from "./limits.ts";
import type { SqlPool } from "./sql-pool.ts";

/** Floor of every count: rows created since the last read. */
const FLOOR = 20;

export class ListSizeCache {
  private current: { sizes: ListSizes; readAt: number } | undefined;
  private reading: Promise<ListSizes> | undefined;

  constructor(
    private readonly sql: SqlPool,
    private readonly maxAgeMs = 2000,
  ) {}

  async sizes(): Promise<ListSizes> {
    if (this.current && performance.now() - this.current.readAt < this.maxAgeMs) return this.current.sizes;
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async read(): Promise<ListSizes> {
    const [row] = await this.sql.query<Record<DataSizedList, number>>(Prisma.sql`
      SELECT (SELECT count(*) FROM trained_model)::int AS "models",
             (SELECT count(*) FROM dataset)::int AS "datasets",
             (SELECT count(*) FROM api_key)::int AS "apiKeys",
             (SELECT count(*) FROM label_audit)::int AS "labelAudits",
             (SELECT coalesce(max(epoch), 0) + 1 FROM job_epoch)::int AS "epochsPerJob",
             (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM activation_map GROUP BY object_id) m)::int
               AS "mapsPerObject"`);
    const floor = (n: number | undefined) => Math.max(FLOOR, n ?? 0);
    const sizes: ListSizes = {
      models: floor(row?.models),
      datasets: floor(row?.datasets),
      apiKeys: floor(row?.apiKeys),
      labelAudits: floor(row?.labelAudits),
      epochsPerJob: floor(row?.epochsPerJob),
      mapsPerObject: floor(row?.mapsPerObject),
    };
    this.current = { sizes, readAt: performance.now() };
    return sizes;
  }
}
