/** Comparing two versions of a plan (pure): matching, added/removed/changed marking, per section, in the reader's words. */
import { describe, expect, it } from "vitest";
import { type CompareWords, comparePlans, type PlanSnapshot } from "../../../src/domain/plans/compare.ts";

const words = (lang: "en" | "cy"): CompareWords => ({
  text: (v) => (v ? (lang === "cy" && v.cy ? v.cy : v.en) : ""),
  code: (kind, value) => `${kind}:${value}`,
  item: (section, item) => `${section}:${(item as { text: string }).text}`,
  number: (n) => String(n),
});

const v1: PlanSnapshot = {
  priorities: [
    { key: "1", text: { en: "Healthy start", cy: "Dechrau iach" }, rationale: null, coreAims: ["CA1"] },
    { key: "2", text: { en: "Safe homes" }, rationale: null, coreAims: ["CA7"] },
  ],
  measures: [
    {
      code: "hl",
      kind: "high_level",
      priorityKey: null,
      reason: null,
      targets: [{ period: "2025-26", value: 10, stretch: null }],
    },
    { code: "add", kind: "additional", priorityKey: "1", reason: { en: "Because" }, targets: [] },
  ],
  narratives: [
    { subjectKind: "measure", subjectCode: "hl", section: "story", body: "Take-up fell.", items: [{ text: "Cuts" }] },
  ],
  actions: [
    {
      key: "5",
      subjectKind: "measure",
      subjectCode: "hl",
      title: { en: "Visit families" },
      owner: "Health",
      startDate: null,
      dueDate: "2026-03-31",
      status: "on_track",
      updates: [],
    },
  ],
  programmes: [
    {
      code: "P1",
      name: { en: "Baby clinics" },
      description: null,
      priorityKey: "1",
      measures: [
        {
          code: "M1",
          title: { en: "Families seen" },
          quadrant: "how_much",
          unit: "count",
          polarity: "higher_is_better",
          values: [{ period: "2025-26", value: 120 }],
        },
      ],
    },
  ],
};

