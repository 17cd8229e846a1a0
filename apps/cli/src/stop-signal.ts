/**
 * Runs `work` with Ctrl-C (SIGINT) and SIGTERM turned into its abort signal, announced by `message`
 * on stderr, instead of ending the process: long commands stop at their next batch and keep what
 * they finished. The handlers are removed when `work` ends.
 */
export async function whileStoppable<T>(message: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => {
    process.stderr.write(`${message}\n`);
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
