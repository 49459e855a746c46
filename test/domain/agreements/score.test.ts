import { describe, expect, it } from "vitest";
import { parseScheme, type Scheme } from "../../../src/domain/agreements/scheme.ts";
import { computeGrant, countCategories, ScoreInputError } from "../../../src/domain/agreements/score.ts";
import { parseSchemesText, presetSchemes, SchemesFileError } from "../../../src/ingest/agreements/schemes-file.ts";
import { explainGrant } from "../../../src/render/wording/agreement-score.ts";
import { translator } from "../../../src/web/i18n.ts";

const presets = presetSchemes();
const s2010 = presets.get("2010-13") as Scheme;
const s2013 = presets.get("2013-16") as Scheme;
const GRANT = 1_254_000;
const counts = (fully: number, partially: number, unsuccessful: number) => ({ fully, partially, unsuccessful });

describe("the shipped presets", () => {
  it("are the two schemes of DOMAIN.md §4, read from content/agreements/schemes.yaml", () => {
    expect([...presets.keys()]).toEqual(["2010-13", "2013-16"]);
    expect(s2010).toMatchObject({
      outcomes: 10,
      points: { fully: 3, partially: 2, unsuccessful: 1 },
      pointsStated: false,
      fullGrantScore: 25,
      minimumSuccessful: 9,
      collaborationRequired: true,
      belowThreshold: "pro_rata",
    });
    expect(s2010.parts.map((p) => [p.key, p.percent])).toEqual([["outcomes", 100]]);
    expect(s2013).toMatchObject({ outcomes: 5, points: { fully: 2 }, belowThreshold: "pro_rata" });
    expect(s2013.parts.map((p) => [p.key, p.percent])).toEqual([
      ["outcomes", 70],
      ["corporate_governance", 30],
    ]);
  });
});

describe("grant payable under 2010–13", () => {
  it("Flintshire's 6 fully + 3 partially + 1 unsuccessful with collaboration: exactly 25 of 30, the full grant", () => {
    const c = computeGrant(s2010, { counts: counts(6, 3, 1), collaboration: true, grant: GRANT });
    expect(c).toMatchObject({ points: 25, maximum: 30, successful: 9, rule: "full_grant", reasons: [] });
    expect(c.categoryPoints).toEqual({ fully: 18, partially: 6, unsuccessful: 1 });
    expect(c.grantPayable).toBe(GRANT);
  });

  it("the same without collaboration evidence: pro rata 25 ÷ 30", () => {
    const c = computeGrant(s2010, { counts: counts(6, 3, 1), collaboration: false, grant: GRANT });
    expect(c.rule).toBe("pro_rata");
    expect(c.reasons).toEqual([{ kind: "collaboration" }]);
    expect(c.grantPayable).toBe(1_045_000);
  });

  it("25 points with only 8 successful outcomes: pro rata", () => {
    // 7 fully (21) + 1 partially (2) + 2 unsuccessful (2) = 25, 8 successful
    const c = computeGrant(s2010, { counts: counts(7, 1, 2), collaboration: true, grant: GRANT });
    expect(c.points).toBe(25);
    expect(c.successful).toBe(8);
    expect(c.reasons).toEqual([{ kind: "successful", successful: 8, needed: 9 }]);
    expect(c.grantPayable).toBe(1_045_000);
  });

  it("24 points: pro rata, to the penny", () => {
    // 5 fully (15) + 4 partially (8) + 1 unsuccessful (1) = 24, 9 successful
    const c = computeGrant(s2010, { counts: counts(5, 4, 1), collaboration: true, grant: GRANT });
    expect(c.points).toBe(24);
    expect(c.reasons).toEqual([{ kind: "score", points: 24, needed: 25 }]);
    expect(c.grantPayable).toBe(1_003_200);
    // 24/30 of £1,000,000.01 = £800,000.008 → £800,000.01
    expect(
      computeGrant(s2010, { counts: counts(5, 4, 1), collaboration: true, grant: 1_000_000.01 }).grantPayable,
    ).toBe(800_000.01);
  });

  it("every shortfall is named when several apply, and 30 of 30 is the full grant", () => {
    const c = computeGrant(s2010, { counts: counts(0, 0, 10), collaboration: false, grant: GRANT });
    expect(c.reasons.map((r) => r.kind)).toEqual(["score", "successful", "collaboration"]);
    expect(c.grantPayable).toBe(418_000);
    expect(computeGrant(s2010, { counts: counts(10, 0, 0), collaboration: true, grant: GRANT }).grantPayable).toBe(
      GRANT,
    );
  });

  it("refuses assessments that do not add up to the scheme's outcomes, naming the field", () => {
    expect(() => computeGrant(s2010, { counts: counts(6, 3, 0), collaboration: true, grant: GRANT })).toThrow(
      /add up to 9 outcomes; scheme 2010-13 has 10/,
    );
    expect(() => computeGrant(s2010, { counts: counts(6, 3.5, 0.5), collaboration: true, grant: GRANT })).toThrow(
      ScoreInputError,
    );
    expect(() => computeGrant(s2010, { counts: counts(6, 3, 1), collaboration: true, grant: -1 })).toThrow(/grant/);
    expect(() => computeGrant(s2010, { counts: counts(6, 3, 1), collaboration: true, grant: 1.001 })).toThrow(/grant/);
  });
});

