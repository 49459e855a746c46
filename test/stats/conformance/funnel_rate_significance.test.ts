import { it } from "vitest";
import { funnelSignificance } from "../../../src/stats/funnel.ts";
import { FUNNEL_SIGNIFICANCE_LABELS, type FunnelRateType } from "../../../src/stats/types.ts";
import { describeVectors, MismatchLog, num, numOrNull, readVectors } from "./vectors.ts";

const FILE = "funnel_rate_significance.csv";

/**
 * Expected columns are `<dsr|crude>_per_<100000|100>_<with|without>_0`. Rates: `rate_dsr` for DSR
 * (with multiplier 100000 or 100), `rate_crude_per_100000` / `rate_crude_per_100` for crude;
 * denominator `pop`; `without_0` drops the count-0 rows first (their cells in those columns are
 * placeholders and are not checked).
 */
const SCENARIOS: { column: string; rateType: FunnelRateType; multiplier: number; rate: string; dropZero: boolean }[] =
  [];
for (const rateType of ["dsr", "crude"] as const) {
  for (const multiplier of [100000, 100]) {
    for (const dropZero of [false, true]) {
      SCENARIOS.push({
        column: `${rateType}_per_${multiplier}_${dropZero ? "without" : "with"}_0`,
        rateType,
        multiplier,
        rate: rateType === "dsr" ? "rate_dsr" : `rate_crude_per_${multiplier}`,
        dropZero,
      });
    }
  }
}

describeVectors(FILE, () => {
  for (const s of SCENARIOS) {
    it(`assigns ${s.column}`, () => {
      const rows = readVectors(FILE)
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => !(s.dropZero && num(r, "count") === 0));
      const got = funnelSignificance(
        rows.map(({ r }) => ({ numerator: num(r, "count"), rate: numOrNull(r, s.rate), denominator: num(r, "pop") })),
        { statistic: "rate", rateType: s.rateType, multiplier: s.multiplier },
      );
      const log = new MismatchLog();
      for (const [k, { r, i }] of rows.entries()) {
        log.checkLabel(`row ${i + 1} (count=${r.count})`, s.column, FUNNEL_SIGNIFICANCE_LABELS[got[k]!], r[s.column]);
      }
      log.assertClean(s.dropZero ? 39 : 40);
    });
  }
});
