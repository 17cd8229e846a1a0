// How long each phase of a first start took (simulate, ingest, train, dashboard build), printed at
// the end so a slow first start says where its minutes went.

/** Seconds per named phase, in the order first started (phases may overlap); a phase timed twice adds up. */
export class PhaseTimer {
  private readonly seconds = new Map<string, number>();
  private readonly startedMs = performance.now();

  /** Runs `work`, adding its duration to `phase`. */
  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    if (!this.seconds.has(phase)) this.seconds.set(phase, 0);
    try {
      return await work();
    } finally {
      this.seconds.set(phase, (this.seconds.get(phase) ?? 0) + (performance.now() - started) / 1000);
    }
  }

  /** One line: each phase and the whole time since this timer was made. */
  summary(): string {
    const parts = [...this.seconds].map(([phase, s]) => `${phase} ${formatSeconds(s)}`);
    const total = (performance.now() - this.startedMs) / 1000;
    return `first start took ${formatSeconds(total)}: ${parts.join(", ")}`;
  }
}

function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)} min ${whole % 60} s` : `${whole} s`;
}
