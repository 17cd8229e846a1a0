import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { totalmem } from "node:os";
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { loadAddon } from "./addon.ts";
import { NATIVE_KERNELS, withFallback } from "./kernels.ts";
import { BufferPool } from "./pool.ts";

/** TensorFlow.js backend name of the CPU backend with oneDNN kernels. */
export const ONEDNN_BACKEND = "onednn";

/** What `MACNET_TF_BACKEND` accepts, in the order they are tried when it is not set. */
export const BACKEND_CHOICES = ["tfjs-node-gpu", "tfjs-node", "onednn", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendSelection {
  /** Which of BACKEND_CHOICES runs. */
  choice: BackendChoice;
  /** The TensorFlow.js backend name (`tensorflow`, `onednn` or `cpu`). */
  tfBackend: string;
  /** One line for logs and job records, e.g. "onednn (oneDNN 2.6.3, 2 threads)". */
  description: string;
  /** Why faster choices were passed over (empty when the first one was taken). */
  skipped: string[];
}

type DataId = Parameters<MathBackendCPU["disposeData"]>[0];

/**
 * Default cap of the pool: a sixth of the machine's memory, between 1 and 4 GiB. A full-size b32
 * training step frees and re-takes ~4 GB of same-sized buffers; at the old 1 GiB cap 441 of 600
 * takes missed (fresh buffers, page faults) and the step took 11.3 s, at 4 GiB 185 missed and it
 * took 9.6 s, with the same peak RSS (a dropped buffer stays resident until V8 collects it).
 */
export function defaultPoolMB(totalBytes = totalmem()): number {
  return Math.round(Math.min(4096, Math.max(1024, totalBytes / 6 / 2 ** 20)));
}

/** The pool of the `onednn` backend; `MACNET_NATIVE_POOL_MB` caps it (0 turns pooling off). */
export const bufferPool = new BufferPool(Number(process.env.MACNET_NATIVE_POOL_MB ?? defaultPoolMB()) * 2 ** 20);

/**
 * TensorFlow.js's CPU backend class (taken from its registered factory: the union bundle does not
 * export it), extended so that buffers of disposed tensors go back to the pool, and buffers whose
 * contents are read out never do.
 */
function oneDnnBackendFactory(cpuFactory: () => tf.KernelBackend | Promise<tf.KernelBackend>): () => tf.KernelBackend {
  const probe = cpuFactory() as MathBackendCPU;
  const CpuBackend = probe.constructor as typeof MathBackendCPU;
  probe.dispose();
  class OneDnnBackend extends CpuBackend {
    readonly pool = bufferPool;

    override readSync(dataId: DataId) {
      this.pool.escape(this.data.get(dataId)?.values);
      return super.readSync(dataId);
    }

    override disposeData(dataId: DataId, force = false): boolean {
      const values = this.data.get(dataId)?.values;
      const released = super.disposeData(dataId, force);
      if (released && values && !this.data.has(dataId)) this.pool.give(values);
      return released;
    }

    override dispose(): void {
      this.pool.clear();
      super.dispose();
    }
  }
  return () => new OneDnnBackend();
}

/**
 * Some pure-JS kernels return a view of their input's buffer (`Slice` of a contiguous range returns
 * a subarray): such an input buffer must never go back to the pool while the view may live.
 */
function guardAliases(kernel: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const result = kernel(args);
    const backend = args.backend as MathBackendCPU & { pool?: BufferPool };
    if (!backend.pool) return result;
    const outputs = Array.isArray(result) ? result : [result];
    for (const input of Object.values(args.inputs)) {
      const values = input ? backend.data.get(input.dataId)?.values : undefined;
      if (!(values instanceof Float32Array)) continue;
      for (const output of outputs) {
        const out = backend.data.get(output.dataId)?.values;
        if (out !== values && ArrayBuffer.isView(out) && out.buffer === values.buffer) backend.pool.escape(values);
      }
    }
    return result;
  };
}

/**
 * Registers the `onednn` backend: TensorFlow.js's CPU backend with its heavy kernels replaced by
 * the addon's. Returns why it could not when the addon is missing.
 */
