import { expect, it } from "vitest";
import { proportionCI } from "../../../src/stats/proportion.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, num, readVectors, req, str } from "./vectors.ts";

describeVectors("conformance: proportion.csv (METHODS §2, phe_proportion)", () => {
  it("reproduces value and 95% / 99.8% Wilson limits for every row", () => {
    const rows = readVectors("proportion.csv");
    expect(rows).toHaveLength(30);
    const log = new MismatchLog();
    for (const row of rows) {
      const id = str(row["case_id"]);
      const x = num(row["Numerator"]);
      const n = num(row["Denominator"]);
      const multiplier = req(row["multiplier"]);
      const at95 = proportionCI(x, n, { confidence: 0.95, multiplier });
      log.check(id, "value", at95.value, row.value, CLOSED_FORM);
      log.check(id, "lower95_0cl", at95.lower, row.lower95_0cl, CLOSED_FORM);
      log.check(id, "upper95_0cl", at95.upper, row.upper95_0cl, CLOSED_FORM);
      log.checkLabel(id, "method", at95.method, row.method);
      if (!id.startsWith("PG")) {
        // PG rows (grouped test) only give 95% limits
        const at998 = proportionCI(x, n, { confidence: 99.8, multiplier });
        log.check(id, "value@99.8", at998.value, row.value, CLOSED_FORM);
        log.check(id, "lower99_8cl", at998.lower, row.lower99_8cl, CLOSED_FORM);
        log.check(id, "upper99_8cl", at998.upper, row.upper99_8cl, CLOSED_FORM);
      }
    }
    log.assertClean(30 * 4);
  });
});
