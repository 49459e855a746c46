import { expect, it } from "vitest";
import { rateCI, rateCIs } from "../../../src/stats/rate.ts";
import { columnarForm, type RowEstimate } from "./columnar-form.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, num, readVectors, req, str } from "./vectors.ts";

describeVectors("conformance: rate.csv (METHODS §3, phe_rate)", () => {
  const rows = readVectors("rate.csv");
  const x = rows.map((row) => num(row["Numerator"]));
  const n = rows.map((row) => num(row["Denominator"]));
  const multipliers = rows.map((row) => req(row["multiplier"]));
  const forms: Record<string, (row: number, confidence: number) => RowEstimate> = {
    "rateCI (one row at a time)": (i: number, confidence: number) =>
      rateCI(x[i], n[i], { confidence, multiplier: multipliers[i] }),
    "rateCIs (a column at a time)": columnarForm(x, n, multipliers, rateCIs),
  };
  for (const [form, estimate] of Object.entries(forms)) {
    it(`${form} reproduces value, method and 95% / 99.8% limits for every row`, () => {
      expect(rows).toHaveLength(32);
      const log = new MismatchLog();
      rows.forEach((row, i) => {
        const id = str(row["case_id"]);
        const at95 = estimate(i, 0.95);
        log.check(id, "value", at95.value, row.value, CLOSED_FORM);
        log.check(id, "lower95_0cl", at95.lower, row.lower95_0cl, CLOSED_FORM);
        log.check(id, "upper95_0cl", at95.upper, row.upper95_0cl, CLOSED_FORM);
        if (at95.method !== undefined) log.checkLabel(id, "method", at95.method, row.method);
        if (!id.startsWith("RG")) {
          // RG rows (grouped test) only give 95% limits
          const at998 = estimate(i, 0.998);
          log.check(id, "lower99_8cl", at998.lower, row.lower99_8cl, CLOSED_FORM);
          log.check(id, "upper99_8cl", at998.upper, row.upper99_8cl, CLOSED_FORM);
        }
      });
      log.assertClean(32 * 3);
    });
  }
});
