/**
 * The columnar analysis (`analyseMeasure`, issue 18) gives exactly the results of the straightforward analysis it
 * replaced (test/analysis/reference-analysis.ts): every field of every row and gap, numbers compared with Object.is
 * (toStrictEqual), on the demo data of the shipped framework and on randomised measures that exercise suppression,
 * supplied and invalid limits, missing values, pooled benchmarks, parents that change over time, breakdowns and gaps,
 * every value type and polarity, gaps in the series and period codes that do not parse.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { findCurrentFramework, listMeasures } from "../../src/db/queries/framework.ts";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { analyseMeasure } from "../../src/services/analysis/analyse-measure.ts";
import { loadAreaContext, measureSpecOf } from "../../src/services/analysis/index.ts";
import type {
  AnalysisObservation,
  AreaContext,
  MeasureSpec,
  MembershipInfo,
} from "../../src/services/analysis/types.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";
import { seededRandom as rng } from "../support/seeded-random.ts";
import { referenceAnalyseMeasure } from "./reference-analysis.ts";

const VALUE_TYPES = ["proportion", "crude_rate", "count", "directly_standardised_rate", "mean", "supplied_ci"];
const POLARITIES = ["higher_is_better", "lower_is_better", "no_judgement", "something_else"];
const PERIOD_TYPES: Record<string, (i: number) => string> = {
  calendar_year: (i) => String(2010 + i),
  financial_year: (i) => `${2010 + i}-${String(11 + i).padStart(2, "0")}`,
  academic_year: (i) => `${2010 + i}/${String(11 + i).padStart(2, "0")}`,
  multi_year: (i) => `${2010 + i}-${2012 + i}`,
  quarter: (i) => `${2010 + Math.floor(i / 4)}-Q${(i % 4) + 1}`,
};

interface Scenario {
  measure: MeasureSpec;
  observations: AnalysisObservation[];
  ctx: AreaContext;
}

/** A random measure over a random small country (seeded: a failure names its seed). */
function scenario(seed: number): Scenario {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const wales = "W92000004";
  const las = Array.from({ length: 3 + Math.floor(r() * 25) }, (_, i) => `W06${String(i).padStart(6, "0")}`);
  const boards = ["HB1", "HB2", "HB3"];
  const areas = new Map<string, { code: string; type: string; name: { en: string; cy: string } }>();
  areas.set(wales, { code: wales, type: "country", name: { en: "Wales", cy: "Cymru" } });
  for (const b of boards) areas.set(b, { code: b, type: "health_board", name: { en: b, cy: `${b} cy` } });
  las.forEach((code, i) => {
    areas.set(code, { code, type: "local_authority", name: { en: `LA ${i}`, cy: i % 3 ? `ALl ${i}` : "" } });
  });
  const memberships: MembershipInfo[] = [];
  for (const code of las) {
    if (r() < 0.2) {
      memberships.push({ groupingCode: "HB1", areaCode: code, validFrom: null, validTo: "2014-03-31" });
      memberships.push({ groupingCode: pick(boards), areaCode: code, validFrom: "2014-04-01", validTo: null });
    } else if (r() < 0.9) {
      memberships.push({ groupingCode: pick(boards), areaCode: code, validFrom: null, validTo: null });
    }
  }
  const ctx: AreaContext = {
    walesCode: wales,
    areas,
    memberships,
    dimensions: new Map([
      [
        "sex",
        {
          code: "sex",
          title: { en: "Sex", cy: "Rhyw" },
          values: [
            { code: "female", label: { en: "Female", cy: "Benyw" } },
            { code: "male", label: { en: "Male", cy: "Gwryw" } },
          ],
        },
      ],
      [
        "band",
        {
          code: "band",
          title: { en: "Band", cy: "Band" },
          values: [
            { code: "a", label: { en: "A", cy: "" } },
            { code: "b", label: { en: "B", cy: "B" } },
          ],
        },
      ],
    ]),
  };
  const valueType = pick(VALUE_TYPES);
  const periodType = pick(Object.keys(PERIOD_TYPES));
  const multiplier = valueType === "proportion" ? pick([1, 100]) : valueType === "count" ? 1 : pick([1000, 100000]);
  const measure: MeasureSpec = {
    code: `m${seed}`,
    valueType,
    polarity: pick(POLARITIES),
    unit: valueType === "proportion" ? "percentage" : valueType === "count" ? "count" : "rate",
    multiplier,
    decimals: Math.floor(r() * 3),
    periodType,
    geographies: r() < 0.7 ? ["country", "local_authority", "health_board"] : ["country", "local_authority"],
    breakdowns: [],
    targetValue: r() < 0.4 ? r() * multiplier * 0.3 : null,
    suppressBelow: null,
    roundTo: null,
  };
  const breakdowns = pick([
    ["total"],
    ["total", "sex=female", "sex=male"],
    ["sex=female", "sex=male", "band=a", "band=b", "band=a;sex=female", "bad breakdown"],
  ]);
  const periods = 4 + Math.floor(r() * 9);
  const withWales = r() < 0.6;
  const publishedBoards = r() < 0.5;
  const codes = [...(withWales ? [wales] : []), ...(publishedBoards ? boards : []), ...las, "W99999999"];
  const observations: AnalysisObservation[] = [];
  let id = 1;
  const level = r() * 0.4 + 0.05;
  for (let p = 0; p < periods; p++) {
    if (r() < 0.1) continue; // a gap in every series
    const period = r() < 0.03 ? `odd-${p}` : PERIOD_TYPES[periodType]!(p);
    const periodEnd = `${2011 + p}-03-31`;
    for (const areaCode of codes) {
      for (const breakdown of breakdowns) {
        if (r() < 0.05) continue;
        const den = r() < 0.05 ? null : Math.floor(r() * (r() < 0.2 ? 30 : 5000)) + (r() < 0.03 ? 0 : 1);
        const trend = 1 + (r() < 0.5 ? 0.08 * p : 0);
        let num: number | null = den === null ? Math.floor(r() * 40) : Math.round(den * level * trend * r() * 2);
        if (r() < 0.04) num = null;
        if (num !== null && den !== null && r() < 0.03) num = den + 1; // invalid for a proportion
        if (num !== null && den !== null && r() < 0.03) num = den;
        let value: number | null =
          valueType === "count"
            ? num
            : num !== null && den !== null && den > 0
              ? (num / den) * multiplier
              : r() < 0.5
                ? r() * multiplier * 0.3
                : null;
        if (r() < 0.03) value = null;
        const supplied = valueType === "supplied_ci" || valueType === "mean" || r() < 0.1;
        const width = r() < 0.05 ? 0 : r() * 5;
        const lower95 = supplied && value !== null && r() < 0.9 ? value - width * (r() < 0.03 ? -1 : 1) : null;
        const upper95 = lower95 !== null ? value! + width : null;
        const two = lower95 !== null && r() < 0.6;
        observations.push({
          id: id++,
          areaCode,
          period,
          periodEnd,
          breakdown,
          value,
          numerator: valueType === "supplied_ci" && r() < 0.5 ? null : num,
          denominator: valueType === "count" ? null : den,
          lower95,
          upper95,
          lower998: two ? lower95! - width * (r() < 0.05 ? -0.5 : 0.6) : null,
          upper998: two ? upper95! + width * 0.6 : null,
          noteCodes: r() < 0.06 ? ["suppressed"] : r() < 0.05 ? ["provisional"] : [],
          illustrative: r() < 0.5,
        });
      }
    }
  }
  // The database returns observations in no particular order.
  for (let i = observations.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [observations[i], observations[j]] = [observations[j]!, observations[i]!];
  }
  return { measure, observations, ctx };
}

