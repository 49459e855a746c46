import { it } from "vitest";
import { funnelLimits } from "../../../src/stats/funnel.ts";
import { compareLimitTable, PROPORTION_COLUMNS } from "./funnel-helpers.ts";
import { describeVectors, MismatchLog, num, readVectors } from "./vectors.ts";

const FILE = "funnel_proportion_limits.csv";

describeVectors(FILE, () => {
  it("reproduces the 100-row proportion limits table (multiplier 100)", () => {
    const inputs = readVectors("funnel_proportion_significance.csv").map((r) => ({
      numerator: num(r, "numerator"),
      denominator: num(r, "denominator"),
    }));
    const log = new MismatchLog();
    compareLimitTable(
      log,
      readVectors(FILE),
      funnelLimits(inputs, { statistic: "proportion", multiplier: 100 }),
      "Population",
      PROPORTION_COLUMNS,
    );
    log.assertClean(600);
  });
});
