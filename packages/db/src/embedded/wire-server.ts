import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite database to many clients over the PostgreSQL wire protocol.
 *
 * PGlite has a single backend session, so every connection shares it. To make that safe for pools
 * (Prisma, graphile-worker, `pg`), this server:
 * - runs a connection's messages as whole units — a simple Query, or an extended-protocol sequence
 *   up to its Sync — so another connection never lands between a Parse/Bind and its Execute
 *   (that destroyed unnamed portals: "portal \"\" does not exist");
 * - keeps the session with one connection while it is inside a transaction (ReadyForQuery 'T'/'E');
 * - gives every connection its own namespace for named prepared statements and portals, so two
 *   connections preparing "complete_job" do not collide ("prepared statement already exists"),
 *   and deallocates them when the connection closes;
 * - rolls back a transaction left open by a connection that went away.
 * pglite-socket's queue scheduled single messages and shared statement names, which broke under
 * graphile-worker's prepared statements and concurrent extended-protocol queries.
 */
export class WireServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  /** The connection holding the session (mid-unit or inside a transaction), if any. */
  private owner: Connection | undefined;
  private readonly waiting: Connection[] = [];
  private nextId = 1;

  constructor(private readonly db: PGlite) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens on host:port (0 = any free port) and returns the port. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        if (address === null || typeof address !== "object") throw new Error("embedded server has no address");
        resolve(address.port);
      });
    });
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Let close handlers roll back and deallocate before the database closes.
    while (this.owner || this.connections.size > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection = new Connection(this.nextId++, socket);
    this.connections.add(connection);
    socket.on("data", (chunk) => {
      connection.receive(chunk);
      this.schedule(connection);
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      connection.closed = true;
      this.schedule(connection);
    });
  }

  /** Runs `connection`'s ready units when the session is free or already its own. */
  private schedule(connection: Connection): void {
    if (!connection.hasWork() || connection.running) return;
    if (this.owner && this.owner !== connection) {
      if (!this.waiting.includes(connection)) this.waiting.push(connection);
      return;
    }
    const index = this.waiting.indexOf(connection);
    if (index >= 0) this.waiting.splice(index, 1);
    this.owner = connection;
    void this.drain(connection);
  }

  private async drain(connection: Connection): Promise<void> {
    connection.running = true;
    try {
      let unit = connection.nextUnit();
      while (unit) {
        for (const message of unit.messages) await this.execute(connection, message);
        unit = connection.nextUnit();
      }
      if (connection.closed) await this.cleanUp(connection);
    } catch (error) {
      connection.socket.destroy(error instanceof Error ? error : undefined);
      await this.cleanUp(connection);
    } finally {
      connection.running = false;
    }
    // Mid extended sequence (no Sync yet) or inside a transaction: the session stays with it.
    if (!connection.closed && (connection.pendingUnit() || connection.transactionStatus !== "I")) return;
    this.owner = undefined;
    while (!this.owner && this.waiting.length > 0) {
      const next = this.waiting.shift();
      if (next) this.schedule(next);
    }
  }

  private async execute(connection: Connection, message: Uint8Array): Promise<void> {
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(connection.rename(message), {
        onRawData: (data) => {
          connection.observeOutput(data);
          if (!connection.closed && data.length > 0) connection.socket.write(Buffer.from(data));
        },
      }),
    );
  }

  private async cleanUp(connection: Connection): Promise<void> {
    if (connection.cleaned) return;
    connection.cleaned = true;
    this.connections.delete(connection);
    // PGlite's exec takes its own lock (the one runExclusive holds), so it is not wrapped here.
    if (connection.transactionStatus !== "I") await this.db.exec("ROLLBACK");
    for (const name of connection.statements) {
      await this.db.exec(`DEALLOCATE "${name.replaceAll('"', '""')}"`).catch(() => {});
    }
    connection.transactionStatus = "I";
  }
}

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;

interface Unit {
  messages: Uint8Array[];
}

