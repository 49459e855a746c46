import { it } from "vitest";
import { funnelSignificance } from "../../../src/stats/funnel.ts";
import { FUNNEL_SIGNIFICANCE_LABELS } from "../../../src/stats/types.ts";
import { describeVectors, MismatchLog, num, readVectors } from "./vectors.ts";

const FILE = "funnel_ratio_significance.csv";

describeVectors(FILE, () => {
  it("assigns the expected significance to every observed/expected row", () => {
    const rows = readVectors(FILE);
    const got = funnelSignificance(
      rows.map((r) => ({ numerator: num(r, "obs"), denominator: num(r, "expected") })),
      { statistic: "ratio" },
    );
    const log = new MismatchLog();
    for (const [i, r] of rows.entries()) {
      log.checkLabel(
        `row ${i + 1} (obs=${r.obs}, expected=${r.expected})`,
        "significance",
        FUNNEL_SIGNIFICANCE_LABELS[got[i]!],
        r.significance,
      );
    }
    log.assertClean(300);
  });
});
