import { it } from "vitest";
import { funnelSignificance } from "../../../src/stats/funnel.ts";
import { FUNNEL_SIGNIFICANCE_LABELS } from "../../../src/stats/types.ts";
import { describeVectors, MismatchLog, num, readVectors, str } from "./vectors.ts";

const FILE = "funnel_proportion_significance.csv";

describeVectors(FILE, () => {
  it("assigns the expected significance to every area (all rows together)", () => {
    const rows = readVectors(FILE);
    const got = funnelSignificance(
      rows.map((r) => ({ numerator: num(r, "numerator"), denominator: num(r, "denominator") })),
      { statistic: "proportion" },
    );
    const log = new MismatchLog();
    for (const [i, r] of rows.entries()) {
      log.checkLabel(
        `${str(r, "Area")} (row ${i + 1})`,
        "significance",
        FUNNEL_SIGNIFICANCE_LABELS[got[i]!],
        r.significance,
      );
    }
    log.assertClean(303);
  });
});
