import { describe, expect, it } from "vitest";
import {
  diffFrameworks,
  diffIsEmpty,
  type FrameworkSnapshot,
  type MeasureSnapshot,
  measureChanges,
  migrationReport,
} from "../../src/domain/framework-diff.ts";

function measure(code: string, over: Partial<MeasureSnapshot> = {}): MeasureSnapshot {
  return {
    code,
    title: { en: `Title of ${code}`, cy: `Teitl ${code}` },
    layDefinition: { en: `What ${code} is`, cy: `Beth yw ${code}` },
    technicalDefinition: { en: `How ${code} is counted`, cy: `Sut mae ${code} yn cael ei gyfrif` },
    unit: "percentage",
    multiplier: 100,
    valueType: "proportion",
    polarity: "higher_is_better",
    status: "live",
    tier: "high_level",
    group: null,
    coreAims: ["CA1"],
    articles: [6, 24],
    replacesCode: null,
    breakInSeries: null,
    owner: "Welsh Government",
    ...over,
  };
}

const group = {
  code: "early-years",
  coreAim: "CA1",
  title: { en: "Early years", cy: "Blynyddoedd cynnar" },
  description: null,
};

/** The fixture change: version 2 retires mmr1, redefines low birth weight (a break in series) and adds mmr2. */
const v1: FrameworkSnapshot = {
  version: "1",
  groups: [group],
  measures: [
    measure("low-birth-weight"),
    measure("mmr1-by-2"),
    measure("attendance", { tier: "additional", group: "early-years" }),
  ],
};
const v2: FrameworkSnapshot = {
  version: "2",
  groups: [group],
  measures: [
    measure("low-birth-weight", {
      technicalDefinition: {
        en: "Births at term under 2,500 g",
        cy: "Genedigaethau ar ôl beichiogrwydd llawn dan 2,500 g",
      },
      breakInSeries: "From 2026 only births at term are counted.",
    }),
    measure("mmr1-by-2", { status: "retired" }),
    measure("attendance", { tier: "additional", group: "early-years" }),
    measure("mmr2-by-5"),
  ],
};

