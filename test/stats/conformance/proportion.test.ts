import { expect, it } from "vitest";
import { proportionCI, proportionCIs } from "../../../src/stats/proportion.ts";
import { columnarForm, type RowEstimate } from "./columnar-form.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, num, readVectors, req, str } from "./vectors.ts";

describeVectors("conformance: proportion.csv (METHODS §2, phe_proportion)", () => {
  const rows = readVectors("proportion.csv");
  const x = rows.map((row) => num(row["Numerator"]));
  const n = rows.map((row) => num(row["Denominator"]));
  const multipliers = rows.map((row) => req(row["multiplier"]));
  const forms: Record<string, (row: number, confidence: number) => RowEstimate> = {
    "proportionCI (one row at a time)": (i: number, confidence: number) =>
      proportionCI(x[i], n[i], { confidence, multiplier: multipliers[i] }),
    "proportionCIs (a column at a time)": columnarForm(x, n, multipliers, proportionCIs),
  };
  for (const [form, estimate] of Object.entries(forms)) {
    it(`${form} reproduces value and 95% / 99.8% Wilson limits for every row`, () => {
      expect(rows).toHaveLength(30);
      const log = new MismatchLog();
      rows.forEach((row, i) => {
        const id = str(row["case_id"]);
        const at95 = estimate(i, 0.95);
        log.check(id, "value", at95.value, row.value, CLOSED_FORM);
        log.check(id, "lower95_0cl", at95.lower, row.lower95_0cl, CLOSED_FORM);
        log.check(id, "upper95_0cl", at95.upper, row.upper95_0cl, CLOSED_FORM);
        if (at95.method !== undefined) log.checkLabel(id, "method", at95.method, row.method);
        if (!id.startsWith("PG")) {
          // PG rows (grouped test) only give 95% limits
          const at998 = estimate(i, 99.8);
          log.check(id, "value@99.8", at998.value, row.value, CLOSED_FORM);
          log.check(id, "lower99_8cl", at998.lower, row.lower99_8cl, CLOSED_FORM);
          log.check(id, "upper99_8cl", at998.upper, row.upper99_8cl, CLOSED_FORM);
        }
      });
      log.assertClean(30 * 3);
    });
  }
});