describe("comparing two versions of a plan", () => {
  it("finds nothing between a version and itself", () => {
    const c = comparePlans(v1, v1, words("en"));
    expect(c.differences).toBe(0);
    expect(c.priorities.map((p) => p.change)).toEqual(["unchanged", "unchanged"]);
    expect(c.targets).toHaveLength(1);
  });

  it("marks things added, removed and changed in every section, matching priorities and actions by lineage", () => {
    const v2: PlanSnapshot = {
      priorities: [
        // priority 1 reworded (same lineage key), priority 2 removed, priority 9 added
        { key: "1", text: { en: "Healthy start in life", cy: "Dechrau iach" }, rationale: null, coreAims: ["CA1"] },
        { key: "9", text: { en: "Play" }, rationale: null, coreAims: ["CA4"] },
      ],
      measures: [
        {
          code: "hl",
          kind: "high_level",
          priorityKey: null,
          reason: null,
          targets: [
            { period: "2025-26", value: 8, stretch: 6 },
            { period: "2026-27", value: 7, stretch: null },
          ],
        },
      ],
      narratives: [
        {
          subjectKind: "measure",
          subjectCode: "hl",
          section: "story",
          body: "Take-up fell sharply.",
          items: [{ text: "Cuts" }],
        },
        { subjectKind: "measure", subjectCode: "hl", section: "partners", body: "Schools.", items: null },
      ],
      actions: [
        {
          ...v1.actions[0]!,
          title: { en: "Visit every family" },
          status: "done",
          updates: [{ date: "2026-01-01", text: { en: "Half done" }, status: "on_track" }],
        },
      ],
      programmes: [],
    };
    const c = comparePlans(v1, v2, words("en"));
    expect(c.priorities.map((p) => [p.key, p.change])).toEqual([
      ["1", "changed"],
      ["9", "added"],
      ["2", "removed"],
    ]);
    expect(c.priorities[0]!.fields.filter((f) => f.changed)).toEqual([
      { field: "text", before: "Healthy start", after: "Healthy start in life", changed: true },
    ]);
    expect(c.priorities[2]!.fields.find((f) => f.field === "text")).toEqual({
      field: "text",
      before: "Safe homes",
      after: "",
      changed: true,
    });
    expect(c.measures.map((m) => [m.key, m.change])).toEqual([
      ["hl", "unchanged"],
      ["add", "removed"],
    ]);
    expect(c.targets.map((t) => [t.about.period, t.change])).toEqual([
      ["2025-26", "changed"],
      ["2026-27", "added"],
    ]);
    expect(c.targets[0]!.fields).toEqual([
      { field: "target", before: "10", after: "8", changed: true },
      { field: "stretch", before: "", after: "6", changed: true },
    ]);
    expect(c.narratives.map((n) => [n.about.section, n.change])).toEqual([
      ["story", "changed"],
      ["partners", "added"],
    ]);
    expect(c.narratives[0]!.fields.find((f) => f.field === "items")!.changed).toBe(false);
    expect(c.actions).toHaveLength(1);
    expect(c.actions[0]!.change).toBe("changed");
    expect(c.actions[0]!.fields.filter((f) => f.changed).map((f) => f.field)).toEqual(["title", "status", "updates"]);
    expect(c.actions[0]!.fields.find((f) => f.field === "updates")!.after).toBe(
      "2026-01-01: Half done (action_status:on_track)",
    );
    expect(c.programmes.map((p) => [p.key, p.change])).toEqual([["P1", "removed"]]);
    expect(c.performance.map((p) => [p.about.subject, p.change])).toEqual([["programme_measure:P1/M1", "removed"]]);
    expect(c.differences).toBe(3 + 1 + 2 + 2 + 1 + 1 + 1);
  });

  it("compares programmes and their performance measures, with each period's value", () => {
    const p1 = v1.programmes[0]!;
    const m1 = p1.measures[0]!;
    const v2: PlanSnapshot = {
      ...v1,
      programmes: [
        {
          ...p1,
          name: { en: "Baby and toddler clinics" },
          measures: [
            { ...m1, values: [...m1.values, { period: "2026-27", value: 150 }] },
            {
              ...m1,
              code: "M2",
              title: { en: "Parents satisfied" },
              quadrant: "how_well",
              unit: "percent",
              values: [],
            },
          ],
        },
      ],
    };
    const c = comparePlans(v1, v2, words("en"));
    expect(c.programmes[0]!.fields.filter((f) => f.changed)).toEqual([
      { field: "name", before: "Baby clinics", after: "Baby and toddler clinics", changed: true },
    ]);
    expect(c.programmes[0]!.fields.find((f) => f.field === "priority")!.after).toBe("Healthy start");
    expect(c.performance.map((p) => [p.key.replace("\u0000", "/"), p.change])).toEqual([
      ["P1/M1", "changed"],
      ["P1/M2", "added"],
    ]);
    expect(c.performance[0]!.fields.filter((f) => f.changed)).toEqual([
      { field: "values", before: "2025-26: 120", after: "2025-26: 120\n2026-27: 150", changed: true },
    ]);
    expect(c.performance[1]!.fields.find((f) => f.field === "quadrant")!.after).toBe("quadrant:how_well");
    expect(c.differences).toBe(3);
  });

  it("compares what the reader reads: a change to the English text only is no difference in Welsh", () => {
    const v2: PlanSnapshot = {
      ...v1,
      priorities: [
        { ...v1.priorities[0]!, text: { en: "Healthy start for all", cy: "Dechrau iach" } },
        v1.priorities[1]!,
      ],
    };
    // in English: the priority, and the measure and the programme that serve it
    expect(comparePlans(v1, v2, words("en")).differences).toBe(3);
    expect(comparePlans(v1, v2, words("cy")).differences).toBe(0);
  });

  it("shows a measure serving a reworded priority as changed (the priority it serves reads differently)", () => {
    const v2: PlanSnapshot = {
      ...v1,
      priorities: [{ ...v1.priorities[0]!, text: { en: "Healthy start in life" } }, v1.priorities[1]!],
    };
    const add = comparePlans(v1, v2, words("en")).measures.find((m) => m.key === "add")!;
    expect(add.change).toBe("changed");
    expect(add.fields.find((f) => f.field === "priority")).toMatchObject({
      before: "Healthy start",
      after: "Healthy start in life",
    });
  });
});
