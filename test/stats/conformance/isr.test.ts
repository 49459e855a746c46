import { expect, it } from "vitest";
import { type IsrReferenceBand, type IsrRow, isRate, isRatio } from "../../../src/stats/isr.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, num, readVectors, req, str } from "./vectors.ts";

describeVectors("conformance: isr_inputs.csv / isr_reference_refdata.csv / isr_expected.csv (METHODS §6)", () => {
  it("reproduces every calculate_ISRate / calculate_ISRatio result", () => {
    const inputs = readVectors("isr_inputs.csv");
    const refdata = readVectors("isr_reference_refdata.csv");
    const expected = readVectors("isr_expected.csv");
    expect(inputs).toHaveLength(95);
    expect(refdata).toHaveLength(19);
    expect(expected).toHaveLength(16);
    // Upstream passes the reference as vectors aligned by age-band position (README).
    const reference: IsrReferenceBand[] = refdata.map((r) => ({ count: num(r.refcount), population: req(r.refpop) }));

    const log = new MismatchLog();
    for (const row of expected) {
      const id = str(row.case_id);
      const rows: IsrRow[] = inputs
        .filter((r) => str(r.dataset) === str(row.dataset) && str(r.area) === str(row.area))
        .map((r) => ({ count: num(r.count), population: num(r.pop) }));
      expect(rows, id).toHaveLength(19);
      const scale = req(row.multiplier_or_refvalue);
      const isRateRow = str(row.function) === "calculate_ISRate";
      const rate = (confidence: number) => isRate(rows, reference, { confidence, multiplier: scale });
      const ratio = (confidence: number) => isRatio(rows, reference, { confidence, refValue: scale });
      const at95 = isRateRow ? rate(0.95) : ratio(0.95);
      const at998 = isRateRow ? rate(0.998) : ratio(0.998);
      log.check(id, "observed", at95.observed, row.observed, CLOSED_FORM);
      log.check(id, "expected", at95.expected, row.expected, CLOSED_FORM);
      if (isRateRow) log.check(id, "ref_rate", rate(0.95).referenceRate, row.ref_rate, CLOSED_FORM);
      log.check(id, "value", at95.value, row.value, CLOSED_FORM);
      log.check(id, "lower95_0cl", at95.lower, row.lower95_0cl, CLOSED_FORM);
      log.check(id, "upper95_0cl", at95.upper, row.upper95_0cl, CLOSED_FORM);
      if (row.lower99_8cl !== null) {
        // I13–I16 give only 95%
        log.check(id, "lower99_8cl", at998.lower, row.lower99_8cl, CLOSED_FORM);
        log.check(id, "upper99_8cl", at998.upper, row.upper99_8cl, CLOSED_FORM);
      }
      log.checkLabel(id, "method", at95.method, row.method);
    }
    log.assertClean(16 * 7);
  });
});
