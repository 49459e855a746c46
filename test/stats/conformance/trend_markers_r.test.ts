import { expect, it } from "vitest";
import { recentTrend, type TrendPoint } from "../../../src/stats/trend.ts";
import type { TrendDirection, TrendReason, TrendValueType } from "../../../src/stats/types.ts";
import { describeVectors, MismatchLog, num, numOrNull, readVectors, str, type VectorRow } from "./vectors.ts";

const FILE = "trend_markers_r.csv";

const DIRECTION: Record<string, TrendDirection> = {
  Increasing: "increasing",
  Decreasing: "decreasing",
  "No significant change": "no_significant_change",
  "Cannot be calculated": "cannot_be_calculated",
};

const REASON: Record<string, TrendReason> = {
  "No outliers and significant trend": "significant_trend",
  "No significant trend": "no_significant_trend",
  "Outlier found": "outlier_found",
  "Not enough data points": "not_enough_data_points",
  "Missing values": "missing_values",
  "Missing at least one confidence interval value": "missing_confidence_interval",
  "Duplicate years in group": "duplicate_periods",
};

/**
 * README quirk: the `Other ethnic group` proportion block has a gap year (2015). PIM-TM regresses
 * on the actual years; its spreadsheet's 4-dp cells were computed with t = 1..5 (47.3463 / 0.483).
 * Regression on the actual years gives 44.7368 / 0.3562 — those are the values checked. The
 * platform refuses gaps by default, so this block runs with `allowGaps: true`.
 */
const GAP_BLOCK = "testdata_prop_grouped|Other ethnic group";
const GAP_EXPECTED = { chi2: 44.7368, gradient: 0.3562 };

/** 4-dp expectations: |got − expected| ≤ 0.5e-4 (plus float slack). */
const FOUR_DP = { rel: 0, abs: 5e-5 + 1e-12 };

function blocks(): Map<string, VectorRow[]> {
  const out = new Map<string, VectorRow[]>();
  for (const row of readVectors(FILE)) {
    const key = `${str(row, "sheet")}|${str(row, "group")}`;
    out.set(key, [...(out.get(key) ?? []), row]);
  }
  return out;
}

const toPoint = (r: VectorRow): TrendPoint => ({
  period: num(r, "Year"),
  value: numOrNull(r, "Value"),
  lower: numOrNull(r, "LL"),
  upper: numOrNull(r, "UL"),
  count: numOrNull(r, "Count"),
  denominator: numOrNull(r, "Denominator"),
});

describeVectors(FILE, () => {
  it("reproduces every PIM-TM trend marker (direction, reason, chi², gradient)", () => {
    const log = new MismatchLog();
    const all = blocks();
    for (const [key, members] of all) {
      const valueType = str(members[0]!, "value_type") as TrendValueType;
      const result = recentTrend(members.map(toPoint), {
        polarity: "no_judgement",
        valueType,
        allowGaps: key === GAP_BLOCK,
      });
      const last = members[members.length - 1]!;
      const direction = DIRECTION[str(last, "recent_trend")];
      const reason = REASON[str(last, "recent_trend_reason")];
      if (!direction || !reason) throw new Error(`${key}: unmapped expectation`);
      log.checkLabel(key, "direction", result.direction, direction);
      log.checkLabel(key, "reason", result.reason, reason);
      const chi2 = key === GAP_BLOCK ? GAP_EXPECTED.chi2 : numOrNull(last, "chi2_rounded4");
      const gradient = key === GAP_BLOCK ? GAP_EXPECTED.gradient : numOrNull(last, "gradient_rounded4");
      log.check(key, "chi2", result.chi2, chi2, FOUR_DP);
      log.check(key, "gradient", result.gradient, gradient, FOUR_DP);
    }
    expect(all.size).toBe(13);
    log.assertClean(13 * 4);
  });

  it("refuses the gap-year block by default (platform rule)", () => {
    const members = blocks().get(GAP_BLOCK)!;
    const result = recentTrend(members.map(toPoint), { polarity: "no_judgement", valueType: "proportion" });
    expect(result.direction).toBe("cannot_be_calculated");
    expect(result.reason).toBe("non_consecutive_periods");
  });
});
