/**
 * The analysis over the published data: computed once when data change, stored with the data version, read by every
 * page, API response and export (src/services/analysis/read.ts). See docs/analysis.md.
 *
 * - {@link analyseMeasures} recomputes the measures whose data version changed (all, or the given codes).
 * - {@link onDataChanged} is what imports, publications and rollbacks call afterwards.
 * - {@link refreshReleasedMeasures} picks up batches whose embargo has ended since the last call;
 *   {@link watchEmbargoes} calls it every minute in the server.
 */
import { createHash } from "node:crypto";
import type { Db } from "../../db/database.ts";
import {
  deleteMeasureAnalysis,
  listAnalysisRuns,
  selectMeasuresReleasedBetween,
  selectSourceFingerprints,
  updateRunFingerprint,
} from "../../db/queries/analysis.ts";
import { replaceMeasureAnalysis } from "../../db/queries/analysis-store.ts";
import { findCurrentFramework, listMeasures } from "../../db/queries/framework.ts";
import { visibleObservationsInParts } from "../../db/queries/visible-observations.ts";
import { analyseMeasure } from "./analyse-measure.ts";
import { loadAreaContext, measureSpecOf } from "./context.ts";
import {
  ANALYSIS_CODE_VERSION,
  contextDigest,
  dataVersionOf,
  measureSpecDigest,
  observationIdsDigest,
} from "./data-version.ts";

export { formatNumber, formatValue, summarise } from "../../render/wording/summary.ts";
export { analyseMeasure, PARENT_TYPES, parentTypeFor } from "./analyse-measure.ts";
export {
  compareWithGroup,
  type GroupAreaComparison,
  type GroupComparison,
  type GroupMeasureInfo,
} from "./compare-with-group.ts";
export { loadAreaContext, measureSpecOf } from "./context.ts";
export {
  type AimSummary,
  getAnalysisRuns,
  getAreaResults,
  getGaps,
  getMeasureResults,
  getSeries,
  latestPeriod,
  loadSentenceContext,
  nationalSummary,
  type SentenceContext,
} from "./read.ts";
export type * from "./types.ts";

/** What happened to one measure in an analysis run. */
export interface MeasureRunReport {
  measureCode: string;
  /** analysed: recomputed and stored; unchanged: data version as stored; removed: no visible data any more. */
  status: "analysed" | "unchanged" | "removed" | "failed";
  rows: number;
  gaps: number;
  /** Time to compute (not store) the analysis, in milliseconds. */
  computeMs: number;
  /** Time to compute and store, in milliseconds. */
  ms: number;
  dataVersion: string | null;
  error?: string;
}

export interface AnalyseReport {
  measures: MeasureRunReport[];
  analysed: number;
  rows: number;
  failed: number;
  ms: number;
}

export interface AnalyseOptions {
  /** Recompute even when the data version is unchanged. */
  force?: boolean | undefined;
  /** Public view as at this time (default now); for tests and back-dated checks. */
  asAt?: Date | undefined;
}

/**
 * Recomputes the analysis of the current framework's measures (all, or `measureCodes`) whose data version changed
 * (or all of them with `force`), each replacing that measure's stored rows in one transaction. Measures with no
 * visible data any more, or no longer in the framework, lose their stored analysis. A measure that fails is reported
 * (status "failed") and the others still run.
 */
