/**
 * Comparison of an area's value with a benchmark (England / Wales / region / parent), as in
 * Fingertips (METHODS §11). Pure functions; no I/O.
 */

import { zFor } from "./confidence.ts";
import { assertOneOf } from "./input-checks.ts";
import { optionalFiniteNumber } from "./interval-checks.ts";
import { poissonFunnelLimit } from "./poisson-funnel.ts";
import {
  COMPARISON_METHODS,
  type ComparisonMethod,
  POLARITIES,
  type Polarity,
  type Significance,
  type SignificanceLevel,
} from "./types.ts";

/** The area being compared. Missing values are `null`/`undefined` (never a sentinel like −1). */
export interface BenchmarkArea {
  value: number | null | undefined;
  /** 95% confidence limits (all CI methods). */
  lower95?: number | null;
  upper95?: number | null;
  /** 99.8% confidence limits (`single_ci_two_levels`). */
  lower998?: number | null;
  upper998?: number | null;
  /**
   * `spc_proportion`: the area's denominator N. `spc_dsr`: the population the rate is based on
   * (Fingertips `Denominator2`).
   */
  denominator?: number | null;
}

/** The benchmark: a bare value, or a value with its 95% CI (needed by `double_overlap_95`). */
export type BenchmarkInput =
  | number
  | null
  | undefined
  | { value: number | null | undefined; lower95?: number | null; upper95?: number | null };

export interface CompareWithBenchmarkOptions {
  method: ComparisonMethod;
  polarity: Polarity;
  /**
   * SPC methods only: the scale the values are expressed on (100 for a percentage,
   * 100000 for a rate per 100,000). Required for `spc_proportion` and `spc_dsr`.
   */
  unit?: number;
  /**
   * SPC methods only: the control-limit level, 0.95 (default) or 0.998 (95 / 99.8 also accepted).
   * It is also the `level` reported for a significant SPC result.
   */
  confidence?: number;
  /**
   * `spc_proportion` only: the z multiplier ("confidence variable") to use instead of the exact
   * normal quantile for `confidence`. Fingertips uses the rounded constants 1.96 and 3.0902.
   */
  z?: number;
}

export interface BenchmarkComparison {
  significance: Significance;
  /** Level at which the difference is significant; `null` when similar or not compared. */
  level: SignificanceLevel | null;
  /** SPC methods: the control limits around the benchmark on the value scale (when compared). */
  controlLimits?: { lower: number; upper: number };
}

type RawOutcome = "higher" | "similar" | "lower" | "not_compared";

const NOT_COMPARED: BenchmarkComparison = Object.freeze({ significance: "not_compared", level: null });

/** Normalises an SPC confidence argument to 95 or 99.8 (the only levels Fingertips uses). */
function spcLevel(confidence: number | undefined): SignificanceLevel {
  if (confidence === undefined) return 95;
  const c = typeof confidence === "number" && confidence >= 90 ? confidence / 100 : confidence;
  if (typeof c === "number" && Math.abs(c - 0.95) < 1e-12) return 95;
  if (typeof c === "number" && Math.abs(c - 0.998) < 1e-12) return 99.8;
  throw new Error(`compareWithBenchmark: confidence must be 0.95 or 0.998 (or 95 / 99.8); got ${String(confidence)}`);
}

/**
 * Maps a raw higher/lower outcome to better/worse according to polarity (Fingertips
 * `AdjustForPolarity`: "higher" counts as better unless lower is better; no judgement keeps
 * higher/lower).
 */
function applyPolarity(raw: RawOutcome, polarity: Polarity): Significance {
  if (raw === "similar" || raw === "not_compared") return raw;
  if (polarity === "no_judgement") return raw;
  const higherIsBetter = polarity === "higher_is_better";
  return (raw === "higher") === higherIsBetter ? "better" : "worse";
}

function checkInterval(lower: number, upper: number, what: string): void {
  if (lower > upper) {
    throw new Error(`compareWithBenchmark: ${what} lower limit (${lower}) is greater than the upper limit (${upper})`);
  }
}

/** The comparison of a raw outcome at a level, by polarity (a module function: this runs millions of times). */
function outcome(raw: RawOutcome, polarity: Polarity, level: SignificanceLevel | null): BenchmarkComparison {
  return { significance: applyPolarity(raw, polarity), level: raw === "higher" || raw === "lower" ? level : null };
}

