import { afterEach, describe, expect, it } from "vitest";
import { freeStripBytes, recycleStripBuffers, releaseStripBuffers, stripArray } from "./strip-buffers.ts";

describe("recycled strip buffers", () => {
  afterEach(() => releaseStripBuffers());

  it("hands a recycled buffer of the right size back once, and new arrays otherwise", () => {
    const first = stripArray(11 * 100);
    first.fill(7);
    recycleStripBuffers([first.buffer as ArrayBuffer]);
    expect(freeStripBytes()).toBe(11 * 100 * 4);
    expect(stripArray(11 * 50).buffer).not.toBe(first.buffer); // another size: new
    const again = stripArray(11 * 100);
    expect(again.buffer).toBe(first.buffer);
    expect(again.length).toBe(11 * 100);
    expect(freeStripBytes()).toBe(0);
    expect(stripArray(11 * 100).buffer).not.toBe(first.buffer); // taken: a new one
  });

  it("keeps at most 256 MB and ignores detached buffers", () => {
    const big = () => new ArrayBuffer(100 * 1024 * 1024);
    recycleStripBuffers([big(), big(), big()]);
    expect(freeStripBytes()).toBe(200 * 1024 * 1024);
    const detached = new ArrayBuffer(16);
    structuredClone(detached, { transfer: [detached] });
    recycleStripBuffers([detached]);
    expect(freeStripBytes()).toBe(200 * 1024 * 1024);
  });
});
