// The platform's one error model: a closed set of codes, each with one HTTP status and one CLI exit
// code. GraphQL answers carry the code itself (`extensions.code`, or a `UserError`'s `code`) and the
// field it concerns; /scs, /export and the API's HTTP layer answer the status; `macnet` exits with
// the exit code. Whatever the way in — GraphQL, HTTP tables, the CLI — the same check throws the
// same MacnetError, and each front end maps it through this table only (docs/api.md, "Errors").

/** Exit status of a command called wrong (a usage error, a value that does not fit). */
export const EXIT_USAGE = 2;

export const ERROR_CODES = {
  // The caller's input: a value that does not fit its field (named in `field`).
  BAD_USER_INPUT: { http: 400, exit: EXIT_USAGE },
  PATH_NOT_FOUND: { http: 404, exit: EXIT_USAGE },
  METHOD_NOT_ALLOWED: { http: 405, exit: EXIT_USAGE },
  PAYLOAD_TOO_LARGE: { http: 413, exit: EXIT_USAGE },
  // GraphQL's own refusals (Apollo Server's codes), before anything runs.
  GRAPHQL_PARSE_FAILED: { http: 400, exit: EXIT_USAGE },
  GRAPHQL_VALIDATION_FAILED: { http: 400, exit: EXIT_USAGE },
  OPERATION_RESOLUTION_FAILURE: { http: 400, exit: EXIT_USAGE },
  BAD_REQUEST: { http: 400, exit: EXIT_USAGE },
  // Operation limits (apps/api/src/limits.ts, operation-gate.ts).
  QUERY_TOO_DEEP: { http: 400, exit: EXIT_USAGE },
  TOO_MANY_ALIASES: { http: 400, exit: EXIT_USAGE },
  QUERY_TOO_COSTLY: { http: 400, exit: EXIT_USAGE },
  RESPONSE_TOO_LARGE: { http: 400, exit: EXIT_USAGE },
  TOO_MANY_OPERATIONS: { http: 429, exit: 1 },
  TOO_MANY_REQUESTS: { http: 429, exit: 1 },
  SERVER_BUSY: { http: 503, exit: 1 },
  // Who is asking.
  UNAUTHENTICATED: { http: 401, exit: 1 },
  FORBIDDEN: { http: 403, exit: 1 },
  LOGIN_FAILED: { http: 401, exit: 1 },
  TOO_MANY_ATTEMPTS: { http: 429, exit: 1 },
  // What was named does not exist, or is in a state that refuses the action.
  DATASET_NOT_FOUND: { http: 404, exit: 1 },
  MODEL_NOT_FOUND: { http: 404, exit: 1 },
  USER_NOT_FOUND: { http: 404, exit: 1 },
  JOB_NOT_FOUND: { http: 404, exit: 1 },
  API_KEY_NOT_FOUND: { http: 404, exit: 1 },
  OBJECT_NOT_FOUND: { http: 404, exit: 1 },
  AUDIT_NOT_FOUND: { http: 404, exit: 1 },
  USER_EXISTS: { http: 409, exit: 1 },
  JOB_FINISHED: { http: 409, exit: 1 },
  DATASET_EMPTY: { http: 422, exit: 1 },
  NO_GRADCAM_TARGET: { http: 422, exit: 1 },
  CANCELLED: { http: 409, exit: 1 },
  OBJECT_NOT_IN_DATASET: { http: 422, exit: 1 },
  WINDOW_MISMATCH: { http: 422, exit: 1 },
  SERVER_REQUIRED: { http: 400, exit: 1 },
  // The platform's own state: database, migrations, the embedded server.
  DATABASE_UNAVAILABLE: { http: 503, exit: 1 },
  DATABASE_NOT_MIGRATED: { http: 503, exit: 1 },
  MIGRATIONS_NOT_FOUND: { http: 500, exit: 1 },
  MIGRATION_INVALID: { http: 500, exit: 1 },
  MIGRATION_ERROR: { http: 500, exit: 1 },
  MIGRATION_CHECKSUM_MISMATCH: { http: 500, exit: 1 },
  MIGRATION_FAILED: { http: 500, exit: 1 },
  QUEUE_MIGRATION_FAILED: { http: 500, exit: 1 },
  EMBEDDED_START: { http: 503, exit: 1 },
  EMBEDDED_USER: { http: 503, exit: 1 },
  EMBEDDED_INITDB: { http: 503, exit: 1 },
  EMBEDDED_RUNNING: { http: 503, exit: 1 },
  EMBEDDED_DATA_DIR: { http: 503, exit: 1 },
  EMBEDDED_PASSWORD: { http: 503, exit: 1 },
  EMBEDDED_LEGACY_PGLITE: { http: 503, exit: 1 },
  EMBEDDED_UNAVAILABLE: { http: 503, exit: 1 },
  EMBEDDED_STOPPED: { http: 503, exit: 1 },
  INTERNAL_SERVER_ERROR: { http: 500, exit: 1 },
} as const satisfies Record<string, { http: number; exit: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `code` is one of the platform's codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/** An expected failure the user can act on: shown as one line, never with a stack trace. */
export class MacnetError extends Error {
  constructor(
    message: string,
    /** One of ERROR_CODES. */
    readonly code: ErrorCode,
    /** The input field, argument, parameter or option the failure concerns. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "MacnetError";
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

/** A value that does not fit its field (BAD_USER_INPUT, naming the field). */
export function badInput(message: string, field?: string): MacnetError {
  return new MacnetError(message, "BAD_USER_INPUT", field);
}
