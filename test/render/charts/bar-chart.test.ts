import { describe, expect, it } from "vitest";
import { barChart } from "../../../src/render/charts/bar-chart.ts";
import { textWidth } from "../../../src/render/charts/svg.ts";
import { expectAccessibleSvg, fmt, STATUS_LABELS } from "./svg-checks.ts";

const rows = [
  { code: "A", label: "Ynys Môn", value: 12, lower: 10, upper: 14, status: "worse" as const },
  { code: "B", label: "Caerdydd", value: 8, lower: 7, upper: 9, status: "better" as const, highlight: true },
  { code: "C", label: "Powys", value: 10, lower: 6, upper: 14, status: "similar" as const },
  {
    code: "D",
    label: "Conwy",
    value: null,
    lower: null,
    upper: null,
    status: "not_compared" as const,
    missingText: "Suppressed",
  },
];

describe("bar chart", () => {
  const svg = barChart({
    id: "bars",
    title: "All areas",
    desc: "Bars",
    rows,
    benchmark: { label: "Cymru", value: 10 },
    valueLabel: "%",
    statusLabels: STATUS_LABELS,
    format: fmt,
  });

  it("is accessible and CSP-safe", () => {
    expectAccessibleSvg(svg, "bars", "All areas");
  });

  it("labels every row's status in words and draws CI whiskers", () => {
    for (const s of ["Worse than Wales", "Better than Wales", "Similar to Wales", "Not compared"]) {
      expect(svg).toContain(`>${s}</text>`);
    }
    expect(svg.match(/stroke-width="1.5" fill="none"/g)?.length).toBe(3);
    expect(svg).toContain(">Suppressed</text>");
    expect(svg).toContain(">Ynys Môn</text>");
  });

  it("colours bars by status and outlines the highlighted area", () => {
    expect(svg).toContain('fill="#d4351c"');
    expect(svg).toContain('fill="#00703c" stroke="#0b0c0c" stroke-width="2.5"');
  });

  it("draws the benchmark line", () => {
    expect(svg).toMatch(/<line [^>]*stroke-dasharray="6 4"\/>/);
  });
});

describe("bar chart status words (issue 17)", () => {
  it("the longest Welsh status ends inside the chart, measured at the size it is drawn", () => {
    const welsh = { ...STATUS_LABELS, worse: "Yn arwyddocaol waeth na Chymru" };
    const svg = barChart({
      id: "bars",
      title: "All",
      desc: "Bars",
      rows,
      valueLabel: "%",
      statusLabels: welsh,
      format: fmt,
    });
    const width = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)![1]);
    const m = /<text x="([\d.]+)" y="[\d.]+" font-size="(\d+)">Yn arwyddocaol waeth na Chymru<\/text>/.exec(svg);
    expect(m).not.toBeNull();
    expect(Number(m![1]) + textWidth(welsh.worse, Number(m![2]))).toBeLessThanOrEqual(width);
  });
});
