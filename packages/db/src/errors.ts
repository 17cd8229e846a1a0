/** An expected failure the user can act on: shown as one line, never with a stack trace. */
export class MacnetError extends Error {
  constructor(
    message: string,
    /** Machine-readable code, e.g. MIGRATION_CHECKSUM_MISMATCH. */
    readonly code: string,
  ) {
    super(message);
    this.name = "MacnetError";
  }
}
