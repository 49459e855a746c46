import { expect, it } from "vitest";
import { funnelLimits } from "../../../src/stats/funnel.ts";
import { compareLimitTable, PROPORTION_COLUMNS } from "./funnel-helpers.ts";
import { describeVectors, MismatchLog, num, readVectors } from "./vectors.ts";

const FILE = "funnel_proportion_limits_axis_variation.csv";

describeVectors(FILE, () => {
  it("reproduces the limits table when the axis minimum is not 0 (denominators < 31000)", () => {
    const inputs = readVectors("funnel_proportion_significance.csv")
      .map((r) => ({ numerator: num(r, "numerator"), denominator: num(r, "denominator") }))
      .filter((r) => r.denominator < 31000);
    const got = funnelLimits(inputs, { statistic: "proportion", multiplier: 100 });
    expect(got.axisMinimum).toBeGreaterThan(0);
    const log = new MismatchLog();
    compareLimitTable(log, readVectors(FILE), got, "Population", PROPORTION_COLUMNS);
    log.assertClean(600);
  });
});
