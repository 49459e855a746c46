/**
 * What a server does when published data change (an import published, a batch published or rolled back, by a page,
 * the API or a command handed to the server): drop its cached public views and bring the stored analysis up to date
 * in the analysis worker (services/analysis/background.ts), so the change shows on the next request. Changes made by
 * other processes are noticed by {@link DataChanges.watch} within two seconds.
 */
import type { Database } from "../db/database.ts";
import { type AnalysisRunner, createAnalysisRunner, watchPublicData } from "./analysis/background.ts";
import type { AnalyseReport } from "./analysis/index.ts";

export interface DataChanges {
  readonly runner: AnalysisRunner;
  /**
   * Call after this process changed published data: drops the cached views and waits (at most `waitMs`, default
   * 30 s) for the analysis of the change, so that the next request shows it. Never throws: the change is committed.
   */
  changed(options?: { waitMs?: number }): Promise<AnalyseReport | null>;
  /** Starts noticing changes by other processes and passing embargoes (every two seconds). */
  watch(onError?: (error: unknown) => void): void;
  close(): Promise<void>;
}

export function createDataChanges(
  database: Database,
  dropCachedViews: () => void,
  log: { error(error: unknown): void } = { error: () => {} },
): DataChanges {
  let runner: AnalysisRunner | null = null;
  let stopWatch: (() => void) | null = null;
  const getRunner = () => {
    runner ??= createAnalysisRunner(database, { onAnalysed: dropCachedViews, onError: (e) => log.error(e) });
    return runner;
  };
  return {
    get runner() {
      return getRunner();
    },
    async changed(options = {}) {
      dropCachedViews();
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          getRunner().analyse(),
          new Promise<null>((resolve) => {
            timer = setTimeout(() => resolve(null), options.waitMs ?? 30_000);
          }),
        ]);
      } catch (error) {
        log.error(error);
        return null;
      } finally {
        clearTimeout(timer);
        dropCachedViews();
      }
    },
    watch(onError) {
      stopWatch ??= watchPublicData(database, () => getRunner().analyse(), { onError });
    },
    async close() {
      stopWatch?.();
      stopWatch = null;
      await runner?.close();
      runner = null;
    },
  };
}
