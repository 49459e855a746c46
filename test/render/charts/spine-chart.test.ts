import { describe, expect, it } from "vitest";
import { spineChart, spinePosition } from "../../../src/render/charts/spine-chart.ts";
import { expectAccessibleSvg, fmt, STATUS_LABELS } from "./svg-checks.ts";

describe("spine position", () => {
  const row = { benchmark: 10, min: 5, max: 20, polarity: "higher_is_better" as const };
  it("centres on the benchmark and scales by the furthest extreme", () => {
    expect(spinePosition(10, row)).toBe(0);
    expect(spinePosition(20, row)).toBe(1);
    expect(spinePosition(5, row)).toBe(-0.5);
  });
  it("puts the best value on the right when lower is better", () => {
    expect(spinePosition(5, { ...row, polarity: "lower_is_better" })).toBe(0.5);
    expect(spinePosition(20, { ...row, polarity: "lower_is_better" })).toBe(-1);
  });
  it("is null without a benchmark or range", () => {
    expect(spinePosition(5, { ...row, benchmark: null })).toBeNull();
  });
});

describe("spine chart", () => {
  const svg = spineChart({
    id: "spine",
    title: "Spine",
    desc: "Area against the range",
    rows: [
      {
        code: "m1",
        label: "Measure one",
        value: 12,
        benchmark: 10,
        min: 5,
        max: 20,
        q25: 8,
        q75: 13,
        polarity: "higher_is_better",
        status: "better",
      },
      {
        code: "m2",
        label: "Measure two",
        value: null,
        benchmark: 10,
        min: 5,
        max: 20,
        q25: 8,
        q75: 13,
        polarity: "lower_is_better",
        status: "not_compared",
      },
    ],
    axisLabels: { left: "Worst", centre: "Wales", right: "Best" },
    rangeLabel: "Range of areas",
    middleLabel: "Middle half",
    statusLabels: STATUS_LABELS,
    format: fmt,
    missingText: "No data",
  });
  it("is accessible and labels its ends, centre and statuses in words", () => {
    expectAccessibleSvg(svg, "spine", "Spine");
    for (const s of ["Worst", "Wales", "Best", "Better than Wales", "No data", "Range of areas"])
      expect(svg).toContain(`>${s}</text>`);
  });
});