/** Outcome of a single-CI comparison: similar, higher or lower at 95%, higher or lower at 99.8%. */
export const SIMILAR = 0;
const HIGHER_95 = 1;
const LOWER_95 = 2;
const HIGHER_998 = 3;
const LOWER_998 = 4;
const SINGLE_CI_RAW: readonly [RawOutcome, SignificanceLevel | null][] = [
  ["similar", null],
  ["higher", 95],
  ["lower", 95],
  ["higher", 99.8],
  ["lower", 99.8],
];
/** The comparisons of each single-CI outcome code, by polarity (shared, frozen: the analysis makes millions). */
const SINGLE_CI_COMPARISONS = new Map(
  POLARITIES.map((polarity) => [
    polarity,
    SINGLE_CI_RAW.map(([raw, level]) => Object.freeze(outcome(raw, polarity, level))),
  ]),
);

/** The comparison of a single-CI outcome code (from {@link singleCi95} or {@link singleCiTwoLevels}) by polarity. */
export function singleCiComparison(code: number, polarity: Polarity): BenchmarkComparison {
  return SINGLE_CI_COMPARISONS.get(polarity)![code]!;
}

/** `single_ci_95` on present numbers: similar if L95 ≤ b ≤ U95, else higher/lower at 95% by value (an outcome code). */
export function singleCi95(value: number, b: number, l95: number, u95: number): number {
  if (l95 <= b && b <= u95) return SIMILAR;
  if (value > b) return HIGHER_95;
  if (value < b) return LOWER_95;
  return SIMILAR;
}

/**
 * `single_ci_two_levels` on present numbers whose 99.8% interval encloses the 95% one: similar inside the 95% interval,
 * significant at 95% between the 95% and 99.8% limits (inclusive), otherwise at 99.8% (an outcome code).
 */
export function singleCiTwoLevels(value: number, b: number, l95: number, u95: number, l998: number, u998: number) {
  if (l95 <= b && b <= u95) return SIMILAR;
  if (l998 <= b && b <= l95) return HIGHER_95;
  if (u95 <= b && b <= u998) return LOWER_95;
  return value < b ? LOWER_998 : HIGHER_998;
}

/**
 * Compares an area's value with a benchmark using one of the Fingertips comparison methods
 * (METHODS §11).
 *
 * - `single_ci_95`: similar if L95 ≤ benchmark ≤ U95 (inclusive); otherwise higher/lower by value.
 *   The benchmark's own CI is ignored.
 * - `single_ci_two_levels`: similar if inside the 95% CI; significant at 95% if the benchmark lies
 *   between the 95% and 99.8% limits (inclusive); otherwise significant at 99.8%
 *   (Fingertips "Best"/"Worst"). With `no_judgement` the 99.8% result is reported as
 *   higher/lower at level 99.8 (Fingertips' UI would show "Not compared"; METHODS §13.10).
 * - `double_overlap_95`: similar if the two 95% CIs overlap (touching counts as overlap);
 *   otherwise higher/lower by value.
 * - `spc_proportion`: Wilson control limits around the benchmark proportion P0 = benchmark/unit
 *   for the area's denominator N: (2E + z² ∓ z√(z² + 4E(1 − E/N))) / (2(N + z²)), E = N·P0;
 *   higher if value/unit is above the upper limit, lower if below the lower limit.
 * - `spc_dsr`: Poisson control limits for the expected count E = benchmark × denominator / unit
 *   (bisection of §9.3, one-sided tail 0.025 or 0.001), converted back to the rate scale.
 *
 * Higher/lower become better/worse according to `polarity` (`no_judgement` keeps higher/lower).
 * The result is `not_compared` when the area value, the benchmark value, a required confidence
 * limit, or (SPC) the denominator is missing.
 *
 * @throws Error on an unknown method/polarity, non-finite numbers, a confidence interval with
 *   lower > upper, 99.8% limits that do not enclose the 95% limits, a non-positive denominator
 *   or unit, or an SPC proportion outside [0, 1].
 */
