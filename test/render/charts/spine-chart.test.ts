import { describe, expect, it } from "vitest";
import { type SpineRow, spineChart, spinePosition } from "../../../src/render/charts/spine-chart.ts";
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

const ROW = {
  benchmark: 10,
  min: 5,
  max: 20,
  q25: 8,
  q75: 13,
  polarity: "higher_is_better" as const,
  status: "not_compared" as const,
};

/** A spine chart of these rows, with English labels. */
function spine(rows: SpineRow[]): string {
  return spineChart({
    id: "spine",
    title: "Spine",
    desc: "Area against the range",
    rows,
    axisLabels: { left: "Worst", centre: "Wales", right: "Best" },
    rangeLabel: "Range of areas",
    middleLabel: "Middle half",
    statusLabels: STATUS_LABELS,
    format: fmt,
    missingText: "No data",
    unplacedText: "no Wales figure to compare with",
  });
}

describe("spine chart", () => {
  const svg = spine([
    { ...ROW, code: "m1", label: "Measure one", value: 12, status: "better" },
    { ...ROW, code: "m2", label: "Measure two", value: null, polarity: "lower_is_better" },
    { ...ROW, code: "m3", label: "Measure three", value: null, missingNote: "Suppressed" },
  ]);
  it("is accessible and labels its ends, centre and statuses in words", () => {
    expectAccessibleSvg(svg, "spine", "Spine");
    for (const s of ["Worst", "Wales", "Best", "Better than Wales", "No data", "Range of areas"])
      expect(svg).toContain(`>${s}</text>`);
  });
  it("says why a row has no value when it knows (suppressed), else 'No data'", () => {
    expect(svg).toContain(">Suppressed</text>");
    expect(svg.match(/>No data<\/text>/g)).toHaveLength(1);
  });
});

describe("spine chart row with a value but no Wales figure (issue 17)", () => {
  const svg = spine([
    {
      ...ROW,
      code: "m1",
      label: "Under-18 conceptions",
      value: 20.9,
      benchmark: null,
      max: 30,
      polarity: "lower_is_better",
    },
  ]);
  it("says the area's figure and why it is not placed, never 'No data'", () => {
    expectAccessibleSvg(svg, "spine", "Spine");
    expect(svg).not.toContain(">No data</text>");
    expect(svg).toContain(">20.9: no Wales figure to compare with</text>");
    expect(svg).toContain("<title>Under-18 conceptions: 20.9: no Wales figure to compare with</title>");
  });
});
