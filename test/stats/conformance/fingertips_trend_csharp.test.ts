import { expect, it } from "vitest";
import { recentTrend } from "../../../src/stats/trend.ts";
import type { TrendDirection } from "../../../src/stats/types.ts";
import {
  CLOSED_FORM,
  describeVectors,
  MismatchLog,
  num,
  numOrNull,
  readVectors,
  str,
  type VectorRow,
} from "./vectors.ts";

const FILE = "fingertips_trend_csharp.csv";

function expectedDirection(marker: string): TrendDirection {
  if (marker.startsWith("CannotBeCalculated")) return "cannot_be_calculated";
  const map: Record<string, TrendDirection> = {
    Increasing: "increasing",
    Decreasing: "decreasing",
    NoChange: "no_significant_change",
  };
  const d = map[marker];
  if (!d) throw new Error(`unmapped marker ${marker}`);
  return d;
}

describeVectors(FILE, () => {
  it("reproduces the Fingertips C# trend markers and chi² (divisor 3.92)", () => {
    const cases = new Map<string, VectorRow[]>();
    for (const row of readVectors(FILE)) {
      const id = str(row, "case_id");
      cases.set(id, [...(cases.get(id) ?? []), row]);
    }
    const log = new MismatchLog();
    for (const [id, members] of cases) {
      const valueType = str(members[0]!, "method").startsWith("weighted_regression") ? "other" : "proportion";
      const result = recentTrend(
        members.map((r) => ({
          period: num(r, "Year"),
          value: numOrNull(r, "Value"),
          lower: numOrNull(r, "LowerCI95"),
          upper: numOrNull(r, "UpperCI95"),
          count: numOrNull(r, "Count"),
          denominator: numOrNull(r, "Denominator"),
        })),
        // Fingertips turns the CI width into a standard error with the rounded divisor 3.92.
        { polarity: "no_judgement", valueType, ciDivisor: 3.92 },
      );
      const first = members[0]!;
      const direction = expectedDirection(str(first, "expected_marker"));
      log.checkLabel(id, "marker", result.direction, direction);
      const full = numOrNull(first, "chi2_full_by_formula");
      if (full !== null) log.check(id, "chi2", result.chi2, full, CLOSED_FORM);
      const twoDp = numOrNull(first, "expected_chi2_2dp");
      if (twoDp !== null && direction !== "cannot_be_calculated") {
        const rounded = result.chi2 === null ? null : Math.round(result.chi2 * 100) / 100;
        log.check(id, "chi2 (2 dp)", rounded, twoDp, { rel: 0, abs: 1e-9 });
      }
    }
    expect(cases.size).toBe(4);
    log.assertClean(4 + 3 + 2);
  });
});