describe("the columnar analysis equals the reference analysis", () => {
  it("on 150 randomised measures (every value type, polarity and period type)", () => {
    let rows = 0;
    let gaps = 0;
    const seen = new Set<string>();
    for (let seed = 1; seed <= 150; seed++) {
      const { measure, observations, ctx } = scenario(seed);
      const expected = referenceAnalyseMeasure(measure, observations, ctx, `v${seed}`);
      const actual = analyseMeasure(measure, observations, ctx, `v${seed}`);
      expect(actual.results, `seed ${seed}`).toStrictEqual(expected.results);
      expect(actual.gaps, `seed ${seed}`).toStrictEqual(expected.gaps);
      expect(actual.rowCount).toBe(expected.results.length);
      // In batches, as the database write takes them: the same rows.
      expect([...actual.rows(0, 7), ...actual.rows(7, actual.rowCount + 3)]).toStrictEqual(expected.results);
      rows += actual.results.length;
      gaps += actual.gaps.length;
      for (const r of actual.results) {
        seen.add(r.trendReason);
        if (r.benchmarkPooled) seen.add("Wales pooled");
        if (r.parentPooled) seen.add("parent pooled");
        if (r.parentLevel === 99.8) seen.add("parent 99.8");
        if (r.benchmarkSignificance === "worse") seen.add("worse");
        if (r.quintile === 5) seen.add("quintile 5");
        if (r.worseAndWorsening) seen.add("worse and worsening");
        if (r.targetMet) seen.add("target met");
      }
    }
    // Every branch of the analysis is met.
    for (const what of [
      "significant_trend",
      "no_significant_trend",
      "outlier_found",
      "non_consecutive_periods",
      "degenerate_proportion",
      "invalid_confidence_interval",
      "missing_confidence_interval",
      "overlapping_periods",
      "period_type_not_annual",
      "Wales pooled",
      "parent pooled",
      "parent 99.8",
      "worse",
      "quintile 5",
      "worse and worsening",
      "target met",
    ]) {
      expect(seen, what).toContain(what);
    }
    // The scenarios are big enough to mean something.
    expect(rows).toBeGreaterThan(25_000);
    expect(gaps).toBeGreaterThan(1_000);
  });

  describe("on the demo data of the shipped framework", () => {
    let database: Database;
    beforeAll(async () => {
      database = await freshDemoDatabase();
    }, 180_000);
    afterAll(async () => {
      await database?.close();
    });

    it("every live measure, row for row", async () => {
      const db = database.db;
      const framework = await findCurrentFramework(db);
      const measures = (await listMeasures(db, framework!.id)).filter((m) => m.status === "live");
      const ctx = await loadAreaContext(db);
      expect(measures.length).toBeGreaterThan(10);
      let rows = 0;
      for (const m of measures) {
        const observations = await visibleObservations(db, { measureCodes: [m.code] });
        const spec = measureSpecOf(m);
        const expected = referenceAnalyseMeasure(spec, observations, ctx, "demo");
        const actual = analyseMeasure(spec, observations, ctx, "demo");
        expect(actual.results, m.code).toStrictEqual(expected.results);
        expect(actual.gaps, m.code).toStrictEqual(expected.gaps);
        rows += expected.results.length;
      }
      expect(rows).toBeGreaterThan(1_000);
    }, 120_000);
  });
});
