import { it } from "vitest";
import { fingertipsQuintiles } from "../../../src/stats/quantiles.ts";
import type { Polarity } from "../../../src/stats/types.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, num, readVectors, str } from "./vectors.ts";

const FILE = "fingertips_quintiles.csv";

const POLARITY: Record<string, Polarity> = {
  RAG_low_is_good: "lower_is_better",
  RAG_high_is_good: "higher_is_better",
  "none/BOB": "no_judgement",
};

/** "1..50" → [1, 2, …, 50]. */
function range(spec: string): number[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(spec);
  if (!m) throw new Error(`bad values spec ${spec}`);
  const out: number[] = [];
  for (let v = Number(m[1]); v <= Number(m[2]); v++) out.push(v);
  return out;
}

describeVectors(FILE, () => {
  it("matches every Fingertips quintile bound and category", () => {
    const rows = readVectors(FILE);
    const log = new MismatchLog();
    for (const row of rows) {
      const id = str(row, "case_id");
      const values = range(str(row, "values"));
      const kind = str(row, "kind");
      if (kind === "quintile_bounds") {
        const expected = str(row, "expected").split(";").map(Number);
        const { bounds } = fingertipsQuintiles(values, { polarity: "no_judgement" });
        log.check(id, "bounds.length", bounds?.length, expected.length, { rel: 0 });
        // Upstream bounds are rounded to 10 dp; compare as closed forms.
        for (const [i, e] of expected.entries()) log.check(id, `bounds[${i}]`, bounds?.[i], e, CLOSED_FORM);
      } else if (kind === "quintile_category") {
        const polarity = POLARITY[str(row, "polarity")];
        if (!polarity) throw new Error(`${id}: unknown polarity ${str(row, "polarity")}`);
        const { categories } = fingertipsQuintiles(values, { polarity });
        log.check(id, "category", categories[values.indexOf(num(row, "x"))], num(row, "expected"), { rel: 0 });
      } else {
        throw new Error(`${id}: unknown kind ${kind}`);
      }
    }
    log.assertClean(14 + 6);
  });
});
