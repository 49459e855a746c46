import { it } from "vitest";
import { funnelLimits } from "../../../src/stats/funnel.ts";
import { compareLimitTable } from "./funnel-helpers.ts";
import { describeVectors, MismatchLog, num, readVectors } from "./vectors.ts";

const FILE = "funnel_ratio_limits.csv";

const inputs = () =>
  readVectors("funnel_ratio_significance.csv").map((r) => ({
    numerator: num(r, "obs"),
    denominator: num(r, "expected"),
  }));

describeVectors(FILE, () => {
  it("reproduces the ratio limits with ratio_type count (ratio − 1) and the expected events", () => {
    const log = new MismatchLog();
    compareLimitTable(
      log,
      readVectors(FILE),
      funnelLimits(inputs(), { statistic: "ratio", ratioType: "count" }),
      "Observed_events",
      {
        lower_2s_exp_events: "lower95Denominator",
        lower_2s_count: "lower95",
        upper_2s_exp_events: "upper95Denominator",
        upper_2s_count: "upper95",
        lower_3s_exp_events: "lower998Denominator",
        lower_3s_count: "lower998",
        upper_3s_exp_events: "upper998Denominator",
        upper_3s_count: "upper998",
      },
    );
    log.assertClean(900);
  });

  it("reproduces the ratio limits with ratio_type isr (ratio × 100)", () => {
    const log = new MismatchLog();
    compareLimitTable(
      log,
      readVectors(FILE),
      funnelLimits(inputs(), { statistic: "ratio", ratioType: "isr" }),
      "Observed_events",
      {
        lower_2s_isr: "lower95",
        upper_2s_isr: "upper95",
        lower_3s_isr: "lower998",
        upper_3s_isr: "upper998",
      },
    );
    log.assertClean(500);
  });
});
