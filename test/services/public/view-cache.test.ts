import { describe, expect, it } from "vitest";
import { approximateSize, createViewCache } from "../../../src/services/public/view-cache.ts";

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
      stampTtlMs: 1000, // long enough that a loaded machine still trusts it between the next two calls
    });
    let n = 0;
    const compute = async () => ++n;
    expect(await cache.get("k", compute)).toBe(1);
    stamp = "v2";
    expect(await cache.get("k", compute)).toBe(1); // stamp still trusted
    await new Promise((r) => setTimeout(r, 1100));
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

  it("while held, serves what it has without reading the stamp, and drops everything when the last hold ends", async () => {
    let stamp = "v1";
    let reads = 0;
    const cache = createViewCache({
      stamp: async () => {
        reads++;
        return stamp;
      },
      stampTtlMs: 0, // the stamp would be re-read on every call
    });
    let n = 0;
    const compute = async () => ++n;
    expect(await cache.get("k", compute)).toBe(1);
    const release = cache.hold();
    const inner = cache.hold();
    stamp = "v2";
    const readsAtHold = reads;
    expect(await cache.get("k", compute)).toBe(1); // the previous view, although the data changed
    expect(await cache.get("other", compute)).toBe(2); // a view not cached yet is computed
    expect(reads).toBe(readsAtHold); // no query while held
    inner();
    inner(); // releasing twice counts once
    expect(await cache.get("k", compute)).toBe(1); // still held
    release();
    expect(cache.usage().entries).toBe(0);
    expect(await cache.get("k", compute)).toBe(3);
    expect(reads).toBe(readsAtHold + 1);
  });

  it("can be cleared", async () => {
    const cache = createViewCache({ stamp: async () => "v" });
    await cache.get("k", async () => 1);
    cache.clear();
    expect(await cache.get("k", async () => 2)).toBe(2);
  });

  it("keeps within its byte budget, dropping the least recently used first", async () => {
    const cache = createViewCache({ stamp: async () => "v", maxBytes: 100_000 });
    const page = (c: string) => async () => c.repeat(20_000); // about 40 kB each
    await cache.get("a", page("a"));
    await cache.get("b", page("b"));
    expect(cache.usage()).toMatchObject({ entries: 2, maxBytes: 100_000 });
    await cache.get("a", page("x")); // a is now the most recent
    await cache.get("c", page("c")); // over budget: b goes
    const u = cache.usage();
    expect(u.entries).toBe(2);
    expect(u.bytes).toBeLessThanOrEqual(100_000);
    expect(await cache.get("a", page("y"))).toBe("a".repeat(20_000));
    expect(await cache.get("b", page("z"))).toBe("z".repeat(20_000));
    // a value bigger than the whole budget is returned but not kept
    expect(await cache.get("huge", page("h".repeat(10)))).toHaveLength(200_000);
    expect(cache.usage().bytes).toBeLessThanOrEqual(100_000);
    cache.clear();
    expect(cache.usage()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it("weighs values: strings, buffers, nested objects and maps, shared parts once", () => {
    const text = "x".repeat(1000);
    expect(approximateSize(text)).toBeGreaterThanOrEqual(2000);
    expect(approximateSize(Buffer.alloc(5000))).toBeGreaterThanOrEqual(5000);
    const shared = { rows: Array.from({ length: 100 }, (_, i) => ({ i, label: `row ${i}` })) };
    const once = approximateSize(shared);
    expect(approximateSize({ a: shared, b: shared, m: new Map([["k", shared]]) })).toBeLessThan(once + 500);
    const cyclic: Record<string, unknown> = { text };
    cyclic.self = cyclic;
    expect(approximateSize(cyclic)).toBeGreaterThanOrEqual(2000);
  });
});
