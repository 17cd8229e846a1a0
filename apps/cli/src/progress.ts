import { formatDuration } from "@macnet/core";

/** Seconds between two plain progress lines when stderr is not a terminal. */
const PLAIN_INTERVAL_MS = 5000;

/**
 * Progress of a long step on stderr: a one-line bar (items, rate, ETA) redrawn in place on a
 * terminal; elsewhere (a log file, CI) nothing, or — with `plain` — a plain line at most every
 * 5 seconds and one at the end, so output sent to a file still shows that work goes on.
 */
export class ProgressBar {
  private readonly startedAt = performance.now();
  private lastDrawAt = 0;
  private readonly mode: "bar" | "plain" | "off";

  constructor(
    private readonly label: string,
    private readonly unit: string,
    options: { plain?: boolean; stream?: NodeJS.WriteStream } = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.mode = this.stream.isTTY ? "bar" : options.plain ? "plain" : "off";
    this.lastDrawAt = this.mode === "plain" ? this.startedAt : 0;
  }

  private readonly stream: NodeJS.WriteStream;

  /**
   * Redraws at most ten times a second (plain: every 5 s), and always at the end. `etaS`, when the
   * work measures its own (a training run from its epoch times), replaces the ETA from this bar's rate.
   */
  update(done: number, total: number, label = this.label, etaS?: number): void {
    if (this.mode === "off") return;
    const now = performance.now();
    const interval = this.mode === "bar" ? 100 : PLAIN_INTERVAL_MS;
    if (done < total && now - this.lastDrawAt < interval) return;
    this.lastDrawAt = now;
    const elapsedS = (now - this.startedAt) / 1000;
    const rate = done / Math.max(elapsedS, 1e-3);
    const left = etaS ?? (rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY);
    const eta = Number.isFinite(left) && done < total ? `ETA ${formatDuration(left)}` : "";
    if (this.mode === "plain") {
      const state = done >= total ? `done in ${formatDuration(elapsedS)}` : `${rate.toFixed(1)}/s ${eta}`;
      this.stream.write(`${label}: ${done}/${total} ${this.unit}, ${state}\n`);
      return;
    }
    const width = 28;
    const filled = Math.round((width * done) / Math.max(total, 1));
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    this.stream.write(`\r${label.padEnd(10)} ${bar} ${done}/${total} ${this.unit} ${rate.toFixed(1)}/s ${eta}\x1b[K`);
    if (done >= total) this.stream.write("\n");
  }
}

export { formatDuration };
