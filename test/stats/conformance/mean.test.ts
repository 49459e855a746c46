import { expect, it } from "vitest";
import { meanCI } from "../../../src/stats/mean.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, readVectors, req, str } from "./vectors.ts";

describeVectors("conformance: mean_inputs.csv / mean_expected.csv (METHODS §4, phe_mean)", () => {
  it("reproduces sum, count, sd, value and 95% / 99.8% t limits per area and overall", () => {
    const inputs = readVectors("mean_inputs.csv");
    const expected = readVectors("mean_expected.csv");
    expect(inputs).toHaveLength(26);
    expect(expected).toHaveLength(3);
    const log = new MismatchLog();
    for (const row of expected) {
      const area = str(row["area"]);
      const values = inputs
        .filter((r) => area === "No grouping" || str(r["area"]) === area)
        .map((r) => req(r["values"]));
      const at95 = meanCI(values, { confidence: 0.95 });
      const at998 = meanCI(values, { confidence: 0.998 });
      log.check(area, "value_sum", at95.sum, row.value_sum, CLOSED_FORM);
      log.check(area, "value_count", at95.count, row.value_count, CLOSED_FORM);
      log.check(area, "stdev", at95.standardDeviation, row.stdev, CLOSED_FORM);
      log.check(area, "value", at95.value, row.value, CLOSED_FORM);
      log.check(area, "lower95_0cl", at95.lower, row.lower95_0cl, CLOSED_FORM);
      log.check(area, "upper95_0cl", at95.upper, row.upper95_0cl, CLOSED_FORM);
      log.check(area, "lower99_8cl", at998.lower, row.lower99_8cl, CLOSED_FORM);
      log.check(area, "upper99_8cl", at998.upper, row.upper99_8cl, CLOSED_FORM);
      log.checkLabel(area, "method", at95.method, row.method);
    }
    log.assertClean(27);
  });
});