export function registerOneDnnBackend(): { ok: true; onednn: string; threads: number } | { ok: false; error: string } {
  const loaded = loadAddon();
  if ("error" in loaded) return { ok: false, error: loaded.error };
  const { addon } = loaded;
  bufferPool.advise = (buffer) => addon.adviseHugePages(buffer);
  bufferPool.align = (buffer) => addon.alignmentOffset(buffer);
  if (!tf.findBackendFactory(ONEDNN_BACKEND)) {
    for (const config of tf.getKernelsForBackend("cpu")) {
      const native = NATIVE_KERNELS[config.kernelName];
      tf.registerKernel({
        ...config,
        backendName: ONEDNN_BACKEND,
        kernelFunc: native ? withFallback(config.kernelName, native, addon) : guardAliases(config.kernelFunc),
      });
    }
    // Priority above `cpu` (1) so that a bare tfjs program picks it, below GPU backends.
    const cpuFactory = tf.findBackendFactory("cpu");
    if (!cpuFactory) return { ok: false, error: "TensorFlow.js has no cpu backend registered" };
    tf.registerBackend(ONEDNN_BACKEND, oneDnnBackendFactory(cpuFactory), 3);
  }
  return { ok: true, ...addon.info() };
}

function gpuVisible(): boolean {
  try {
    return existsSync("/proc/driver/nvidia/gpus") && readdirSync("/proc/driver/nvidia/gpus").length > 0;
  } catch {
    return false;
  }
}

type Attempt = { ok: true; tfBackend: string; description: string } | { ok: false; reason: string };

// tfjs-node(-gpu) register the `tensorflow` backend when required; they are optional and usually
// absent (their install downloads libtensorflow), so they are looked up at run time only.
function tryTfjsNode(pkg: string): Attempt {
  try {
    createRequire(import.meta.url)(pkg);
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "";
    return { ok: false, reason: message.includes("Cannot find module") ? "not installed" : message };
  }
  return tf.findBackendFactory("tensorflow")
    ? { ok: true, tfBackend: "tensorflow", description: `${pkg} (libtensorflow)` }
    : { ok: false, reason: "loaded but registered no `tensorflow` backend" };
}

function attempt(choice: BackendChoice): Attempt {
  switch (choice) {
    case "tfjs-node-gpu":
      return gpuVisible() ? tryTfjsNode("@tensorflow/tfjs-node-gpu") : { ok: false, reason: "no NVIDIA GPU visible" };
    case "tfjs-node":
      return tryTfjsNode("@tensorflow/tfjs-node");
    case "onednn": {
      const registered = registerOneDnnBackend();
      return registered.ok
        ? {
            ok: true,
            tfBackend: ONEDNN_BACKEND,
            description: `onednn (oneDNN ${registered.onednn}, ${registered.threads} threads)`,
          }
        : { ok: false, reason: registered.error };
    }
    case "cpu":
      return { ok: true, tfBackend: "cpu", description: "cpu (pure-JS TensorFlow.js kernels, slow)" };
  }
}

/** Selections made in this process, by the MACNET_TF_BACKEND value they were made for. */
const selections = new Map<string, BackendSelection>();

/**
 * Picks and activates the fastest backend present: tfjs-node-gpu (when a GPU is visible) →
 * tfjs-node → onednn → cpu. `MACNET_TF_BACKEND` forces one and fails when it is unavailable.
 * `log` hears about the choice once per process.
 */
export async function selectBackend(
  options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Promise<BackendSelection> {
  const forced = (options.env ?? process.env).MACNET_TF_BACKEND?.trim();
  const previous = selections.get(forced ?? "");
  if (previous) {
    await tf.setBackend(previous.tfBackend);
    return previous;
  }
  const candidates: readonly BackendChoice[] = forced ? [forced as BackendChoice] : BACKEND_CHOICES;
  if (forced && !BACKEND_CHOICES.includes(forced as BackendChoice)) {
    throw new Error(`MACNET_TF_BACKEND must be one of ${BACKEND_CHOICES.join(", ")} (got "${forced}")`);
  }
  // Production mode: no debug checks, and no "install tfjs-node" banner (we say what runs).
  tf.enableProdMode();
  const skipped: string[] = [];
  for (const choice of candidates) {
    const result = attempt(choice);
    if (!result.ok) {
      skipped.push(`${choice}: ${result.reason}`);
      continue;
    }
    if (!(await tf.setBackend(result.tfBackend))) {
      skipped.push(`${choice}: TensorFlow.js could not initialise it`);
      continue;
    }
    await tf.ready();
    const selected = { choice, tfBackend: result.tfBackend, description: result.description, skipped };
    selections.set(forced ?? "", selected);
    const onednnSkipped = skipped.find((s) => s.startsWith("onednn:"));
    const note = choice === "cpu" && onednnSkipped ? `; native kernels unavailable (${onednnSkipped.slice(8)})` : "";
    options.log?.(`TensorFlow.js backend: ${result.description}${note}`);
    return selected;
  }
  throw new Error(`MACNET_TF_BACKEND=${forced} is not available: ${skipped.join("; ")}`);
}
