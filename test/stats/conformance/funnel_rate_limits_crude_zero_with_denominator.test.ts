import { it } from "vitest";
import { funnelLimits } from "../../../src/stats/funnel.ts";
import { compareLimitTable, RATE_COLUMNS } from "./funnel-helpers.ts";
import { describeVectors, MismatchLog, num, readVectors } from "./vectors.ts";

const FILE = "funnel_rate_limits_crude_zero_with_denominator.csv";

describeVectors(FILE, () => {
  it("reproduces the crude limits with a zero-event row and supplied denominators", () => {
    // README: pop = 1e5·ev/rate; the max-ev row gets ev = 0 and rate = 0; keep rows with
    // pop > max(pop)/2; pass denominator = pop (3 years of data, as the other rate tables).
    const base = readVectors("funnel_rate_limits_inputs.csv").map((r) => {
      const ev = num(r, "ev");
      const rate = num(r, "rate");
      return { numerator: ev, rate, denominator: (1e5 * ev) / rate };
    });
    const maxEv = Math.max(...base.map((r) => r.numerator));
    const i = base.findIndex((r) => r.numerator === maxEv);
    base[i] = { ...base[i]!, numerator: 0, rate: 0 };
    const maxPop = Math.max(...base.map((r) => r.denominator));
    const inputs = base.filter((r) => r.denominator > maxPop / 2);
    const got = funnelLimits(inputs, { statistic: "rate", rateType: "crude", multiplier: 1e5, yearsOfData: 3 });
    const log = new MismatchLog();
    compareLimitTable(log, readVectors(FILE), got, "Events", RATE_COLUMNS);
    log.assertClean(1000);
  });
});
