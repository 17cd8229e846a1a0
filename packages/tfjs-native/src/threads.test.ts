import { describe, expect, it } from "vitest";
import { type CpuTopology, PIN_FROM_CORES, parseCpuList, readTopology, threadDefaults } from "./threads.ts";

/** `cores` physical cores with `smt` logical CPUs each, numbered as Linux does (siblings last). */
function machine(cores: number, smt: number): CpuTopology {
  const allowed = Array.from({ length: cores * smt }, (_, cpu) => cpu);
  return { allowed, coreOf: new Map(allowed.map((cpu) => [cpu, `0/${cpu % cores}`])) };
}

describe("OpenMP thread defaults", () => {
  it("parses Linux CPU lists", () => {
    expect(parseCpuList("0-3,8,10-11\n")).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList("")).toEqual([]);
    expect(parseCpuList("5-2,x")).toEqual([]);
  });

  it("runs one thread per physical core and pins only from 8 cores up", () => {
    expect(threadDefaults({}, machine(2, 1))).toEqual({ OMP_NUM_THREADS: "2" });
    expect(threadDefaults({}, machine(4, 2))).toEqual({ OMP_NUM_THREADS: "4" });
    expect(threadDefaults({}, machine(PIN_FROM_CORES, 2))).toEqual({
      OMP_NUM_THREADS: String(PIN_FROM_CORES),
      OMP_PROC_BIND: "close",
      OMP_PLACES: "cores",
    });
    expect(threadDefaults({}, machine(64, 2)).OMP_NUM_THREADS).toBe("64");
    // A process limited to some CPUs (taskset, a container) counts only their cores.
    const limited = machine(32, 2);
    limited.allowed = [0, 1, 32, 33];
    expect(threadDefaults({}, limited)).toEqual({ OMP_NUM_THREADS: "2" });
  });

  it("keeps whatever the user set, and sets nothing without a topology", () => {
    expect(threadDefaults({ OMP_NUM_THREADS: "3" }, machine(16, 2))).toEqual({});
    expect(threadDefaults({ OMP_PROC_BIND: "false" }, machine(16, 2))).toEqual({});
    expect(threadDefaults({}, null)).toEqual({});
  });

  it("reads this machine's topology (Linux)", () => {
    const topology = readTopology();
    if (process.platform !== "linux") return expect(topology).toBeNull();
    expect(topology?.allowed.length).toBeGreaterThan(0);
  });
});
