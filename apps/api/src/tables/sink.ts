// Where a table's bytes go: any Writable (an HTTP response, a file), written with backpressure so a
// slow reader holds the database reads back instead of letting output pile up in memory.
import type { Writable } from "node:stream";

export type Sink = (chunk: string | Buffer) => Promise<void>;

export function sinkOf(stream: Writable): Sink {
  return async (chunk) => {
    if (stream.destroyed) throw new Error("the output was closed before the table was written");
    if (stream.write(chunk)) return;
    // Until it drains, or closes (a reader that went away never drains); both listeners go again.
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off("drain", done);
        stream.off("close", done);
        resolve();
      };
      stream.on("drain", done);
      stream.on("close", done);
    });
  };
}
