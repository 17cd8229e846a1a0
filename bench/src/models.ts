// `macnet bench infer|train`: the MAC-Net family on random data in TensorFlow.js (whatever backend
// `selectBackend` picks), and the same networks in onnxruntime-node (inference) and PyTorch
// (Debian's python3-torch; inference and training), measured in the same run, one process each.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Architecture } from "@macnet/model";
import { withHugePageMalloc } from "@macnet/tfjs-native/malloc-env";
import { describeMachine, type MachineInfo } from "./machine.ts";
import type { WorkerResult, WorkerTask } from "./model-worker.ts";

const here = dirname(fileURLToPath(import.meta.url));
const WORKER = join(here, "model-worker.ts");
const TORCH_SCRIPT = join(here, "../pytorch_reference.py");

export interface ModelBenchOptions {
  mode: "infer" | "train";
  archs: Architecture[];
  compact?: boolean;
  /** Timed repetitions per measurement (after warm-up). */
  repeats?: number;
  /** Per-kernel times in the TensorFlow.js figures. */
  profile?: boolean;
  /** Python with torch (default MACNET_PYTHON or /usr/bin/python3). */
  python?: string;
  onStage?: (stage: string) => void;
}

type Measurement = WorkerResult | { unavailable: string };

export interface ModelBenchRow {
  arch: Architecture;
  parameters?: number;
  tfjs: Record<string, Measurement>;
  onnxruntime?: Record<string, Measurement>;
  pytorch: Record<string, Measurement>;
  /** tfjs figure ÷ baseline figure (latency: lower is better; throughput: higher is better). */
  ratios: Record<string, number | null>;
}

export interface ModelBenchResult {
  mode: "infer" | "train";
  size: "full" | "compact";
  machine: MachineInfo;
  backend: string | null;
  rows: ModelBenchRow[];
  goals: Record<string, { target: string; value: number | null; met: boolean | null }>;
}

function lastJsonLine(stdout: string): unknown {
  const line = stdout.trim().split("\n").filter(Boolean).pop();
  return line ? JSON.parse(line) : null;
}

function runWorker(task: WorkerTask): Measurement {
  const tsx = import.meta.resolve("tsx");
  const result = spawnSync(process.execPath, ["--import", tsx, WORKER, JSON.stringify(task)], {
    encoding: "utf8",
    maxBuffer: 16 << 20,
    env: withHugePageMalloc(process.env),
  });
  if (result.status !== 0) {
    return {
      unavailable: `${task.engine} failed: ${(result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ")}`,
    };
  }
  return lastJsonLine(result.stdout) as WorkerResult;
}

function torchAvailable(python: string): string | null {
  const probe = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.error) return `${python} not found`;
  return probe.status === 0 ? null : `${python} has no torch (Debian: apt install python3-torch)`;
}

/**
 * PyTorch runs with the same malloc settings as the TensorFlow.js workers (huge pages: see
 * withHugePageMalloc), so that the ratio compares the frameworks, not the allocators: on the 2-core
 * development VM a b32 PyTorch training step took 30.0 s without them and 9.5 s with them.
 */
function runTorch(python: string, args: string[]): Measurement {
  const result = spawnSync(python, [TORCH_SCRIPT, ...args], {
    encoding: "utf8",
    maxBuffer: 16 << 20,
    env: withHugePageMalloc(process.env),
  });
  if (result.status !== 0)
    return { unavailable: `pytorch failed: ${result.stderr.trim().split("\n").slice(-2).join(" ")}` };
  const parsed = lastJsonLine(result.stdout) as Record<string, number>;
  const seconds = (parsed.secondsPerStep ?? (parsed.msPerBatch as number) / 1000) as number;
  return {
    engine: String(parsed.engine),
    batch: parsed.batch as number,
    seconds,
    samplesPerS: parsed.samplesPerS as number,
    msPerSample: Number(((seconds * 1000) / (parsed.batch as number)).toFixed(2)),
    peakRssMB: parsed.peakRssMB as number,
    parameters: parsed.parameters as number,
  };
}

function figure(m: Measurement | undefined, key: "samplesPerS" | "msPerSample"): number | null {
  return m && !("unavailable" in m) ? m[key] : null;
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : Number((a / b).toFixed(3));
}

