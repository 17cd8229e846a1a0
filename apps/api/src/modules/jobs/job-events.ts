// Job changes as events: one LISTEN connection per server on the channel the workers NOTIFY
// (`macnet_job`), fanned out to subscriptions. Subscriptions also re-read the job every few seconds,
// so they keep working where notifications do not arrive (e.g. the embedded database).
import { newConnection, type SqlConnection } from "@macnet/db/sql";
import { NOTIFY_CHANNEL } from "@macnet/jobs";

export class JobEvents {
  private readonly waiters = new Map<number, Set<() => void>>();
  private client: SqlConnection | null = null;

  constructor(private readonly log: (line: string) => void) {}

  async start(databaseUrl: string): Promise<void> {
    const client = newConnection(databaseUrl);
    client.on("error", (error) => this.log(`job events: ${error.message} (subscriptions fall back to polling)`));
    client.on("notification", (message) => {
      try {
        const { id } = JSON.parse(message.payload ?? "{}") as { id?: number };
        if (typeof id === "number") this.wake(id);
      } catch {}
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      this.client = client;
    } catch (error) {
      this.log(`job events: LISTEN failed (${(error as Error).message}); subscriptions poll instead`);
      await client.end().catch(() => {});
    }
  }

  /** Resolves when job `id` changes, or after `timeoutMs`, whichever comes first. */
  next(id: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  private wake(id: number): void {
    for (const done of [...(this.waiters.get(id) ?? [])]) done();
  }

  async stop(): Promise<void> {
    for (const id of [...this.waiters.keys()]) this.wake(id);
    await this.client?.end().catch(() => {});
    this.client = null;
  }
}
