/**
 * Confidence limits (95% and 99.8%) of one published value, by the measure's value type (METHODS §2–§5):
 *
 * | value type | limits |
 * |---|---|
 * | any | supplied limits are kept as supplied |
 * | proportion | Wilson score interval from numerator / denominator |
 * | crude_rate | exact Poisson (count < 10) or Byar's limits on the numerator, divided by the denominator |
 * | count | exact Poisson / Byar's limits on the count itself |
 * | directly_standardised_rate | Dobson with one stratum (the count's limits scaled by rate / count) when no limits are supplied and the count is at least 10 |
 * | mean, ratio, supplied_ci | supplied only |
 *
 * Invalid inputs (e.g. numerator > denominator) give no limits rather than an error: the value is still shown.
 */
import { DSR_MINIMUM_TOTAL_COUNT } from "../../stats/dsr.ts";
import type { IntervalColumns } from "../../stats/interval-estimate.ts";
import { poissonCountCIs } from "../../stats/poisson-count-limits.ts";
import { proportionCIs } from "../../stats/proportion.ts";
import { rateCIs } from "../../stats/rate.ts";
import type { CiMethod } from "./types.ts";

export interface Limits {
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  ciMethod: CiMethod;
}

/** The limits of many values: one element per row, NaN where {@link Limits} has null. */
export interface LimitColumns {
  lower95: Float64Array;
  upper95: Float64Array;
  lower998: Float64Array;
  upper998: Float64Array;
  ciMethod: CiMethod[];
}

export interface LimitsInput {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
}

const finite = (x: number | null): x is number => x !== null && Number.isFinite(x);
const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** The limits of one value (see the module comment for the method per value type). */
export function computeLimits(valueType: string, multiplier: number, o: LimitsInput): Limits {
  const c = computeLimitColumns(valueType, multiplier, [o]);
  return {
    lower95: orNull(c.lower95[0]!),
    upper95: orNull(c.upper95[0]!),
    lower998: orNull(c.lower998[0]!),
    upper998: orNull(c.upper998[0]!),
    ciMethod: c.ciMethod[0]!,
  };
}

/**
 * The limits of every row of one measure, computed a column at a time: the rows that need computed limits are
 * gathered into count (and denominator) columns — the others as NaN, so the columnar methods skip them — and each
 * level is one call of `proportionCIs`, `rateCIs` or `poissonCountCIs` (bit for bit the scalar methods). Rows with
 * `skip[i]` set (e.g. suppressed values) get no limits.
 */
export function computeLimitColumns(
  valueType: string,
  multiplier: number,
  rows: readonly LimitsInput[],
  skip?: Uint8Array,
): LimitColumns {
  const length = rows.length;
  const out: LimitColumns = {
    lower95: new Float64Array(length).fill(Number.NaN),
    upper95: new Float64Array(length).fill(Number.NaN),
    lower998: new Float64Array(length).fill(Number.NaN),
    upper998: new Float64Array(length).fill(Number.NaN),
    ciMethod: new Array<CiMethod>(length).fill(null),
  };
  // Inputs of the rows whose limits are computed (NaN elsewhere).
  const x = new Float64Array(length).fill(Number.NaN);
  const n = valueType === "proportion" || valueType === "crude_rate" ? new Float64Array(length).fill(Number.NaN) : null;
  let any = false;
  for (let i = 0; i < length; i++) {
    const o = rows[i]!;
    if ((skip && skip[i] === 1) || !finite(o.value)) continue;
    if (finite(o.lower95) && finite(o.upper95)) {
      out.lower95[i] = o.lower95;
      out.upper95[i] = o.upper95;
      if (finite(o.lower998) && finite(o.upper998)) {
        out.lower998[i] = o.lower998;
        out.upper998[i] = o.upper998;
      }
      out.ciMethod[i] = "supplied";
      continue;
    }
    const count = valueType === "count" ? o.value : o.numerator;
    if (!finite(count) || count < 0) continue;
    if (n) {
      const d = o.denominator;
      if (!finite(d) || d <= 0 || (valueType === "proportion" && count > d)) continue;
      n[i] = d;
    } else if (valueType === "directly_standardised_rate") {
      if (count < DSR_MINIMUM_TOTAL_COUNT) continue;
    } else if (valueType !== "count") {
      continue;
    }
    x[i] = count;
    any = true;
  }
  if (!any) return out;
  try {
    switch (valueType) {
      case "proportion":
        fill(out, rows, "wilson", (confidence) => proportionCIs(x, n!, { confidence, multiplier }));
        break;
      case "crude_rate":
        fill(out, rows, "byar_exact", (confidence) => rateCIs(x, n!, { confidence, multiplier }));
        break;
      case "count":
        fill(out, rows, "poisson_count", (confidence) => poissonCountCIs(x, { confidence }));
        break;
      case "directly_standardised_rate":
        // Counts here are at least 10, where the count limits are Byar's (the DSR method uses Byar's only, §13.2).
        fill(out, rows, "dobson_single_stratum", (confidence) => poissonCountCIs(x, { confidence }), true);
        break;
    }
  } catch {
    // An invalid multiplier: no limits rather than a failed analysis (the value is still shown).
    for (let i = 0; i < length; i++) if (!Number.isNaN(x[i]!)) out.ciMethod[i] = null;
  }
  return out;
}

/**
 * Stores the computed 95% and 99.8% limits of the rows that have both lower limits (a row whose lower limit is
 * undefined at either level gets none). With `dobson`, the count limits are scaled to the DSR: value × limit / count.
 */
function fill(
  out: LimitColumns,
  rows: readonly LimitsInput[],
  method: CiMethod,
  compute: (confidence: number) => IntervalColumns,
  dobson = false,
): void {
  const a = compute(0.95);
  const b = compute(0.998);
  for (let i = 0; i < rows.length; i++) {
    const count = a.value[i]!;
    if (Number.isNaN(count) || Number.isNaN(a.lower[i]!) || Number.isNaN(b.lower[i]!)) continue;
    if (dobson) {
      const k = rows[i]!.value! / (rows[i]!.numerator as number);
      out.lower95[i] = a.lower[i]! * k;
      out.upper95[i] = a.upper[i]! * k;
      out.lower998[i] = b.lower[i]! * k;
      out.upper998[i] = b.upper[i]! * k;
    } else {
      out.lower95[i] = a.lower[i]!;
      out.upper95[i] = a.upper[i]!;
      out.lower998[i] = b.lower[i]!;
      out.upper998[i] = b.upper[i]!;
    }
    out.ciMethod[i] = method;
  }
}
