/**
 * What happens when published data change (an import published, a batch published or rolled back, by a page, the
 * API or a command): the cached public views are dropped and the stored analysis is brought up to date before the
 * change is reported done, so it shows on the next request. In a server the analysis runs in the analysis worker
 * (services/analysis/background.ts), never in the thread that answers requests; a one-shot command analyses in its
 * own thread ("inline"). A server also notices changes made by other processes and passing embargoes within two
 * seconds ({@link DataChanges.watch}).
 */
import type { Database } from "../db/database.ts";
import { type AnalysisRunner, createAnalysisRunner, watchPublicData } from "./analysis/background.ts";
import { type AnalyseOptions, type AnalyseReport, analyseMeasures } from "./analysis/index.ts";

export type AnalysisMode = "worker" | "inline";

export interface DataChanges {
  /** Recomputes the analysis of `codes` (all measures by default): in the worker, or here when inline. */
  analyse(codes?: readonly string[], options?: AnalyseOptions): Promise<AnalyseReport>;
  /**
   * Call after published data changed: brings the analysis up to date and waits for it (in a server at most `waitMs`,
   * default 30 s), so that the next request shows the change. Until the analysis is stored, readers are served the
   * cached views of before the change (from memory, so a large publication never stalls the site); then the cache is
   * dropped. Never throws: the change is already committed.
   */
  changed(options?: { waitMs?: number }): Promise<AnalyseReport | null>;
  /** Starts noticing changes by other processes and passing embargoes (every two seconds). */
  watch(): void;
  close(): Promise<void>;
}

export function createDataChanges(
  database: Database,
  options: {
    mode: AnalysisMode;
    /** Heap limit of the analysis worker, in MB. */
    memoryMb?: number | undefined;
    dropCachedViews: () => void;
    /** Keeps the cached views served until the returned release is called (see `ViewCache.hold`). */
    holdCachedViews?: () => () => void;
    onReport?: (report: AnalyseReport) => void;
    onError?: (error: unknown) => void;
  },
): DataChanges {
  let runner: AnalysisRunner | null = null;
  let stopWatch: (() => void) | null = null;
  const onError = options.onError ?? (() => {});
  const getRunner = () => {
    runner ??= createAnalysisRunner(database, {
      memoryMb: options.memoryMb,
      onAnalysed: (report) => {
        options.dropCachedViews();
        options.onReport?.(report);
      },
      onError,
    });
    return runner;
  };
  const analyse = async (codes?: readonly string[], o: AnalyseOptions = {}) => {
    if (options.mode === "worker" && o.asAt === undefined) return getRunner().analyse(codes, o);
    const report = await analyseMeasures(database.db, codes, o);
    options.dropCachedViews();
    options.onReport?.(report);
    return report;
  };
  return {
    analyse,
    async changed(o = {}) {
      // readers keep the previous views (data and analysis together) until the new analysis is stored
      const release = options.holdCachedViews?.() ?? (() => {});
      if (!options.holdCachedViews) options.dropCachedViews();
      const done = analyse()
        .catch((error: unknown) => {
          onError(error);
          return null;
        })
        .finally(() => {
          release();
          options.dropCachedViews();
        });
      if (options.mode === "inline") return done;
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          done,
          new Promise<null>((resolve) => {
            timer = setTimeout(() => resolve(null), o.waitMs ?? 30_000);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    watch() {
      stopWatch ??= watchPublicData(database, () => analyse(), { onError });
    },
    async close() {
      stopWatch?.();
      stopWatch = null;
      await runner?.close();
      runner = null;
    },
  };
}
