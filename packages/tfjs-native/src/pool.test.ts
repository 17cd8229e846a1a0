import { describe, expect, it } from "vitest";
import { loadAddon } from "./addon.ts";
import { defaultPoolMB } from "./backend.ts";
import { HUGE_PAGE_MALLOC, withHugePageMalloc } from "./malloc-env.ts";
import { BufferPool } from "./pool.ts";

describe("BufferPool's fresh buffers", () => {
  it("asks for huge pages on fresh large buffers only, before anything is written", () => {
    const pool = new BufferPool(64 * 2 ** 20);
    const advised: Array<{ length: number; untouched: boolean }> = [];
    pool.advise = (buffer) => advised.push({ length: buffer.length, untouched: buffer.every((v) => v === 0) });
    const small = pool.take(BufferPool.MIN_LENGTH);
    const large = pool.take(BufferPool.HUGE_LENGTH);
    large.fill(1);
    pool.give(large);
    expect(pool.take(BufferPool.HUGE_LENGTH)).toBe(large); // reused: no second advice
    expect(small.length).toBe(BufferPool.MIN_LENGTH);
    expect(advised).toEqual([{ length: BufferPool.HUGE_LENGTH, untouched: true }]);
  });

  it("starts fresh pooled buffers where the aligner says, with room for the whole length", () => {
    const pool = new BufferPool(64 * 2 ** 20);
    pool.align = () => 48;
    const buffer = pool.take(BufferPool.MIN_LENGTH + 3);
    expect(buffer.byteOffset).toBe(48);
    expect(buffer.length).toBe(BufferPool.MIN_LENGTH + 3);
    expect(buffer.buffer.byteLength).toBeGreaterThanOrEqual(48 + buffer.byteLength);
    pool.give(buffer);
    expect(pool.take(BufferPool.MIN_LENGTH + 3)).toBe(buffer);
    const loaded = loadAddon();
    if ("addon" in loaded) {
      const offset = loaded.addon.alignmentOffset(new ArrayBuffer(1 << 20));
      expect(offset % 4).toBe(0);
      expect(offset).toBeLessThan(64);
      expect(() => loaded.addon.alignmentOffset(new Float32Array(4) as unknown as ArrayBuffer)).toThrow(/ArrayBuffer/);
    } else {
      expect(process.env.MACNET_REQUIRE_NATIVE).not.toBe("1");
    }
  });

  it("the addon's advice leaves the buffer usable (where the addon is built)", () => {
    const loaded = loadAddon();
    if (!("addon" in loaded)) {
      expect(process.env.MACNET_REQUIRE_NATIVE).not.toBe("1");
      return;
    }
    const buffer = new Float32Array(3 * 2 ** 20 + 5);
    expect(typeof loaded.addon.adviseHugePages(buffer)).toBe("boolean");
    buffer.fill(2.5);
    expect(buffer[0]).toBe(2.5);
    expect(buffer[buffer.length - 1]).toBe(2.5);
    // A view that starts mid-page: only its whole pages are advised, nothing outside it is touched.
    expect(typeof loaded.addon.adviseHugePages(buffer.subarray(1000, 2 ** 20))).toBe("boolean");
    expect(() => loaded.addon.adviseHugePages("x" as unknown as Float32Array)).toThrow(/typed array/);
  });
});

describe("withHugePageMalloc", () => {
  it("adds glibc's huge-page tunable on Linux, keeping other tunables and a user's own choice", () => {
    expect(withHugePageMalloc({ A: "1" }, "linux")).toEqual({ A: "1", GLIBC_TUNABLES: HUGE_PAGE_MALLOC });
    expect(withHugePageMalloc({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2" }, "linux").GLIBC_TUNABLES).toBe(
      `glibc.malloc.arena_max=2:${HUGE_PAGE_MALLOC}`,
    );
    const mine = { GLIBC_TUNABLES: "glibc.malloc.hugetlb=0" };
    expect(withHugePageMalloc(mine, "linux")).toBe(mine);
    expect(withHugePageMalloc({ A: "1" }, "darwin")).toEqual({ A: "1" });
  });
});

describe("defaultPoolMB", () => {
  it("is a sixth of the machine's memory, between 1 and 4 GiB", () => {
    expect(defaultPoolMB(4 * 2 ** 30)).toBe(1024);
    expect(defaultPoolMB(12 * 2 ** 30)).toBe(2048);
    expect(defaultPoolMB(24 * 2 ** 30)).toBe(4096);
    expect(defaultPoolMB(512 * 2 ** 30)).toBe(4096);
  });
});
