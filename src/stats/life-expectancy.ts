/**
 * Life expectancy from an abridged life table (Chiang II) with Chiang/Silcocks confidence intervals —
 * `phe_life_expectancy` (METHODS.md §8; Chiang 1968, Silcocks et al. 2001).
 */

import { normaliseConfidence, zFor } from "./confidence.ts";
import { requireFiniteNumber } from "./interval-checks.ts";
import type { IntervalEstimate } from "./interval-estimate.ts";

/** One age band of one area. */
export interface LifeTableBand {
  /** First age in the band (0, 1, 5, 10, …, 90 by default). */
  startAge: number;
  /** Deaths in the band. */
  deaths: number;
  /** Population of the band. */
  population: number;
}

/** Options for {@link lifeExpectancy}. */
export interface LifeExpectancyOptions {
  /** 0.9–1 or 90–100; default 0.95. */
  confidence?: number;
}

/** Why a whole area's life table was not computed (METHODS.md §8 suppression rules). */
export type LifeExpectancySuppression =
  | "band count is not 20"
  | "negative deaths"
  | "population not > 0"
  | "deaths exceed population"
  | "total population <= 5000";

/** Life expectancy at one start age. */
export interface LifeExpectancyEstimate extends IntervalEstimate {
  startAge: number;
  /** Population from this age upward. */
  populationUsed: number;
  /** Deaths from this age upward. */
  deathsUsed: number;
  /** Set (and value/lower/upper null) when the whole area was suppressed. */
  suppressed: LifeExpectancySuppression | null;
  method: "Chiang, using Silcocks et al for confidence limits";
}

/** Number of age bands the method requires. */
export const LIFE_TABLE_BANDS = 20;
/** Areas with a total population at or below this are suppressed. */
export const LIFE_TABLE_MINIMUM_POPULATION = 5000;
/** The life table's radix l₁. */
const RADIX = 100000;
/** Values are suppressed (limits kept) when the 95% half-width exceeds this many years. */
const MAX_HALF_WIDTH_95 = 10;
const Z_95 = 1.959963984540054;

function suppressionReason(bands: readonly LifeTableBand[]): LifeExpectancySuppression | null {
  if (bands.length !== LIFE_TABLE_BANDS) return "band count is not 20";
  if (bands.some((b) => b.deaths < 0)) return "negative deaths";
  if (bands.some((b) => b.population <= 0)) return "population not > 0";
  if (bands.some((b) => b.deaths > b.population)) return "deaths exceed population";
  const total = bands.reduce((s, b) => s + b.population, 0);
  if (total <= LIFE_TABLE_MINIMUM_POPULATION) return "total population <= 5000";
  return null;
}

/**
 * Life expectancy at each band's start age for one area (20 bands, any order; sorted by start age).
 *
 * Abridged life table (Chiang II), aᵢ = 0.1 for age 0 and 0.5 otherwise, last band open-ended; standard
 * errors by Chiang with Silcocks' last-band term; limits eᵢ ± z·SE(eᵢ).
 *
 * Suppression (METHODS.md §8): if the area does not have exactly 20 bands, has negative deaths, a
 * population <= 0, deaths above population in any band, or a total population <= 5000, **every row has null
 * value/lower/upper** and `suppressed` gives the reason. Where the 95% interval is wider than 20 years
 * (1.959963984540054 × SE > 10) the **value is null but the limits are kept** (reference quirk). An
 * infinite value (no deaths in the last band) is null. When combining areas, the reference lists
 * suppressed areas after the computed ones.
 *
 * @returns one estimate per band, in start-age order
 * @throws Error if any start age, deaths or population is not a finite number, start ages repeat, or the
 *   confidence is invalid
 */
