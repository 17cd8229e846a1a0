/** A one-line terminal progress bar on stderr (items, rate, ETA); silent when stderr is not a TTY. */
export class ProgressBar {
  private readonly startedAt = performance.now();
  private lastDrawAt = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly label: string,
    private readonly unit: string,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY);
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  /** Redraws at most ten times a second, and always at the end. */
  update(done: number, total: number, label = this.label): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (done < total && now - this.lastDrawAt < 100) return;
    this.lastDrawAt = now;
    const elapsedS = (now - this.startedAt) / 1000;
    const rate = done / Math.max(elapsedS, 1e-3);
    const etaS = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    const width = 28;
    const filled = Math.round((width * done) / Math.max(total, 1));
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const eta = Number.isFinite(etaS) ? `ETA ${formatDuration(etaS)}` : "";
    this.stream.write(`\r${label.padEnd(10)} ${bar} ${done}/${total} ${this.unit} ${rate.toFixed(1)}/s ${eta}\x1b[K`);
    if (done >= total) this.stream.write("\n");
  }
}

function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s` : `${whole}s`;
}
