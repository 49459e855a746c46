import { expect, it } from "vitest";
import { type LifeTableBand, lifeExpectancy } from "../../../src/stats/life-expectancy.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, readVectors, req, str, type Tolerance } from "./vectors.ts";

/** Upstream expectations are rounded to 4 dp (README). */
const FOUR_DP: Tolerance = { rel: 0, abs: 5e-5 + 1e-12 };

describeVectors("conformance: life_expectancy.csv (METHODS §8, phe_life_expectancy)", () => {
  it("reproduces every case: 4-dp upstream expectations and full-precision peer values (95% and 99.8%)", () => {
    const rows = readVectors("life_expectancy.csv");
    expect(rows).toHaveLength(60);
    const cases = new Map<string, typeof rows>();
    for (const row of rows) cases.set(str(row.case), [...(cases.get(str(row.case)) ?? []), row]);
    expect([...cases.keys()].sort()).toEqual(["df1_single_area", "widecis_Area1", "widecis_Area2"]);

    const log = new MismatchLog(); // upstream 4-dp expectations
    const peer = new MismatchLog(); // full-precision peer values
    for (const [caseName, caseRows] of cases) {
      const bands: LifeTableBand[] = caseRows.map((r) => ({
        startAge: req(r.startage),
        deaths: req(r.deaths),
        population: req(r.pops),
      }));
      const at95 = lifeExpectancy(bands, { confidence: 0.95 });
      const at998 = lifeExpectancy(bands, { confidence: 0.998 });
      expect(at95).toHaveLength(20);
      for (const row of caseRows) {
        const age = req(row.startage);
        const id = `${caseName}@${age}`;
        const r95 = at95.find((r) => r.startAge === age);
        const r998 = at998.find((r) => r.startAge === age);
        log.check(id, "expected_value_4dp", r95?.value, row.expected_value_4dp, FOUR_DP);
        log.check(id, "expected_lowercl95_4dp", r95?.lower, row.expected_lowercl95_4dp, FOUR_DP);
        log.check(id, "expected_uppercl95_4dp", r95?.upper, row.expected_uppercl95_4dp, FOUR_DP);
        if (row.expected_pops_used !== null) {
          log.check(id, "expected_pops_used", r95?.populationUsed, row.expected_pops_used, CLOSED_FORM);
          log.check(id, "expected_dths_used", r95?.deathsUsed, row.expected_dths_used, CLOSED_FORM);
        }
        peer.check(id, "peer_value", r95?.value, row.peer_value, CLOSED_FORM);
        peer.check(id, "peer_lower95_0cl", r95?.lower, row.peer_lower95_0cl, CLOSED_FORM);
        peer.check(id, "peer_upper95_0cl", r95?.upper, row.peer_upper95_0cl, CLOSED_FORM);
        peer.check(id, "peer_lower99_8cl", r998?.lower, row.peer_lower99_8cl, CLOSED_FORM);
        peer.check(id, "peer_upper99_8cl", r998?.upper, row.peer_upper99_8cl, CLOSED_FORM);
      }
    }
    expect(
      lifeExpectancy(
        cases.get("widecis_Area1")!.map((r) => ({
          startAge: req(r.startage),
          deaths: req(r.deaths),
          population: req(r.pops),
        })),
      )[0]!.suppressed,
    ).toBe("deaths exceed population");
    log.assertClean(60 * 3);
    peer.assertClean(60 * 5);
  });
});