export async function runModelBenchmark(options: ModelBenchOptions): Promise<ModelBenchResult> {
  const compact = options.compact ?? false;
  const repeats = options.repeats ?? (options.mode === "infer" ? 5 : 2);
  const python = options.python ?? process.env.MACNET_PYTHON ?? "/usr/bin/python3";
  const noTorch = torchAvailable(python);
  const batches = options.mode === "infer" ? [1, 32] : [4, 32];
  const size = compact ? "compact" : "full";
  const torchFlags = compact ? ["--compact"] : [];
  const scratch = mkdtempSync(join(tmpdir(), "macnet-bench-"));
  const rows: ModelBenchRow[] = [];
  let backend: string | null = null;
  try {
    for (const arch of options.archs) {
      const row: ModelBenchRow = { arch, tfjs: {}, pytorch: {}, ratios: {} };
      for (const batch of batches) {
        options.onStage?.(`${arch} ${options.mode} batch ${batch}: TensorFlow.js`);
        const tfjs = runWorker({
          engine: "tfjs",
          mode: options.mode,
          arch,
          compact,
          batch,
          repeats,
          profile: options.profile,
        });
        row.tfjs[`b${batch}`] = tfjs;
        if (!("unavailable" in tfjs)) {
          backend = tfjs.engine;
          row.parameters = tfjs.parameters;
        }
        options.onStage?.(`${arch} ${options.mode} batch ${batch}: PyTorch`);
        const torchArgs = [options.mode, "--arch", arch, "--batch", String(batch), ...torchFlags];
        const countFlag = options.mode === "infer" ? "--runs" : "--steps";
        row.pytorch[`b${batch}`] = noTorch
          ? { unavailable: noTorch }
          : runTorch(python, [...torchArgs, countFlag, String(repeats)]);
      }
      if (options.mode === "infer") {
        row.onnxruntime = {};
        const onnx = join(scratch, `${arch}.onnx`);
        options.onStage?.(`${arch}: exporting the PyTorch network to ONNX`);
        const exported = noTorch
          ? { unavailable: `no ONNX export: ${noTorch}` }
          : runTorch(python, ["onnx", "--arch", arch, "--out", onnx, ...torchFlags]);
        for (const batch of batches) {
          options.onStage?.(`${arch} infer batch ${batch}: onnxruntime-node`);
          row.onnxruntime[`b${batch}`] =
            "unavailable" in exported
              ? exported
              : runWorker({ engine: "onnxruntime", arch, compact, batch, repeats, onnx });
        }
        rmSync(onnx, { force: true });
        const t = row.tfjs;
        const o = row.onnxruntime;
        const p = row.pytorch;
        row.ratios = {
          latencyB1VsOnnxruntime: ratio(figure(t.b1, "msPerSample"), figure(o.b1, "msPerSample")),
          throughputB32VsOnnxruntime: ratio(figure(t.b32, "samplesPerS"), figure(o.b32, "samplesPerS")),
          latencyB1VsPytorch: ratio(figure(t.b1, "msPerSample"), figure(p.b1, "msPerSample")),
          throughputB32VsPytorch: ratio(figure(t.b32, "samplesPerS"), figure(p.b32, "samplesPerS")),
        };
      } else {
        row.ratios = {
          trainingB4VsPytorch: ratio(figure(row.tfjs.b4, "samplesPerS"), figure(row.pytorch.b4, "samplesPerS")),
          trainingB32VsPytorch: ratio(figure(row.tfjs.b32, "samplesPerS"), figure(row.pytorch.b32, "samplesPerS")),
        };
      }
      rows.push(row);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { mode: options.mode, size, machine: describeMachine(), backend, rows, goals: goals(options.mode, rows) };
}

/** Issue #21's goals, judged on MAC-Net (the first row when MAC-Net was not measured). */
function goals(mode: "infer" | "train", rows: ModelBenchRow[]): ModelBenchResult["goals"] {
  const row = rows.find((r) => r.arch === "MAC_NET") ?? rows[0];
  const goal = (target: string, value: number | null | undefined, met: (v: number) => boolean) => ({
    target,
    value: value ?? null,
    met: value === null || value === undefined ? null : met(value),
  });
  if (!row) return {};
  if (mode === "infer") {
    return {
      latencyB1VsOnnxruntime: goal("≤ 1.0", row.ratios.latencyB1VsOnnxruntime, (v) => v <= 1),
      throughputB32VsOnnxruntime: goal("≥ 1.0", row.ratios.throughputB32VsOnnxruntime, (v) => v >= 1),
    };
  }
  const peak = (m: Measurement | undefined) => (m && !("unavailable" in m) ? m.peakRssMB : null);
  const tfjsPeak = peak(row.tfjs.b32);
  const torchPeak = peak(row.pytorch.b32);
  return {
    trainingB4VsPytorch: goal("≥ 2.0", row.ratios.trainingB4VsPytorch, (v) => v >= 2),
    trainingB32VsPytorch: goal("≥ 2.0", row.ratios.trainingB32VsPytorch, (v) => v >= 2),
    peakRssB32VsPytorch: goal("≤ 1.0", ratio(tfjsPeak, torchPeak), (v) => v <= 1),
  };
}
