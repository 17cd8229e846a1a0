import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { copyIn, type SqlClient } from "@macnet/db/sql";

/** PostgreSQL's binary COPY stream of (integer, bytea) rows, ord = 1-based position. */
export function binaryCopyRows(payloads: readonly Uint8Array[]): Generator<Buffer> {
  return binaryCopyTable(payloads.map((payload, index): CopyValue[] => [{ int4: index + 1 }, { bytea: payload }]));
}

/**
 * Puts `payloads` into the session's temporary table `ingest_payload (ord, data)` (ord = 1-based
 * position), by binary COPY when the server takes it, so large arrays reach PostgreSQL byte for byte
 * instead of hex-encoded parameters. Must run inside the batch's transaction; the table empties itself at commit.
 */
export async function stagePayloads(client: SqlClient, payloads: readonly Uint8Array[], copy: boolean): Promise<void> {
  await client.query(
    "CREATE TEMP TABLE IF NOT EXISTS ingest_payload (ord integer NOT NULL, data bytea NOT NULL) ON COMMIT DELETE ROWS",
  );
  await client.query("TRUNCATE ingest_payload");
  if (copy) {
    await pipeline(
      Readable.from(binaryCopyRows(payloads)),
      copyIn(client, "COPY ingest_payload (ord, data) FROM STDIN (FORMAT binary)"),
    );
    return;
  }
  // Without COPY (a server or pooler that cannot take COPY FROM STDIN): bytea array parameters.
  await client.query("INSERT INTO ingest_payload (ord, data) SELECT * FROM unnest($1::int[], $2::bytea[])", [
    payloads.map((_, index) => index + 1),
    payloads.map((payload) => Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)),
  ]);
}

/** Whether the server takes COPY FROM STDIN: PostgreSQL does; PGlite (served over a socket) does not. */
export async function supportsCopy(client: SqlClient): Promise<boolean> {
  const version = (await client.query<{ version: string }>("SELECT version()")).rows[0]?.version ?? "";
  return !version.includes("PGlite");
}

/** A value of a binary COPY row: int4, float8, text/enum label, bytea, or float8[]. */
export type CopyValue =
  | { int4: number }
  | { float8: number }
  | { text: string }
  | { bytea: Uint8Array }
  | { float8Array: number[] }
  | { null: true };

const FLOAT8_OID = 701;

function encodeValue(value: Exclude<CopyValue, { null: true }>): Buffer {
  if ("int4" in value) return int4(value.int4);
  if ("float8" in value) {
    const out = Buffer.alloc(8);
    out.writeDoubleBE(value.float8, 0);
    return out;
  }
  if ("text" in value) return Buffer.from(value.text, "utf8");
  if ("bytea" in value) return Buffer.from(value.bytea.buffer, value.bytea.byteOffset, value.bytea.byteLength);
  // One-dimensional float8 array: ndim, has-null flag, element type, then (length, lower bound) and the elements.
  const out = Buffer.alloc(20 + value.float8Array.length * 12);
  out.writeInt32BE(1, 0);
  out.writeInt32BE(0, 4);
  out.writeInt32BE(FLOAT8_OID, 8);
  out.writeInt32BE(value.float8Array.length, 12);
  out.writeInt32BE(1, 16);
  value.float8Array.forEach((element, index) => {
    out.writeInt32BE(8, 20 + index * 12);
    out.writeDoubleBE(element, 24 + index * 12);
  });
  return out;
}

function int4(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value, 0);
  return out;
}

/** Values at least this large are passed on as they are rather than copied into a chunk. */
const PASS_THROUGH_BYTES = 64 * 1024;
/**
 * Smaller pieces are gathered into chunks of about this size: every chunk is one write to the
 * server's socket, and on loopback each write costs ~0.1 ms of system time (it also delivers the
 * data to the backend), so 396 cutouts written as three pieces each took 135 ms to COPY.
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * PostgreSQL's binary COPY stream of arbitrary columns: signature, rows (field count, then each
 * field's length and bytes; −1 for NULL), trailer. Small fields and rows are gathered into chunks;
 * large values (strips) are yielded without copying.
 */
export function* binaryCopyTable(rows: Iterable<CopyValue[]>): Generator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  const add = (part: Buffer) => {
    parts.push(part);
    size += part.length;
  };
  function* gathered(): Generator<Buffer> {
    if (size === 0) return;
    yield parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
    parts = [];
    size = 0;
  }
  add(Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]));
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length, 0);
    add(count);
    for (const value of row) {
      if ("null" in value) {
        add(int4(-1));
        continue;
      }
      const encoded = encodeValue(value);
      add(int4(encoded.length));
      if (encoded.length < PASS_THROUGH_BYTES) {
        add(encoded);
        continue;
      }
      yield* gathered();
      yield encoded;
    }
    if (size >= CHUNK_BYTES) yield* gathered();
  }
  add(Buffer.from([0xff, 0xff]));
  yield* gathered();
}

/** COPYs rows straight into `table (columns)` in binary format (rows must not conflict with existing ones). */
export async function copyRows(
  client: SqlClient,
  table: string,
  columns: string[],
  rows: Iterable<CopyValue[]>,
): Promise<void> {
  await pipeline(
    Readable.from(binaryCopyTable(rows)),
    copyIn(client, `COPY ${table} (${columns.join(", ")}) FROM STDIN (FORMAT binary)`),
  );
}
