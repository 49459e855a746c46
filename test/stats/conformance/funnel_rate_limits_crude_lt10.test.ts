import { it } from "vitest";
import { funnelLimits } from "../../../src/stats/funnel.ts";
import { compareLimitTable, RATE_COLUMNS, rateInputs } from "./funnel-helpers.ts";
import { describeVectors, MismatchLog, readVectors } from "./vectors.ts";

const FILE = "funnel_rate_limits_crude_lt10.csv";

describeVectors(FILE, () => {
  it("reproduces the crude rate limits with the max-ev row set to 5 events (rate unchanged)", () => {
    const inputs = rateInputs(readVectors("funnel_rate_limits_inputs.csv"), { ev: 5 });
    const got = funnelLimits(inputs, { statistic: "rate", rateType: "crude", multiplier: 1e5, yearsOfData: 3 });
    const log = new MismatchLog();
    compareLimitTable(log, readVectors(FILE), got, "Events", RATE_COLUMNS);
    log.assertClean(1000);
  });
});
