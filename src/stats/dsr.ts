/**
 * Directly standardised rates with Dobson confidence intervals — `calculate_dsr` (METHODS.md §5).
 */

import { byarsLimits } from "./byars.ts";
import { normaliseConfidence } from "./confidence.ts";
import { optionalFiniteNumber, requireFiniteNumber, requireMultiplier } from "./interval-checks.ts";
import type { IntervalEstimate } from "./interval-estimate.ts";

/** One age band of one area (independent events). */
export interface DsrRow {
  /** Events in the band; null/undefined is treated as 0. */
  count: number | null | undefined;
  /** Population of the band; must be > 0. */
  population: number;
  /** Standard population weight of the band (e.g. ESP2013); must be >= 0. */
  standardPopulation: number;
}

/**
 * One (age band, event frequency) cell for non-independent events: `count` is the number of
 * individuals with exactly `eventFrequency` events in that band (null/undefined = 0).
 */
export interface DsrFrequencyRow extends DsrRow {
  /** Age band label; rows with the same label must have the same population and standard population. */
  ageBand: string;
  /** Number of events per individual (f >= 0). */
  eventFrequency: number;
}

/** Options for {@link dsr}. */
export interface DsrOptions {
  /** 0.9–1 or 90–100; default 0.95. */
  confidence?: number;
  /** Rate per `multiplier` population; default 100000. */
  multiplier?: number;
  /**
   * true (default): each row's `count` is a number of independent events.
   * false: rows are {@link DsrFrequencyRow}s and the variance is adjusted for individuals with several events.
   */
  independentEvents?: boolean;
}

/** A DSR with its Dobson interval. */
export interface DsrEstimate extends IntervalEstimate {
  /** Total events O = Σ xᵢ. */
  totalCount: number;
  /** Total population Σ nᵢ (over distinct age bands). */
  totalPopulation: number;
  /** True when O < 10: value and limits are null ("dsr NA for total count < 10"). */
  suppressed: boolean;
  method: "Dobson" | "Dobson, with confidence adjusted for non-independent events";
}

/** DSRs are not published (value and limits null) when the total count is below this. */
export const DSR_MINIMUM_TOTAL_COUNT = 10;

interface Band {
  count: number;
  population: number;
  standardPopulation: number;
}

function validateBand(row: DsrRow, index: number): Band {
  const count = optionalFiniteNumber(row.count, `rows[${index}].count`) ?? 0;
  if (count < 0) throw new Error(`rows[${index}].count must be >= 0; got ${count}`);
  requireFiniteNumber(row.population, `rows[${index}].population`);
  if (row.population <= 0) throw new Error(`rows[${index}].population must be > 0; got ${row.population}`);
  requireFiniteNumber(row.standardPopulation, `rows[${index}].standardPopulation`);
  if (row.standardPopulation < 0) {
    throw new Error(`rows[${index}].standardPopulation must be >= 0; got ${row.standardPopulation}`);
  }
  return { count, population: row.population, standardPopulation: row.standardPopulation };
}

/** Unscaled Dobson variance term Σ xᵢ (wᵢ/nᵢ)² / (Σ wᵢ)². */
function dsrVariance(bands: readonly Band[]): number {
  let weighted = 0;
  let totalWeight = 0;
  for (const b of bands) {
    weighted += b.count * (b.standardPopulation / b.population) ** 2;
    totalWeight += b.standardPopulation;
  }
  return weighted / (totalWeight * totalWeight);
}

/** Collapses frequency rows into event counts per age band and the non-independent variance. */
function collapseFrequencies(rows: readonly DsrFrequencyRow[]): { bands: Band[]; variance: number } {
  const byBand = new Map<string, Band>();
  const byFrequency = new Map<number, Band[]>();
  rows.forEach((row, i) => {
    const band = validateBand(row, i);
    if (typeof row.ageBand !== "string") throw new Error(`rows[${i}].ageBand must be a string`);
    requireFiniteNumber(row.eventFrequency, `rows[${i}].eventFrequency`);
    if (row.eventFrequency < 0) throw new Error(`rows[${i}].eventFrequency must be >= 0; got ${row.eventFrequency}`);
    const f = row.eventFrequency;
    const existing = byBand.get(row.ageBand);
    if (existing === undefined) {
      byBand.set(row.ageBand, { ...band, count: f * band.count });
    } else {
      if (existing.population !== band.population || existing.standardPopulation !== band.standardPopulation) {
        throw new Error(
          `age band "${row.ageBand}" has different population or standardPopulation across event frequencies`,
        );
      }
      existing.count += f * band.count;
    }
    const cells = byFrequency.get(f) ?? [];
    cells.push(band);
    byFrequency.set(f, cells);
  });
  let variance = 0;
  for (const [f, cells] of byFrequency) variance += f * f * dsrVariance(cells);
  return { bands: [...byBand.values()], variance };
}

/**
 * Directly standardised rate of one area:
 * value = Σ xᵢ wᵢ/nᵢ / Σ wᵢ × multiplier, with Dobson limits
 * value + √(var/O)·(Y − O)·multiplier where Y is Byar's limit for O = Σ xᵢ (no exact branch).
 *
 * With `independentEvents: false` the rows are (age band, event frequency) cells ({@link DsrFrequencyRow})
 * and var = Σ_f f²·var_f (METHODS.md §5).
 *
 * **Returns null value/lower/upper when the total count O < 10** (`suppressed: true`).
 *
 * @throws Error for an empty row list, a population <= 0, a standard population < 0 or summing to 0, a negative
 *   count, non-finite numbers, inconsistent age bands (non-independent), or an invalid confidence/multiplier
 */
export function dsr(rows: readonly DsrRow[] | readonly DsrFrequencyRow[], options: DsrOptions = {}): DsrEstimate {
  const confidence = normaliseConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 100000);
  const independent = options.independentEvents ?? true;
  if (!Array.isArray(rows) || rows.length === 0) throw new Error("rows must be a non-empty array");
  const { bands, variance } = independent
    ? (() => {
        const b = (rows as readonly DsrRow[]).map(validateBand);
        return { bands: b, variance: dsrVariance(b) };
      })()
    : collapseFrequencies(rows as readonly DsrFrequencyRow[]);
  const method = independent ? "Dobson" : "Dobson, with confidence adjusted for non-independent events";

  let totalCount = 0;
  let totalPopulation = 0;
  let totalWeight = 0;
  let weightedRate = 0;
  for (const b of bands) {
    totalCount += b.count;
    totalPopulation += b.population;
    totalWeight += b.standardPopulation;
    weightedRate += (b.count * b.standardPopulation) / b.population;
  }
  if (totalWeight <= 0) throw new Error("standardPopulation must not sum to 0");

  if (totalCount < DSR_MINIMUM_TOTAL_COUNT) {
    return {
      value: null,
      lower: null,
      upper: null,
      confidence,
      totalCount,
      totalPopulation,
      suppressed: true,
      method,
    };
  }
  const value = (weightedRate / totalWeight) * multiplier;
  const byars = byarsLimits(totalCount, confidence);
  const scale = Math.sqrt(variance / totalCount);
  return {
    value,
    lower: byars.lower === null ? null : value + scale * (byars.lower - totalCount) * multiplier,
    upper: value + scale * (byars.upper - totalCount) * multiplier,
    confidence,
    totalCount,
    totalPopulation,
    suppressed: false,
    method,
  };
}
