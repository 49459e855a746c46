import { it } from "vitest";
import { funnelLimits } from "../../../src/stats/funnel.ts";
import { compareLimitTable, RATE_COLUMNS, rateInputs } from "./funnel-helpers.ts";
import { describeVectors, MismatchLog, readVectors } from "./vectors.ts";

const FILE = "funnel_rate_limits_dsr.csv";

describeVectors(FILE, () => {
  it("reproduces the DSR rate limits (multiplier 1e5, 3 years of data)", () => {
    const inputs = rateInputs(readVectors("funnel_rate_limits_inputs.csv"));
    const got = funnelLimits(inputs, { statistic: "rate", rateType: "dsr", multiplier: 1e5, yearsOfData: 3 });
    const log = new MismatchLog();
    compareLimitTable(log, readVectors(FILE), got, "Events", RATE_COLUMNS);
    log.assertClean(1000);
  });
});
