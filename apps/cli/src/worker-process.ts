// The job worker of `macnet start` as a child process (`macnet worker`), off the serving path: training
// uses every core it can get, and in the same process it would stall the API, the dashboard and
// every query between its batches. The child runs at a lower scheduling priority, so the API answers
// first; it is restarted if it dies, and stopped (its running jobs returned to the queue) with `start`.
import { type ChildProcess, spawn } from "node:child_process";
import { setPriority } from "node:os";
import { withHugePageMalloc } from "@macnet/tfjs-native/malloc-env";
import { cliEntry } from "./paths.ts";

/**
 * nice value of the worker while the API serves: the serving process and commands (0) go first
 * whenever they want the CPU (CFS weights 1024 : 110, about 9 : 1), while the worker still gets a share
 * against unrelated load (at 19, weight 15, it all but stopped when anything else ran).
 */
export const SERVING_WORKER_NICE = 10;
/** Restarts allowed after unexpected exits before `start` gives up on the worker. */
const MAX_RESTARTS = 5;

/** A worker child process. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  /** Asks the worker to stop (SIGINT: running jobs go back to the queue) and waits for it. */
  stop(): Promise<void>;
}

/** Starts `macnet worker` against `databaseUrl` and keeps it running until stopped. */
export function startWorkerProcess(options: {
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  /** Each line the worker logs (its stderr). */
  log: (line: string) => void;
  /** Its scheduling priority (default SERVING_WORKER_NICE; 0 while nothing else of ours needs the CPU). */
  nice?: number;
}): WorkerProcess {
  const nice = options.nice ?? SERVING_WORKER_NICE;
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let exited: Promise<void> = Promise.resolve();
  const launch = () => {
    // Its own process group: a terminal's Ctrl-C reaches `start` alone, which stops the worker once
    // (a second SIGINT would end it before it returned its jobs); it stops itself if `start` dies.
    // Started through nice(1) where there is one, so every thread of it (V8's, oneDNN's) runs niced;
    // setPriority on a running process would reach only its main thread.
    const [command, args] =
      process.platform === "win32"
        ? [process.execPath, [cliEntry, "worker"]]
        : nice === 0
          ? [process.execPath, [cliEntry, "worker"]]
          : ["nice", ["-n", String(nice), process.execPath, cliEntry, "worker"]];
    const started = spawn(command, args, {
      env: withHugePageMalloc({
        ...options.env,
        DATABASE_URL: options.databaseUrl,
        MACNET_WORKER_PARENT_PID: String(process.pid),
      }),
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
      windowsHide: true,
    });
    child = started;
    if (process.platform === "win32" && started.pid !== undefined && nice !== 0) {
      try {
        setPriority(started.pid, nice);
      } catch {
        // Not permitted here: the worker runs at normal priority.
      }
    }
    let pending = "";
    started.stderr?.setEncoding("utf8");
    started.stderr?.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) options.log(line);
    });
    exited = new Promise((resolve) => {
      started.once("error", (error) => {
        options.log(`job worker could not be started: ${error.message}; jobs stay queued`);
        resolve();
      });
      started.once("exit", (code, signal) => {
        if (pending.trim()) options.log(pending);
        resolve();
        if (stopping) return;
        if (restarts >= MAX_RESTARTS) {
          options.log(`job worker exited (${signal ?? code}) ${restarts} times: not restarted; jobs stay queued`);
          return;
        }
        restarts++;
        options.log(`job worker exited (${signal ?? code}); restarting it`);
        setTimeout(() => {
          if (!stopping) launch();
        }, 1000).unref();
      });
    });
  };
  launch();
  return {
    get pid() {
      return child?.pid;
    },
    async stop() {
      stopping = true;
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}
