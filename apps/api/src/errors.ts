// How failures reach clients: expected ones as `UserError` values in results, the rest as
// GraphQLErrors with `extensions.code` and `extensions.field`. Every code is one of the platform's
// (@macnet/db ERROR_CODES), with its HTTP status from the same table.
import { badInput, ERROR_CODES, type ErrorCode, MacnetError } from "@macnet/db";
import { GraphQLError } from "graphql";
import { ZodError } from "zod";
import type { Context, Viewer } from "./context.ts";

export { badInput };

/**
 * A GraphQLError refusing an operation before it runs, with its code, field and the code's HTTP
 * status (the pipeline's limits and checks, the admission gate, authentication).
 */
export function refusal(code: ErrorCode, message: string, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...(field ? { field } : {}), http: { status: ERROR_CODES[code].http } },
  });
}

export function unauthenticated(): GraphQLError {
  return refusal(
    "UNAUTHENTICATED",
    "Not signed in: use the login mutation, or send an API key as 'Authorization: Bearer <key>'",
  );
}

/** The caller, or UNAUTHENTICATED. */
export function requireViewer(context: Context): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

/** The caller if an admin, or FORBIDDEN naming what was refused. The service layer calls this first. */
export function requireAdmin(context: Context, action: string): Viewer {
  const viewer = requireViewer(context);
  if (viewer.role !== "ADMIN") {
    throw new GraphQLError(`Only an ADMIN may ${action} (you are ${viewer.role})`, {
      extensions: { code: "FORBIDDEN" satisfies ErrorCode },
    });
  }
  return viewer;
}

export interface UserErrorValue {
  field: string | null;
  message: string;
  code: string;
}

/** A validation failure's message (every issue, with its path) and the field of its first issue. */
export function zodProblem(error: ZodError): { field: string | null; message: string } {
  return {
    field: error.issues[0]?.path.join(".") || null,
    message: error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
  };
}

/** An expected failure as a `UserError` value; anything else is rethrown. */
export function asUserError(error: unknown, fieldOf: (code: string) => string | null = () => null): UserErrorValue {
  if (error instanceof MacnetError)
    return { field: error.field ?? fieldOf(error.code), message: error.message, code: error.code };
  if (error instanceof ZodError) return { ...zodProblem(error), code: "BAD_USER_INPUT" };
  throw error;
}

/** A numeric id from an `ID` argument, or BAD_USER_INPUT naming the argument. */
export function parseId(value: string | number, field: string): number {
  const text = String(value);
  if (!/^\d{1,9}$/.test(text)) throw badInput(`${field} must be a numeric id (got "${text.slice(0, 40)}")`, field);
  return Number(text);
}
