import { describe, expect, it } from "vitest";
import { timeSeriesChart } from "../../../src/render/charts/time-series.ts";
import { expectAccessibleSvg, fmt, STATUS_LABELS } from "./svg-checks.ts";

const points = [
  { period: "2019", label: "2019", value: 10, lower: 8, upper: 12, status: "similar" as const },
  { period: "2020", label: "2020", value: 14, lower: 12, upper: 16, status: "worse" as const },
  { period: "2021", label: "2021", value: null, lower: null, upper: null },
  { period: "2022", label: "2022", value: 9, lower: 7.5, upper: 10.5, status: "better" as const },
];

const base = {
  id: "ts",
  title: "Low birth weight in Cardiff & the Vale <test>",
  desc: "Values from 2019 to 2022",
  points,
  seriesLabel: "Cardiff",
  benchmark: { label: "Wales", values: { "2019": 11, "2020": 11.5, "2021": 11, "2022": 10.8 } },
  bandLabel: "95% confidence interval",
  valueLabel: "Percentage",
  statusLabels: STATUS_LABELS,
  format: fmt,
};

describe("time-series chart", () => {
  it("is an accessible, CSP-safe SVG with escaped title", () => {
    const svg = timeSeriesChart(base);
    expectAccessibleSvg(svg, "ts", "Low birth weight in Cardiff &amp; the Vale &lt;test&gt;");
  });

  it("draws the confidence band, the Wales line and a marker per non-missing point", () => {
    const svg = timeSeriesChart(base);
    expect(svg).toContain('fill-opacity="0.2"');
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg.match(/<g><title>/g)?.length).toBe(3);
    // missing value breaks the line: two segments (d3 line.defined starts a new M)
    const line = /<path d="([^"]+)" fill="none" stroke="#1d70b8"/.exec(svg)?.[1] ?? "";
    expect(line.match(/M/g)?.length).toBe(2);
  });

  it("names each status shown in the legend in words, so colour is not the only cue", () => {
    const svg = timeSeriesChart(base);
    for (const s of ["Similar to Wales", "Worse than Wales", "Better than Wales"])
      expect(svg).toContain(`>${s}</text>`);
    expect(svg).not.toContain(">Higher than Wales</text>");
    expect(svg).toContain("2020: 14.0 (12.0–16.0), Worse than Wales");
  });

  it("copes with no data at all", () => {
    const svg = timeSeriesChart({ ...base, points: [], benchmark: undefined });
    expectAccessibleSvg(svg, "ts", "Low birth weight in Cardiff &amp; the Vale &lt;test&gt;");
  });
});
