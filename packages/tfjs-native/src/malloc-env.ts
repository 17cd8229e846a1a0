// The environment of a process that trains: glibc's malloc asked for transparent huge pages
// (GLIBC_TUNABLES glibc.malloc.hugetlb=1, glibc ≥ 2.35; older ones ignore it). glibc reads its
// tunables when a process starts, so it is set on the processes we start to train (the job worker,
// benchmark workers), not in the running one. The addon already advises its own pool's buffers;
// this covers the rest: oneDNN's scratchpads and TensorFlow.js's pure-JS kernels' outputs. A b32
// MAC-Net training step took 11.3 s without it and 9.8 s with it (docs/native-kernels.md).
// No TensorFlow.js here: the API's process imports this to start the worker.

/** The tunable that makes malloc advise huge pages on its mappings. */
export const HUGE_PAGE_MALLOC = "glibc.malloc.hugetlb=1";

/** `env` with the huge-page tunable added to GLIBC_TUNABLES (kept as is when it names hugetlb already, or off Linux). */
export function withHugePageMalloc(env: NodeJS.ProcessEnv, platform = process.platform): NodeJS.ProcessEnv {
  const current = env.GLIBC_TUNABLES ?? "";
  if (platform !== "linux" || current.includes("glibc.malloc.hugetlb")) return env;
  return { ...env, GLIBC_TUNABLES: current ? `${current}:${HUGE_PAGE_MALLOC}` : HUGE_PAGE_MALLOC };
}
