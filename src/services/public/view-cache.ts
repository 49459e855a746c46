/**
 * A small in-memory cache for public views (page models, page HTML, downloads, API bodies), keyed by the public data
 * stamp: when the stamp changes (publication, rollback, new analysis, framework change) everything is dropped. The
 * stamp is re-read at most every `stampTtlMs`, so a busy page costs one cheap query per interval rather than its
 * full set of queries per request. Concurrent requests for the same key share one computation.
 *
 * The cache is bounded twice: by entries and by an approximate byte budget (each value is weighed once, when it is
 * computed); the least recently used entries are dropped first. Callers key entries by validated, normalised
 * choices only, so parameters nobody knows cannot add entries (issue 11, item 10).
 */

export interface ViewCacheOptions {
  /** Reads the current stamp (see `publicDataStamp`). */
  stamp: () => Promise<string>;
  /** How long a read stamp is trusted (default 2 s). */
  stampTtlMs?: number;
  /** Most entries kept (default 500). */
  maxEntries?: number;
  /** Most bytes kept, as weighed by `approximateSize` (default `DEFAULT_CACHE_BYTES`). */
  maxBytes?: number;
}

export interface ViewCache {
  /** The cached value for `key`, computing it once if missing or stale. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** The current stamp (re-read when older than the TTL). */
  stamp(): Promise<string>;
  /** Drops everything (e.g. after this process published data). */
  clear(): void;
  /**
   * Keeps serving what is cached, whatever the stamp says, until every returned release has been called; then drops
   * everything. While a change is being made and analysed (a publication, a rollback) readers get the previous
   * views, answered from memory without a query, instead of new data beside the old analysis; views not cached yet
   * are computed as usual and dropped at the release. Holds nest.
   */
  hold(): () => void;
  /** How full the cache is, and its bounds. */
  usage(): { entries: number; bytes: number; maxEntries: number; maxBytes: number };
}

export const DEFAULT_CACHE_BYTES = 128 * 1024 * 1024;

/**
 * An upper estimate of the memory a value holds: strings at two bytes a character, buffers at their length, and a
 * few words per object, array element, map entry and number. Shared parts are counted once per value.
 */
export function approximateSize(value: unknown): number {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  let bytes = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") bytes += 16 + v.length * 2;
    else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") bytes += 8;
    else if (typeof v === "object" && v !== null && !seen.has(v)) {
      seen.add(v);
      if (ArrayBuffer.isView(v)) bytes += 64 + v.byteLength;
      else if (v instanceof ArrayBuffer) bytes += 64 + v.byteLength;
      else if (v instanceof Map) {
        bytes += 32 + v.size * 24;
        for (const [k, x] of v) stack.push(k, x);
      } else if (v instanceof Set) {
        bytes += 32 + v.size * 16;
        for (const x of v) stack.push(x);
      } else if (Array.isArray(v)) {
        bytes += 32 + v.length * 8;
        for (const x of v) stack.push(x);
      } else if (v instanceof Date) bytes += 32;
      else {
        const values = Object.values(v);
        bytes += 32 + values.length * 16;
        for (const x of values) stack.push(x);
      }
    }
  }
  return bytes;
}

export function createViewCache(options: ViewCacheOptions): ViewCache {
  const ttl = options.stampTtlMs ?? 2000;
  const maxEntries = options.maxEntries ?? 500;
  const maxBytes = options.maxBytes ?? DEFAULT_CACHE_BYTES;
  let current: { value: string; at: number } | null = null;
  let holds = 0;
  let pendingStamp: Promise<string> | null = null;
  const entries = new Map<string, { value: Promise<unknown>; bytes: number }>();
  let bytes = 0;

  function drop(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  }

  function clearEntries(): void {
    entries.clear();
    bytes = 0;
  }

  function evict(): void {
    while (entries.size > 0 && (entries.size > maxEntries || bytes > maxBytes)) {
      drop(entries.keys().next().value as string);
    }
  }

  async function stamp(): Promise<string> {
    if (current && (holds > 0 || Date.now() - current.at < ttl)) return current.value;
    if (!pendingStamp) {
      pendingStamp = options
        .stamp()
        .then((value) => {
          if (current && current.value !== value && holds === 0) clearEntries();
          current = { value, at: Date.now() };
          return value;
        })
        .finally(() => {
          pendingStamp = null;
        });
    }
    return pendingStamp;
  }

  return {
    stamp,
    async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      await stamp();
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return hit.value as Promise<T>;
      }
      const p = compute();
      const entry = { value: p as Promise<unknown>, bytes: 0 };
      entries.set(key, entry);
      p.then(
        (value) => {
          if (entries.get(key) !== entry) return; // dropped or replaced meanwhile
          entry.bytes = approximateSize(value);
          bytes += entry.bytes;
          evict();
        },
        () => {
          if (entries.get(key) === entry) drop(key);
        },
      );
      evict();
      return p;
    },
    clear() {
      clearEntries();
      current = null;
    },
    hold() {
      holds++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        if (holds === 0) {
          clearEntries();
          current = null;
        }
      };
    },
    usage: () => ({ entries: entries.size, bytes, maxEntries, maxBytes }),
  };
}