describe("the difference between two framework versions", () => {
  it("finds the measure added, the one retired and the one redefined, field by field, and the break in series", () => {
    const diff = diffFrameworks(v1, v2);
    expect(diff.from).toBe("1");
    expect(diff.to).toBe("2");
    expect(diff.added.map((m) => m.code)).toEqual(["mmr2-by-5"]);
    expect(diff.retired).toEqual([
      expect.objectContaining({ code: "mmr1-by-2", replacedBy: [], dropped: false, status: "retired" }),
    ]);
    expect(diff.redefined).toHaveLength(1);
    const lbw = diff.redefined[0]!;
    expect(lbw.code).toBe("low-birth-weight");
    expect(lbw.changes.map((c) => c.field)).toEqual(["technicalDefinition", "breakInSeries"]);
    expect(lbw.changes[0]).toMatchObject({
      kind: "text",
      before: { en: "How low-birth-weight is counted" },
      after: { en: "Births at term under 2,500 g" },
    });
    expect(lbw.affectsSeries).toBe(true);
    expect(diff.breaks).toEqual([
      {
        code: "low-birth-weight",
        title: lbw.title,
        note: "From 2026 only births at term are counted.",
        replaces: null,
      },
    ]);
    expect(diff.groups).toEqual({ added: [], removed: [], changed: [] });
    expect(diffIsEmpty(diff)).toBe(false);
  });

  it("finds nothing between a version and itself, and ignores the order of lists", () => {
    expect(diffIsEmpty(diffFrameworks(v1, { ...v1, version: "1" }))).toBe(true);
    expect(
      measureChanges(measure("a", { coreAims: ["CA1", "CA3"] }), measure("a", { coreAims: ["CA3", "CA1"] })),
    ).toEqual([]);
    // a missing optional text and an empty one (null) are the same
    expect(measureChanges(measure("a", { caveats: null }), measure("a"))).toEqual([]);
  });

  it("counts a measure the new version no longer lists as retired, and names what replaces it", () => {
    const v3: FrameworkSnapshot = {
      version: "3",
      groups: [],
      measures: [
        measure("low-birth-weight"),
        measure("mmr-both-doses", { replacesCode: "mmr1-by-2", breakInSeries: "New series" }),
      ],
    };
    const diff = diffFrameworks(v1, v3);
    expect(diff.retired.map((r) => [r.code, r.replacedBy, r.dropped])).toEqual([
      ["mmr1-by-2", ["mmr-both-doses"], true],
      ["attendance", [], true],
    ]);
    expect(diff.breaks).toEqual([
      expect.objectContaining({ code: "mmr-both-doses", replaces: "mmr1-by-2", note: "New series" }),
    ]);
    expect(diff.groups.removed.map((g) => g.code)).toEqual(["early-years"]);
  });

  it("reports groups added and changed, and a measure moved between groups", () => {
    const v3: FrameworkSnapshot = {
      version: "3",
      groups: [
        { ...group, title: { en: "Early years and childcare", cy: "Blynyddoedd cynnar a gofal plant" } },
        { code: "school", coreAim: "CA2", title: { en: "School", cy: "Ysgol" }, description: null },
      ],
      measures: [v1.measures[0]!, v1.measures[1]!, measure("attendance", { tier: "additional", group: "school" })],
    };
    const diff = diffFrameworks(v1, v3);
    expect(diff.groups.added.map((g) => g.code)).toEqual(["school"]);
    expect(diff.groups.changed).toEqual([
      expect.objectContaining({ code: "early-years", changes: [expect.objectContaining({ field: "title" })] }),
    ]);
    expect(diff.redefined).toEqual([
      expect.objectContaining({
        code: "attendance",
        affectsSeries: false,
        changes: [{ field: "group", kind: "value", before: "early-years", after: "school" }],
      }),
    ]);
  });
});

describe("a plan's migration report", () => {
  it("says what to do about each selected measure retired or redefined, and adds new high-level measures", () => {
    const report = migrationReport(diffFrameworks(v1, v2), ["low-birth-weight", "mmr1-by-2", "attendance"]);
    expect(report).toMatchObject({ from: "1", to: "2", changesSelection: true });
    expect(report.items.map((i) => [i.code, i.advice])).toEqual([
      ["mmr1-by-2", "remove"],
      ["low-birth-weight", "review"],
      ["mmr2-by-5", "add"],
    ]);
    expect(report.items[1]!.breakNote).toBe("From 2026 only births at term are counted.");
    expect(report.items[1]!.changes.map((c) => c.field)).toEqual(["technicalDefinition", "breakInSeries"]);
  });

  it("leaves out measures the plan did not select, and proposes the replacement of a retired one", () => {
    const v3: FrameworkSnapshot = {
      version: "3",
      groups: [group],
      measures: [
        measure("low-birth-weight", { owner: "Public Health Wales" }),
        measure("mmr1-by-2", { status: "retired" }),
        measure("mmr-both-doses", { replacesCode: "mmr1-by-2" }),
        measure("attendance", { tier: "additional", group: "early-years" }),
      ],
    };
    const report = migrationReport(diffFrameworks(v1, v3), ["low-birth-weight", "mmr1-by-2"]);
    expect(report.items.map((i) => [i.code, i.advice, i.replacement])).toEqual([
      ["mmr1-by-2", "replace", "mmr-both-doses"],
      ["low-birth-weight", "note", null],
    ]);
    const none = migrationReport(diffFrameworks(v1, v3), ["attendance"]);
    expect(none.items.map((i) => [i.code, i.advice])).toEqual([["mmr-both-doses", "add"]]);
    expect(migrationReport(diffFrameworks(v1, { ...v1, version: "1.1" }), ["attendance"])).toMatchObject({
      items: [],
      changesSelection: false,
    });
  });
});