describe("grant payable under 2013–16", () => {
  it("five fully successful: the maximum 10 points, all of Part 1 (70%), Part 2 as judged", () => {
    const c = computeGrant(s2013, {
      counts: counts(5, 0, 0),
      collaboration: false,
      grant: 1_000_000,
      judged: { corporate_governance: 100 },
    });
    expect(c.points).toBe(10);
    expect(c.maximum).toBe(10);
    expect(c.parts.map((p) => [p.key, p.grantPence / 100, (p.payablePence ?? 0) / 100])).toEqual([
      ["outcomes", 700_000, 700_000],
      ["corporate_governance", 300_000, 300_000],
    ]);
    expect(c.grantPayable).toBe(1_000_000);
  });

  it("pays Part 1 pro rata and Part 2 by the share awarded; unknown until Part 2 is judged", () => {
    const input = { counts: counts(3, 1, 1), collaboration: false, grant: 1_000_000 };
    const pending = computeGrant(s2013, input);
    expect(pending.points).toBe(7);
    expect(pending.parts[0]?.payablePence).toBe(49_000_000); // 7/10 × £700,000
    expect(pending.grantPayable).toBeNull();
    const judged = computeGrant(s2013, { ...input, judged: { corporate_governance: 50 } });
    expect(judged.grantPayable).toBe(490_000 + 150_000);
    expect(() => computeGrant(s2013, { ...input, judged: { finance: 50 } })).toThrow(
      /no separately judged part finance/,
    );
  });

  it("splits an odd number of pence so the parts add up to the grant", () => {
    const c = computeGrant(s2013, {
      counts: counts(5, 0, 0),
      collaboration: false,
      grant: 0.01,
      judged: { corporate_governance: 100 },
    });
    expect(c.parts.reduce((s, p) => s + p.grantPence, 0)).toBe(1);
    expect(c.payablePence).toBe(1);
  });
});