export function compareWithBenchmark(
  area: BenchmarkArea,
  benchmark: BenchmarkInput,
  options: CompareWithBenchmarkOptions,
): BenchmarkComparison {
  if (area === null || typeof area !== "object") {
    throw new Error("compareWithBenchmark: area must be an object with at least a value");
  }
  if (options === null || typeof options !== "object") {
    throw new Error("compareWithBenchmark: options { method, polarity } are required");
  }
  assertOneOf(options.method, COMPARISON_METHODS, "compareWithBenchmark: method");
  assertOneOf(options.polarity, POLARITIES, "compareWithBenchmark: polarity");
  const { method, polarity } = options;

  const bench = typeof benchmark === "object" && benchmark !== null ? benchmark : { value: benchmark };
  const value = optionalFiniteNumber(area.value, "area.value");
  const b = optionalFiniteNumber(bench.value, "benchmark.value");
  const l95 = optionalFiniteNumber(area.lower95, "area.lower95");
  const u95 = optionalFiniteNumber(area.upper95, "area.upper95");
  const l998 = optionalFiniteNumber(area.lower998, "area.lower998");
  const u998 = optionalFiniteNumber(area.upper998, "area.upper998");
  const bl95 = optionalFiniteNumber("lower95" in bench ? bench.lower95 : null, "benchmark.lower95");
  const bu95 = optionalFiniteNumber("upper95" in bench ? bench.upper95 : null, "benchmark.upper95");
  const denominator = optionalFiniteNumber(area.denominator, "area.denominator");
  if (l95 !== null && u95 !== null) checkInterval(l95, u95, "area 95%");
  if (l998 !== null && u998 !== null) checkInterval(l998, u998, "area 99.8%");
  if (bl95 !== null && bu95 !== null) checkInterval(bl95, bu95, "benchmark 95%");

  const isSpc = method === "spc_proportion" || method === "spc_dsr";
  let unit = 1;
  let spc: SignificanceLevel = 95;
  if (isSpc) {
    if (options.unit === undefined || typeof options.unit !== "number" || !(options.unit > 0)) {
      throw new Error(`compareWithBenchmark: ${method} requires a positive unit (e.g. 100 or 100000)`);
    }
    if (!Number.isFinite(options.unit)) throw new Error("compareWithBenchmark: unit must be finite");
    unit = options.unit;
    spc = spcLevel(options.confidence);
    if (denominator !== null && !(denominator > 0)) {
      throw new Error(`compareWithBenchmark: area.denominator must be > 0; got ${denominator}`);
    }
  }

  if (value === null || b === null) return NOT_COMPARED;

  switch (method) {
    case "single_ci_95": {
      if (l95 === null || u95 === null) return NOT_COMPARED;
      return singleCiComparison(singleCi95(value, b, l95, u95), polarity);
    }
    case "single_ci_two_levels": {
      if (l95 === null || u95 === null || l998 === null || u998 === null) return NOT_COMPARED;
      if (l998 > l95 || u998 < u95) {
        throw new Error("compareWithBenchmark: the 99.8% interval must enclose the 95% interval");
      }
      return singleCiComparison(singleCiTwoLevels(value, b, l95, u95, l998, u998), polarity);
    }
    case "double_overlap_95": {
      if (l95 === null || u95 === null || bl95 === null || bu95 === null) return NOT_COMPARED;
      const overlap = b < value ? l95 <= bu95 : bl95 <= u95;
      if (overlap) return outcome("similar", polarity, null);
      return value < b ? outcome("lower", polarity, 95) : outcome("higher", polarity, 95);
    }
    case "spc_proportion": {
      if (denominator === null) return NOT_COMPARED;
      const p1 = value / unit;
      const p0 = b / unit;
      if (p0 < 0 || p0 > 1) {
        throw new Error(`compareWithBenchmark: spc_proportion benchmark/unit must be within [0, 1]; got ${p0}`);
      }
      let z: number;
      if (options.z !== undefined) {
        if (typeof options.z !== "number" || !Number.isFinite(options.z) || options.z <= 0) {
          throw new Error(`compareWithBenchmark: z must be a positive finite number; got ${String(options.z)}`);
        }
        z = options.z;
      } else {
        z = zFor(spc === 95 ? 0.95 : 0.998);
      }
      const z2 = z * z;
      const n = denominator;
      const e = n * p0;
      const bTerm = z * Math.sqrt(z2 + 4 * e * (1 - e / n));
      const a = 2 * e + z2;
      const c = 2 * (n + z2);
      const lower = (a - bTerm) / c;
      const upper = (a + bTerm) / c;
      const limits = { lower: lower * unit, upper: upper * unit };
      const raw: RawOutcome = upper < p1 ? "higher" : lower > p1 ? "lower" : "similar";
      return { ...outcome(raw, polarity, spc), controlLimits: limits };
    }
    case "spc_dsr": {
      if (denominator === null) return NOT_COMPARED;
      if (b < 0) throw new Error(`compareWithBenchmark: spc_dsr benchmark must be >= 0; got ${b}`);
      const tail = spc === 95 ? 0.025 : 0.001;
      const expected = b * (denominator / unit);
      const lower = (poissonFunnelLimit(expected, tail, "low") / denominator) * unit;
      const upper = (poissonFunnelLimit(expected, tail, "high") / denominator) * unit;
      const raw: RawOutcome = upper < value ? "higher" : lower > value ? "lower" : "similar";
      return { ...outcome(raw, polarity, spc), controlLimits: { lower, upper } };
    }
  }
  // Unreachable: method was validated above.
  throw new Error(`compareWithBenchmark: unsupported method ${String(method)}`);
}
