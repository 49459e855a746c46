/**
 * A small in-memory cache for public views (page models, API bodies), keyed by the public data stamp: when the
 * stamp changes (publication, rollback, new analysis, framework change) everything is dropped. The stamp is re-read
 * at most every `stampTtlMs`, so a busy page costs one cheap query per interval rather than its full set of queries
 * per request. Concurrent requests for the same key share one computation.
 */

export interface ViewCacheOptions {
  /** Reads the current stamp (see `publicDataStamp`). */
  stamp: () => Promise<string>;
  /** How long a read stamp is trusted (default 2 s). */
  stampTtlMs?: number;
  /** Most entries kept (least recently used are dropped first; default 500). */
  maxEntries?: number;
}

export interface ViewCache {
  /** The cached value for `key`, computing it once if missing or stale. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** The current stamp (re-read when older than the TTL). */
  stamp(): Promise<string>;
  /** Drops everything (e.g. after this process published data). */
  clear(): void;
}

export function createViewCache(options: ViewCacheOptions): ViewCache {
  const ttl = options.stampTtlMs ?? 2000;
  const max = options.maxEntries ?? 500;
  let current: { value: string; at: number } | null = null;
  let pendingStamp: Promise<string> | null = null;
  const entries = new Map<string, Promise<unknown>>();

  async function stamp(): Promise<string> {
    if (current && Date.now() - current.at < ttl) return current.value;
    if (!pendingStamp) {
      pendingStamp = options
        .stamp()
        .then((value) => {
          if (current && current.value !== value) entries.clear();
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
        return hit as Promise<T>;
      }
      const p = compute();
      entries.set(key, p);
      p.catch(() => entries.delete(key));
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
      return p;
    },
    clear() {
      entries.clear();
      current = null;
    },
  };
}