describe("a custom scheme", () => {
  const custom = {
    code: "custom-4",
    name: { en: "Custom", cy: "Arfer" },
    outcomes: 4,
    points: { fully: 4, partially: 2, unsuccessful: 0 },
    pointsStated: true,
    successful: ["fully"],
    fullGrantScore: 12,
    minimumSuccessful: 3,
    collaborationRequired: false,
    parts: [{ key: "outcomes", name: { en: "Outcomes", cy: "Canlyniadau" }, percent: 100 }],
    belowThreshold: "nothing",
  };

  it("applies its own points, threshold, successful categories and rule below the threshold", () => {
    const p = parseScheme(custom);
    if (!p.ok) throw new Error(p.problems.join("; "));
    const full = computeGrant(p.scheme, { counts: counts(3, 0, 1), collaboration: false, grant: 1000 });
    expect(full).toMatchObject({ points: 12, successful: 3, rule: "full_grant", grantPayable: 1000 });
    const none = computeGrant(p.scheme, { counts: counts(2, 2, 0), collaboration: false, grant: 1000 });
    expect(none).toMatchObject({ points: 12, successful: 2, rule: "nothing", grantPayable: 0 });
  });

  it("is refused with every problem named", () => {
    const p = parseScheme({
      ...custom,
      fullGrantScore: 40,
      parts: [{ key: "outcomes", name: custom.parts[0]?.name, percent: 90 }],
    });
    expect(p.ok).toBe(false);
    if (!p.ok)
      expect(p.problems).toEqual([
        "parts: the parts add up to 90%, not 100%",
        "fullGrantScore: 40 is more than the maximum score 16",
      ]);
  });

  it("a schemes file names the scheme and field of each problem, and nothing is returned", () => {
    const text = "schemes:\n  - code: x1\n    outcomes: 0\n";
    try {
      parseSchemesText(text, "mine.yaml");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SchemesFileError);
      expect((error as SchemesFileError).problems).toContain(
        "scheme x1, outcomes: Too small: expected number to be >=1",
      );
    }
  });
});

describe("moderation changing the result", () => {
  it("one outcome moderated from partially to unsuccessful takes 25 points to 24 and the full grant to pro rata", () => {
    const authority = [...Array(6).fill("fully"), ...Array(3).fill("partially"), "unsuccessful"] as const;
    const moderated = [...authority.slice(0, 8), "unsuccessful", "unsuccessful"] as const;
    const before = computeGrant(s2010, { counts: countCategories(authority), collaboration: true, grant: GRANT });
    const after = computeGrant(s2010, { counts: countCategories(moderated), collaboration: true, grant: GRANT });
    expect([before.points, before.rule]).toEqual([25, "full_grant"]);
    expect([after.points, after.successful, after.rule]).toEqual([24, 8, "pro_rata"]);
  });
});

describe("the explanation in words", () => {
  it("writes the arithmetic of the issue's example in English and Welsh", () => {
    const c = computeGrant(s2010, { counts: counts(6, 3, 1), collaboration: true, grant: GRANT });
    const en = explainGrant(s2010, c, translator("en"), "en");
    expect(en.summary).toBe(
      "6 fully (18) + 3 partially (6) + 1 unsuccessful (1) = 25 of 30; 9 of 10 successful; collaboration evidenced: full grant £1,254,000",
    );
    expect(en.pointsNote).toMatch(/do not state the points/);
    const cy = explainGrant(s2010, c, translator("cy"), "cy");
    expect(cy.summary).toBe(
      "6 yn llwyddiannus yn llawn (18) + 3 yn llwyddiannus yn rhannol (6) + 1 yn aflwyddiannus (1) = 25 o 30; 9 o 10 yn llwyddiannus; cydweithio wedi'i ddangos: y grant llawn £1,254,000",
    );
  });

  it("says why pro rata applied and writes out each part", () => {
    const c = computeGrant(s2010, { counts: counts(6, 3, 1), collaboration: false, grant: GRANT });
    expect(explainGrant(s2010, c, translator("en"), "en").rule).toBe(
      "Pro rata: collaboration, which the scheme requires for the full grant, was not evidenced; so 25 ÷ 30 × £1,254,000 = £1,045,000 is payable.",
    );
    const d = computeGrant(s2013, { counts: counts(3, 1, 1), collaboration: false, grant: 1_000_000 });
    expect(explainGrant(s2013, d, translator("en"), "en").parts).toEqual([
      "Part 1: outcomes (70% of the grant, £700,000): £490,000 payable.",
      "Part 2: corporate governance (30% of the grant, £300,000), judged separately: not judged yet.",
      "The grant payable is not known until every part is judged.",
    ]);
  });
});
