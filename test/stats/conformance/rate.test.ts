import { expect, it } from "vitest";
import { rateCI } from "../../../src/stats/rate.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, num, readVectors, req, str } from "./vectors.ts";

describeVectors("conformance: rate.csv (METHODS §3, phe_rate)", () => {
  it("reproduces value, method and 95% / 99.8% limits for every row", () => {
    const rows = readVectors("rate.csv");
    expect(rows).toHaveLength(32);
    const log = new MismatchLog();
    for (const row of rows) {
      const id = str(row["case_id"]);
      const x = num(row["Numerator"]);
      const n = num(row["Denominator"]);
      const multiplier = req(row["multiplier"]);
      const at95 = rateCI(x, n, { confidence: 0.95, multiplier });
      log.check(id, "value", at95.value, row.value, CLOSED_FORM);
      log.check(id, "lower95_0cl", at95.lower, row.lower95_0cl, CLOSED_FORM);
      log.check(id, "upper95_0cl", at95.upper, row.upper95_0cl, CLOSED_FORM);
      log.checkLabel(id, "method", at95.method, row.method);
      if (!id.startsWith("RG")) {
        // RG rows (grouped test) only give 95% limits
        const at998 = rateCI(x, n, { confidence: 0.998, multiplier });
        log.check(id, "lower99_8cl", at998.lower, row.lower99_8cl, CLOSED_FORM);
        log.check(id, "upper99_8cl", at998.upper, row.upper99_8cl, CLOSED_FORM);
      }
    }
    log.assertClean(32 * 4);
  });
});
