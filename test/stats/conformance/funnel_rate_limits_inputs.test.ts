import { it } from "vitest";
import { type FunnelRatePoint, funnelRatePoints } from "../../../src/stats/funnel.ts";
import { FUNNEL_TOLERANCE, rateInputs } from "./funnel-helpers.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, num, readVectors } from "./vectors.ts";

const FILE = "funnel_rate_limits_inputs.csv";

/**
 * `calculate_funnel_points` expectations in the inputs file. Setups inferred from the values (the
 * README names only the modified rows): dsr and crude use 3 years of data; dsr has the max-ev row
 * set to 5 events (→ NA); `*_crude_with_denom` passes denominator = `pop`, sets the max-ev row to
 * 0 events and uses 5 years of data.
 */
function check(label: string, got: FunnelRatePoint[], valueColumn: string, denominatorColumn: string) {
  const log = new MismatchLog();
  readVectors(FILE).forEach((r, i) => {
    const id = `${label} row ${i + 1} (ev=${r.ev})`;
    log.check(id, valueColumn, got[i]?.value, r[valueColumn], CLOSED_FORM);
    log.check(id, denominatorColumn, got[i]?.denominator, r[denominatorColumn], FUNNEL_TOLERANCE);
  });
  log.assertClean(100);
}

describeVectors(FILE, () => {
  it("dsr chart points (count < 10 → NA)", () => {
    const inputs = rateInputs(readVectors(FILE), { ev: 5 });
    const got = funnelRatePoints(inputs, { rateType: "dsr", multiplier: 1e5, yearsOfData: 3 });
    check("dsr", got, "rate_chart", "denominator_derived");
  });

  it("crude chart points", () => {
    const got = funnelRatePoints(rateInputs(readVectors(FILE)), { rateType: "crude", multiplier: 1e5, yearsOfData: 3 });
    check("crude", got, "rate_chart_crude", "denominator_derived_crude");
  });

  it("crude chart points with a supplied denominator and a zero-event row", () => {
    const rows = readVectors(FILE);
    const inputs = rateInputs(rows, { ev: 0 }).map((r, i) => ({ ...r, denominator: num(rows[i]!, "pop") }));
    const got = funnelRatePoints(inputs, { rateType: "crude", multiplier: 1e5, yearsOfData: 5 });
    check("crude_with_denom", got, "rate_chart_crude_with_denom", "denominator_derived_crude_with_denom");
  });
});