/** One client connection: its buffered input split into messages and units, and its names. */
class Connection {
  running = false;
  closed = false;
  cleaned = false;
  transactionStatus: "I" | "T" | "E" = "I";
  /** Named prepared statements this connection created (already prefixed). */
  readonly statements = new Set<string>();
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private current: Uint8Array[] = [];
  private inSequence = false;
  private readonly ready: Unit[] = [];
  private outputTail: Buffer = Buffer.alloc(0);

  constructor(
    readonly id: number,
    readonly socket: Socket,
  ) {}

  hasWork(): boolean {
    return this.ready.length > 0 || (this.closed && !this.cleaned);
  }

  nextUnit(): Unit | undefined {
    return this.ready.shift();
  }

  /** Whether an extended-protocol sequence has begun without its Sync. */
  pendingUnit(): boolean {
    return this.inSequence;
  }

  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        const message = this.take(length);
        if (code === SSL_REQUEST) {
          this.socket.write("N");
        } else if (code === CANCEL_REQUEST) {
          this.socket.end();
        } else if (code === PROTOCOL_3) {
          this.started = true;
          this.ready.push({ messages: [message] });
        } else {
          this.socket.destroy(new Error(`unsupported protocol ${code}`));
        }
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) return;
      const type = String.fromCharCode(this.buffer[0] ?? 0);
      const message = this.take(length);
      if (type === "X") {
        this.socket.end();
        continue;
      }
      this.current.push(message);
      // A simple query or a Sync completes a unit; a Flush runs what came so far but the sequence
      // (and the session) stays open until its Sync.
      this.inSequence = type !== "Q" && type !== "S";
      if (type === "Q" || type === "S" || type === "H") {
        this.ready.push({ messages: this.current });
        this.current = [];
      }
    }
  }

  /** Remembers the transaction status from the last ReadyForQuery ('Z', length 5, status byte). */
  observeOutput(data: Uint8Array): void {
    this.outputTail = Buffer.concat([this.outputTail, Buffer.from(data)]).subarray(-6);
    const tail = this.outputTail;
    if (tail.length === 6 && tail[0] === 0x5a && tail.readInt32BE(1) === 5) {
      const status = String.fromCharCode(tail[5] ?? 0x49);
      if (status === "I" || status === "T" || status === "E") this.transactionStatus = status;
    }
  }

  /** Prefixes statement and portal names in Parse/Bind/Describe/Close with this connection's id. */
  rename(message: Uint8Array): Uint8Array {
    const type = String.fromCharCode(message[0] ?? 0);
    if (type === "P") return this.renameFields(message, 5, 1, "S");
    if (type === "B") return this.renameFields(message, 5, 2, "PS");
    if (type === "D" || type === "C") {
      const kind = String.fromCharCode(message[5] ?? 0);
      return this.renameFields(message, 6, 1, kind === "S" ? "S" : "P");
    }
    return message;
  }

  private renameFields(message: Uint8Array, start: number, count: number, kinds: string): Uint8Array {
    const parts: Buffer[] = [Buffer.from(message.subarray(0, start))];
    let offset = start;
    let changed = false;
    for (let index = 0; index < count; index++) {
      const end = message.indexOf(0, offset);
      const name = Buffer.from(message.subarray(offset, end)).toString("utf8");
      const renamed = name === "" ? "" : `c${this.id}_${name}`;
      if (renamed !== name) changed = true;
      if (renamed !== "" && kinds[index] === "S") {
        const type = String.fromCharCode(message[0] ?? 0);
        if (type === "P") this.statements.add(renamed);
        if (type === "C") this.statements.delete(renamed);
      }
      parts.push(Buffer.from(`${renamed}\0`, "utf8"));
      offset = end + 1;
    }
    if (!changed) return message;
    parts.push(Buffer.from(message.subarray(offset)));
    const out = Buffer.concat(parts);
    out.writeInt32BE(out.length - 1, 1);
    return out;
  }

  private take(length: number): Uint8Array {
    const message = new Uint8Array(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return message;
  }
}
