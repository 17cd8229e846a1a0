// How many OpenMP threads the kernels run, and whether they are pinned: decided once, before the
// addon loads libgomp (which reads OMP_* when it is loaded). A user's OMP_NUM_THREADS, OMP_PROC_BIND
// or OMP_PLACES is always kept.
//
// - Threads: one per physical core this process may run on. libgomp's default is one per logical
//   CPU; on SMT machines two threads of a convolution then share one core's vector units and caches,
//   and oneDNN's f32 kernels gain nothing from the second (they are bound by the FMA units).
// - Pinning (OMP_PROC_BIND=close, OMP_PLACES=cores) from 8 cores up: there, unpinned threads migrate
//   between cores and lose their caches, and a machine that size is usually given to the job. Below
//   8 the platform shares the cores with its API and PostgreSQL (`macnet start`), and a thread pinned
//   to a core the database is busy on waits for it while another core idles.
import { readFileSync } from "node:fs";

/** Cores from which on the threads are pinned. */
export const PIN_FROM_CORES = 8;

export interface CpuTopology {
  /** Logical CPUs this process may run on (its affinity mask). */
  allowed: number[];
  /** Logical CPU → physical core (package and core id), where the kernel says. */
  coreOf: Map<number, string>;
}

/** Parses a CPU list as Linux prints it ("0-3,8,10-11"). */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(",")) {
    if (!part) continue;
    const [from, to] = part.split("-").map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    const last = to === undefined ? from : to;
    if (!Number.isInteger(last) || last < from || last - from > 65536) continue;
    for (let cpu = from; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** The OMP_* settings to add to `env` for `topology` (empty when the user set any, or nothing is known). */
export function threadDefaults(env: NodeJS.ProcessEnv, topology: CpuTopology | null): Record<string, string> {
  if (env.OMP_NUM_THREADS || env.OMP_PROC_BIND || env.OMP_PLACES || !topology) return {};
  const { allowed, coreOf } = topology;
  if (allowed.length === 0) return {};
  const cores = new Set(allowed.map((cpu) => coreOf.get(cpu) ?? `cpu${cpu}`)).size;
  const settings: Record<string, string> = { OMP_NUM_THREADS: String(cores) };
  if (cores >= PIN_FROM_CORES) {
    settings.OMP_PROC_BIND = "close";
    settings.OMP_PLACES = "cores";
  }
  return settings;
}

/** This process's CPUs and their cores, from /proc and /sys (null off Linux or where unreadable). */
export function readTopology(): CpuTopology | null {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const allowed = parseCpuList(status.match(/^Cpus_allowed_list:\s*(.*)$/m)?.[1] ?? "");
    const coreOf = new Map<number, string>();
    for (const cpu of allowed) {
      try {
        const base = `/sys/devices/system/cpu/cpu${cpu}/topology`;
        const pkg = readFileSync(`${base}/physical_package_id`, "utf8").trim();
        const core = readFileSync(`${base}/core_id`, "utf8").trim();
        coreOf.set(cpu, `${pkg}/${core}`);
      } catch {
        // No topology for this CPU: counted as a core of its own.
      }
    }
    return { allowed, coreOf };
  } catch {
    return null;
  }
}

/** Sets the defaults in process.env (before libgomp loads); returns what it set. */
export function applyThreadDefaults(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const settings = threadDefaults(env, readTopology());
  Object.assign(env, settings);
  return settings;
}
