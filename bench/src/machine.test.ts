import { describe, expect, it } from "vitest";
import { machineLine, parseCpuinfo } from "./machine.ts";

const block = (family: string, model: string, flags: string) =>
  `processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: ${family}\nmodel\t\t: ${model}\nmodel name\t: AMD EPYC\nflags\t\t: ${flags}\n`;

describe("the machine a benchmark names", () => {
  it("reads family, model and the vector extensions of the first processor", () => {
    const zen3 = block("25", "1", "fpu sse4_2 avx fma avx2 bmi2");
    const other = block("26", "2", "avx2 avx512f amx_tile");
    expect(parseCpuinfo(`${zen3}\n${other}`)).toEqual({ family: 25, model: 1, isa: ["AVX2", "FMA"] });
    expect(parseCpuinfo(block("6", "143", "avx2 fma avx512f avx512_vnni avx512_bf16 amx_tile amx_bf16"))).toEqual({
      family: 6,
      model: 143,
      isa: ["AVX2", "FMA", "AVX-512", "AVX-512 VNNI", "AVX-512 BF16", "AMX", "AMX BF16"],
    });
  });

  it("says so when the CPU has no AVX2, and survives a cpuinfo without the fields", () => {
    expect(parseCpuinfo("processor : 0\n")).toEqual({ family: undefined, model: undefined, isa: [] });
    expect(machineLine({ cpu: "Old", cores: 4, isa: [] })).toBe("Old, 4 cores, no AVX2");
    expect(machineLine({ cpu: "AMD EPYC", cores: 2, family: 25, model: 1, isa: ["AVX2", "FMA"] })).toBe(
      "AMD EPYC (family 25 model 1), 2 cores, AVX2 FMA",
    );
  });
});
