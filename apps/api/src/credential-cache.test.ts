import { afterEach, describe, expect, it, vi } from "vitest";
import type { Viewer } from "./context.ts";
import { CredentialCache } from "./credential-cache.ts";

const viewer: Viewer = { id: 1, name: "ada", role: "SCIENTIST", via: { kind: "apiKey", apiKeyId: 7 } };

describe("CredentialCache", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("remembers answers (refusals too) per kind of credential until the TTL passes", () => {
    let now = 1_000_000;
    vi.spyOn(Date, "now").mockImplementation(() => now);
    const cache = new CredentialCache(10_000);
    expect(cache.get("key", "mk_a")).toBeUndefined();
    cache.set("key", "mk_a", viewer);
    cache.set("key", "mk_bad", null);
    expect(cache.get("key", "mk_a")).toEqual(viewer);
    expect(cache.get("key", "mk_bad")).toBeNull();
    expect(cache.get("session", "mk_a")).toBeUndefined();
    now += 10_001;
    expect(cache.get("key", "mk_a")).toBeUndefined();
  });

  it("looks a credential up once while it is remembered", async () => {
    const cache = new CredentialCache(60_000);
    let loads = 0;
    const load = async () => {
      loads++;
      return viewer;
    };
    expect(await cache.lookup("key", "mk_a", load)).toEqual(viewer);
    expect(await cache.lookup("key", "mk_a", load)).toEqual(viewer);
    expect(loads).toBe(1);
    expect(await new CredentialCache(0).lookup("key", "mk_a", load)).toEqual(viewer);
    expect(loads).toBe(2);
  });

  it("forgets everything on clear, and remembers nothing with a TTL of 0", () => {
    const cache = new CredentialCache(60_000);
    cache.set("session", "token", viewer);
    cache.clear();
    expect(cache.get("session", "token")).toBeUndefined();
    const off = new CredentialCache(0);
    off.set("key", "mk_a", viewer);
    expect(off.get("key", "mk_a")).toBeUndefined();
  });
});
