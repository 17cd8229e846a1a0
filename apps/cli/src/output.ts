import { ERROR_CODES, EXIT_USAGE, isErrorCode } from "@macnet/db";
import type { EpochRecord } from "@macnet/model";
import { CommanderError } from "commander";
import { ZodError } from "zod";
import type { CliEnv } from "./env.ts";

/** Prints a command's summary as one JSON line, the last line of stdout. */
export function printJson(summary: unknown): void {
  process.stdout.write(
    `${JSON.stringify(summary, (_key, value) => (typeof value === "bigint" ? value.toString() : value))}\n`,
  );
}

/** Prints a human-readable line to stdout. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Reports a failure as one line on stderr and sets a non-zero exit code. */
export function reportError(error: unknown, debug: boolean): void {
  if (error instanceof CommanderError) {
    // commander printed the message (as `macnet: error: …`); help and --version exit 0, usage errors 2.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  const message =
    error instanceof ZodError
      ? error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ")
      : error instanceof Error
        ? error.message
        : String(error);
  const oneLine = message.replace(/\s*\n\s*/g, " ").trim();
  const tag = isExpected(error) ? "" : " (unexpected; MACNET_DEBUG=1 shows the stack)";
  process.stderr.write(`macnet: error: ${oneLine}${debug ? "" : tag}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = exitCodeOf(error);
}

/**
 * The exit status of a failure: its code's, from the platform's one error table (a value that does
 * not fit exits 2, like a usage error); 2 for a validation error; 1 for anything else.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ZodError) return EXIT_USAGE;
  const code = (error as { code?: unknown } | null)?.code;
  return isErrorCode(code) ? ERROR_CODES[code].exit : 1;
}

/** Domain errors (MacnetError, SurveyError, …) and system errors carry a string `code`; validation errors are ZodErrors. */
function isExpected(error: unknown): boolean {
  return (
    error instanceof ZodError || (error instanceof Error && typeof (error as { code?: unknown }).code === "string")
  );
}

/** One training epoch as a line: loss and accuracy, validation figures when there is a validation split, duration. */
export function formatEpoch(e: EpochRecord): string {
  const val =
    e.valLoss === null ? "" : ` · val loss ${e.valLoss.toFixed(4)} acc ${(e.valAccuracy as number).toFixed(3)}`;
  return `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} acc ${e.accuracy.toFixed(3)}${val} · ${(e.durationMs / 1000).toFixed(1)} s`;
}

/** The job-worker settings from the environment, shared by `macnet worker` and `macnet start`. */
export function workerSettings(config: CliEnv) {
  return {
    home: config.home,
    artifactsDir: config.artifactsDir,
    concurrency: config.worker.concurrency,
    leaseSeconds: config.worker.leaseSeconds,
    heartbeatSeconds: config.worker.heartbeatSeconds,
    progressIntervalMs: config.worker.progressIntervalMs,
  };
}