export function lifeExpectancy(
  bands: readonly LifeTableBand[],
  options: LifeExpectancyOptions = {},
): LifeExpectancyEstimate[] {
  const confidence = normaliseConfidence(options.confidence);
  if (!Array.isArray(bands) || bands.length === 0) throw new Error("bands must be a non-empty array");
  bands.forEach((b, i) => {
    requireFiniteNumber(b.startAge, `bands[${i}].startAge`);
    requireFiniteNumber(b.deaths, `bands[${i}].deaths`);
    requireFiniteNumber(b.population, `bands[${i}].population`);
  });
  const sorted = [...bands].sort((a, b) => a.startAge - b.startAge);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.startAge === sorted[i - 1]!.startAge) throw new Error(`startAge ${sorted[i]!.startAge} repeats`);
  }
  const method = "Chiang, using Silcocks et al for confidence limits" as const;

  const K = sorted.length;
  const populationUsed: number[] = new Array(K);
  const deathsUsed: number[] = new Array(K);
  let cumulativePopulation = 0;
  let cumulativeDeaths = 0;
  for (let i = K - 1; i >= 0; i--) {
    cumulativePopulation += sorted[i]!.population;
    cumulativeDeaths += sorted[i]!.deaths;
    populationUsed[i] = cumulativePopulation;
    deathsUsed[i] = cumulativeDeaths;
  }

  const suppressed = suppressionReason(sorted);
  if (suppressed !== null) {
    return sorted.map((b, i) => ({
      startAge: b.startAge,
      value: null,
      lower: null,
      upper: null,
      confidence,
      populationUsed: populationUsed[i]!,
      deathsUsed: deathsUsed[i]!,
      suppressed,
      method,
    }));
  }

  const z = zFor(confidence);
  const last = K - 1;
  const D = sorted.map((b) => b.deaths);
  const P = sorted.map((b) => b.population);
  const M = sorted.map((b) => b.deaths / b.population);
  const a = sorted.map((b) => (b.startAge === 0 ? 0.1 : 0.5));
  const n = sorted.map((b, i) => (i < last ? sorted[i + 1]!.startAge - b.startAge : 2 / M[i]!));
  const q = sorted.map((_, i) => {
    const mn = M[i]! * n[i]!;
    return D[i]! <= P[i]! / n[i]! / a[i]! ? mn / (1 + mn * (1 - a[i]!)) : 1;
  });
  const l: number[] = new Array(K + 1);
  l[0] = RADIX;
  for (let i = 1; i < K; i++) l[i] = l[i - 1]! * (1 - q[i - 1]!);
  l[K] = 0;
  const d = sorted.map((_, i) => l[i]! - l[i + 1]!);
  const L = sorted.map((_, i) => (i < last ? n[i]! * (l[i + 1]! + a[i]! * d[i]!) : l[i]! / M[i]!));
  const T: number[] = new Array(K);
  let runningT = 0;
  for (let i = last; i >= 0; i--) {
    runningT += L[i]!;
    T[i] = runningT;
  }
  const e = sorted.map((_, i) => (l[i] === 0 ? 0 : T[i]! / l[i]!));
  const s2 = sorted.map((_, i) => {
    if (i === last) return 4 / (D[i]! * M[i]! * M[i]!);
    return d[i] === 0 ? 0 : (q[i]! * q[i]! * (1 - q[i]!)) / D[i]!;
  });
  const W = sorted.map((_, i) => {
    if (i === last) return (l[i]! / 2) ** 2 * s2[i]!;
    return s2[i]! * l[i]! * l[i]! * ((1 - a[i]!) * n[i]! + e[i + 1]!) ** 2;
  });

  const result: LifeExpectancyEstimate[] = new Array(K);
  let cumulativeW = 0;
  for (let i = last; i >= 0; i--) {
    cumulativeW += W[i]!;
    const se = Math.sqrt(cumulativeW / (l[i]! * l[i]!));
    const ei = e[i]!;
    const finite = Number.isFinite(ei) && Number.isFinite(se);
    const lower = finite ? ei - z * se : null;
    const upper = finite ? ei + z * se : null;
    const value = !Number.isFinite(ei) || Z_95 * se > MAX_HALF_WIDTH_95 ? null : ei;
    result[i] = {
      startAge: sorted[i]!.startAge,
      value,
      lower,
      upper,
      confidence,
      populationUsed: populationUsed[i]!,
      deathsUsed: deathsUsed[i]!,
      suppressed: null,
      method,
    };
  }
  return result;
}
