import { describe, expect, it } from "vitest";
import { axisLabelIndices, minShownWidth, svgRoot, textWidth } from "../../../src/render/charts/svg.ts";

describe("a chart's shown width keeps its smallest text at 12 px (issue 17)", () => {
  it("is the drawing's width scaled so that its smallest font size is shown at 12 px, never wider than drawn", () => {
    expect(minShownWidth(720, '<text font-size="13">a</text><text font-size="15">b</text>')).toBe(665);
    expect(minShownWidth(720, "<text>only the root size, 14</text>")).toBe(618);
    expect(minShownWidth(520, '<text font-size="10">tiny</text>')).toBe(520);
  });

  it("is the width attribute of the chart, its viewBox the drawing", () => {
    const svg = svgRoot({
      id: "c",
      title: "T",
      desc: "D",
      width: 720,
      height: 360,
      body: '<text font-size="13">x</text>',
    });
    expect(svg).toContain('viewBox="0 0 720 360"');
    expect(svg).toContain('width="665" height="332.5"');
  });
});

describe("axis labels", () => {
  it("are thinned back from the latest so that none overlaps", () => {
    const labels = Array.from({ length: 10 }, (_, i) => `31 March ${2010 + i}`);
    const shown = axisLabelIndices(labels, 40);
    expect(shown.at(-1)).toBe(9);
    const gap = shown[1]! - shown[0]!;
    expect(gap * 40).toBeGreaterThanOrEqual(textWidth(labels[0]!, 13));
    expect(axisLabelIndices(["2019", "2020", "2021"], 100)).toEqual([0, 1, 2]);
  });
});
