import { describe, expect, it } from "vitest";
import { createViewCache } from "../../../src/services/public/view-cache.ts";

describe("view cache", () => {
  it("computes once per key, sharing concurrent computations", async () => {
    let calls = 0;
    const cache = createViewCache({ stamp: async () => "v1" });
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return calls;
    };
    const [a, b] = await Promise.all([cache.get("k", compute), cache.get("k", compute)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
    expect(await cache.get("k", compute)).toBe(1);
  });

  it("drops everything when the data stamp changes, re-reading the stamp only after its TTL", async () => {
    let stamp = "v1";
    let reads = 0;
    const cache = createViewCache({
      stamp: async () => {
        reads++;
        return stamp;
      },
      stampTtlMs: 20,
    });
    let n = 0;
    const compute = async () => ++n;
    expect(await cache.get("k", compute)).toBe(1);
    stamp = "v2";
    expect(await cache.get("k", compute)).toBe(1); // stamp still trusted
    await new Promise((r) => setTimeout(r, 30));
    expect(await cache.get("k", compute)).toBe(2);
    expect(reads).toBe(2);
  });

  it("does not keep failed computations, and evicts the least recently used", async () => {
    const cache = createViewCache({ stamp: async () => "v", maxEntries: 2 });
    await expect(cache.get("bad", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await cache.get("bad", async () => "ok")).toBe("ok");
    await cache.get("a", async () => "a1");
    await cache.get("b", async () => "b1");
    await cache.get("a", async () => "a2"); // a is now most recent
    await cache.get("c", async () => "c1"); // evicts b
    expect(await cache.get("a", async () => "a3")).toBe("a1");
    expect(await cache.get("b", async () => "b2")).toBe("b2");
  });

  it("can be cleared", async () => {
    const cache = createViewCache({ stamp: async () => "v" });
    await cache.get("k", async () => 1);
    cache.clear();
    expect(await cache.get("k", async () => 2)).toBe(2);
  });
});
