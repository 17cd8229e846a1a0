// The machine a benchmark ran on, printed with every result: the same code gives different ratios on
// different CPUs (an AVX2-only EPYC ran inference 3× slower than an AVX-512 one), so a figure without
// its CPU model and instruction-set extensions cannot be compared with another.
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

export interface MachineInfo {
  /** CPU model as the kernel reports it ("AMD EPYC", "Intel(R) Xeon(R) Platinum 8480+"). */
  cpu: string;
  /** Logical CPUs. */
  cores: number;
  /** x86 family and model from /proc/cpuinfo (e.g. family 25 model 1 is Zen 3), when known. */
  family?: number;
  model?: number;
  /** The vector extensions that decide which oneDNN/MLAS kernels run, e.g. ["AVX2", "FMA", "AVX-512", "AVX-512 BF16"]. */
  isa: string[];
}

/** /proc/cpuinfo flag → the name printed; the order is the order shown. */
const EXTENSIONS: Array<[string, string]> = [
  ["avx2", "AVX2"],
  ["fma", "FMA"],
  ["avx512f", "AVX-512"],
  ["avx512_vnni", "AVX-512 VNNI"],
  ["avx512_bf16", "AVX-512 BF16"],
  ["amx_tile", "AMX"],
  ["amx_bf16", "AMX BF16"],
];

/** Parses the first processor's block of /proc/cpuinfo (exported for its test). */
export function parseCpuinfo(text: string): Pick<MachineInfo, "family" | "model" | "isa"> {
  const first = text.split(/\n\s*\n/)[0] ?? "";
  const field = (name: string) => first.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, "m"))?.[1]?.trim();
  const flags = new Set((field("flags") ?? "").split(/\s+/));
  const number = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);
  return {
    family: number(field("cpu family")),
    model: number(field("model")),
    isa: EXTENSIONS.filter(([flag]) => flags.has(flag)).map(([, name]) => name),
  };
}

export function describeMachine(): MachineInfo {
  const list = cpus();
  let parsed: Pick<MachineInfo, "family" | "model" | "isa"> = { isa: [] };
  try {
    parsed = parseCpuinfo(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    // Not Linux: the model and core count from Node are all there is.
  }
  return { cpu: list[0]?.model.trim() ?? "unknown", cores: list.length, ...parsed };
}

/** One line for a terminal or a README row: "AMD EPYC (family 25 model 1), 2 cores, AVX2 FMA". */
export function machineLine(machine: MachineInfo = describeMachine()): string {
  const id = machine.family === undefined ? "" : ` (family ${machine.family} model ${machine.model})`;
  const isa = machine.isa.length > 0 ? machine.isa.join(" ") : "no AVX2";
  return `${machine.cpu}${id}, ${machine.cores} cores, ${isa}`;
}