export async function analyseMeasures(
  db: Db,
  measureCodes?: readonly string[],
  options: AnalyseOptions = {},
): Promise<AnalyseReport> {
  const started = performance.now();
  const report: AnalyseReport = { measures: [], analysed: 0, rows: 0, failed: 0, ms: 0 };
  const framework = await findCurrentFramework(db);
  const all = framework ? await listMeasures(db, framework.id) : [];
  const wanted = measureCodes ? new Set(measureCodes) : null;
  const measures = wanted ? all.filter((m) => wanted.has(m.code)) : all;
  const runs = new Map((await listAnalysisRuns(db)).map((r) => [r.measureCode, r]));
  const ctx = await loadAreaContext(db);
  const ctxDigest = contextDigest(ctx);
  const asAt = options.asAt ?? new Date();
  const sources = await selectSourceFingerprints(db, asAt, wanted ? [...wanted] : undefined);

  for (const m of measures) {
    const t0 = performance.now();
    const entry: MeasureRunReport = {
      measureCode: m.code,
      status: "unchanged",
      rows: 0,
      gaps: 0,
      computeMs: 0,
      ms: 0,
      dataVersion: null,
    };
    try {
      const run = runs.get(m.code);
      const source = sources.get(m.code);
      const spec = measureSpecOf(m);
      const specDigest = measureSpecDigest(spec);
      const fingerprint = createHash("sha256")
        .update(`${ANALYSIS_CODE_VERSION}|${source ?? ""}|${specDigest}|${ctxDigest}`)
        .digest("hex")
        .slice(0, 32);
      if (!options.force && run && source !== undefined && run.inputFingerprint === fingerprint) {
        // Nothing the analysis reads has changed: not even the observations need reading.
        entry.rows = run.rowCount;
        entry.gaps = run.gapCount;
        entry.dataVersion = run.dataVersion;
      } else {
        const observations = source === undefined ? [] : await visibleObservationsInParts(db, m.code, { asAt });
        if (observations.length === 0) {
          if (!run) continue;
          await deleteMeasureAnalysis(db, m.code);
          entry.status = "removed";
        } else {
          const version = dataVersionOf(observationIdsDigest(observations.map((o) => o.id)), specDigest, ctxDigest);
          entry.dataVersion = version;
          if (!options.force && run?.dataVersion === version) {
            await updateRunFingerprint(db, m.code, fingerprint);
            entry.rows = run.rowCount;
            entry.gaps = run.gapCount;
          } else {
            const c0 = performance.now();
            const analysis = analyseMeasure(spec, observations, ctx, version);
            entry.computeMs = performance.now() - c0;
            const stored = await replaceMeasureAnalysis(db, {
              measureCode: m.code,
              dataVersion: version,
              inputFingerprint: fingerprint,
              // written a batch of rows at a time, straight from the columns (the sentences are made when read)
              results: { rowCount: analysis.rowCount, rows: analysis.storedRows },
              gaps: analysis.gaps,
              ms: performance.now() - t0,
              force: options.force,
            });
            if (stored) {
              entry.status = "analysed";
              entry.rows = analysis.rowCount;
              entry.gaps = analysis.gaps.length;
              report.analysed++;
              report.rows += entry.rows;
            }
          }
        }
      }
    } catch (error) {
      entry.status = "failed";
      entry.error = error instanceof Error ? error.message : String(error);
      report.failed++;
    }
    entry.ms = performance.now() - t0;
    report.measures.push(entry);
  }

  // Stored analyses of measures that left the framework.
  const known = new Set(all.map((m) => m.code));
  for (const code of runs.keys()) {
    if (known.has(code) || (wanted && !wanted.has(code))) continue;
    await deleteMeasureAnalysis(db, code);
    report.measures.push({
      measureCode: code,
      status: "removed",
      rows: 0,
      gaps: 0,
      computeMs: 0,
      ms: 0,
      dataVersion: null,
    });
  }
  report.ms = performance.now() - started;
  return report;
}

/**
 * Call after data changed (an import published, a batch rolled back or withdrawn): re-analyses the given measures.
 * Never throws for a measure's failure (it is in the report); the data change itself has already been committed.
 */
export async function onDataChanged(db: Db, measureCodes: readonly string[]): Promise<AnalyseReport> {
  if (measureCodes.length === 0) return { measures: [], analysed: 0, rows: 0, failed: 0, ms: 0 };
  return analyseMeasures(db, [...new Set(measureCodes)]);
}

/**
 * Re-analyses measures with batches whose embargo (`publish_at`) ended after `since` and by `now`, and returns the
 * report and the time to pass as `since` next time. For a periodic timer in the server.
 */
export async function refreshReleasedMeasures(
  db: Db,
  since: Date,
  now = new Date(),
): Promise<{ report: AnalyseReport; next: Date }> {
  const codes = await selectMeasuresReleasedBetween(db, since, now);
  return { report: await onDataChanged(db, codes), next: now };
}

/**
 * Re-analyses measures whose embargo ends, checking every `intervalMs` (default one minute), so pages never show an
 * analysis older than the public data by more than that. Returns a function that stops the watch; the timer does not
 * keep the process alive. Failures are passed to `onError` (default: ignored until the next tick).
 */
export function watchEmbargoes(
  db: Db,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): () => void {
  let since = new Date();
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      since = (await refreshReleasedMeasures(db, since)).next;
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
    }
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
