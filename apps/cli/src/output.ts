import { CommanderError } from "commander";
import { ZodError } from "zod";

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
    process.exitCode = error.exitCode;
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
  process.exitCode = 1;
}

/** Domain errors (MacnetError, SurveyError, …) and system errors carry a string `code`; validation errors are ZodErrors. */
function isExpected(error: unknown): boolean {
  return (
    error instanceof ZodError || (error instanceof Error && typeof (error as { code?: unknown }).code === "string")
  );
}
