import { describe, expect, it } from "vitest";
import { textWidth } from "../../../src/render/charts/svg.ts";
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

/** The axis labels drawn under the plot, with their x positions, in order. */
function axisLabels(svg: string): { x: number; label: string }[] {
  const ys = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" font-size="13">([^<]*)<\/text>/g)];
  const bottom = Math.max(...ys.map((m) => Number(m[2])));
  return ys.filter((m) => Number(m[2]) === bottom).map((m) => ({ x: Number(m[1]), label: m[3]! }));
}

describe("time-series axis labels (issue 17)", () => {
  const years = Array.from({ length: 22 }, (_, i) => 2003 + i);
  const snapshots = years.map((y, i) => ({
    period: `${y}-03-31`,
    label: `31 March ${y}`,
    value: 100 + i,
    lower: null,
    upper: null,
  }));

  it("snapshot dates never overlap: each shown label is at least its own width (generously measured) apart", () => {
    const svg = timeSeriesChart({ ...base, points: snapshots, benchmark: undefined });
    const shown = axisLabels(svg);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.length).toBeLessThan(snapshots.length);
    // the latest period is always labelled, and its label ends inside the chart (it was cut off at the right edge)
    expect(shown.at(-1)!.label).toBe("31 March 2024");
    const width = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)![1]);
    expect(shown.at(-1)!.x + textWidth("31 March 2024", 13) / 2).toBeLessThanOrEqual(width);
    // a generous width for 13px Helvetica/Arial: 0.6 em a character
    for (let i = 1; i < shown.length; i++) {
      const need = (shown[i - 1]!.label.length * 0.6 * 13) / 2 + (shown[i]!.label.length * 0.6 * 13) / 2;
      expect(shown[i]!.x - shown[i - 1]!.x).toBeGreaterThanOrEqual(need);
    }
  });

  it("short labels that fit are all shown", () => {
    const svg = timeSeriesChart({
      ...base,
      points: snapshots.slice(0, 6).map((p, i) => ({ ...p, label: `${2003 + i}` })),
    });
    expect(axisLabels(svg).map((l) => l.label)).toEqual(["2003", "2004", "2005", "2006", "2007", "2008"]);
  });
});

describe("a one-period series (issue 17)", () => {
  const one = [{ period: "2023", label: "2023", value: 5.6, lower: 5.1, upper: 6.2, status: "similar" as const }];
  const svg = timeSeriesChart({ ...base, points: one, benchmark: { label: "Wales", values: { "2023": 5.4 } } });

  it("draws the point with its interval as an error bar, and the Wales figure as a short mark", () => {
    expectAccessibleSvg(svg, "ts", "Low birth weight in Cardiff &amp; the Vale &lt;test&gt;");
    // the error bar: a vertical line from the lower to the upper limit with caps
    expect(svg).toMatch(
      /<path d="M[\d.]+ [\d.]+V[\d.]+M[\d.]+ [\d.]+H[\d.]+M[\d.]+ [\d.]+H[\d.]+" fill="none" stroke="#1d70b8" stroke-width="2"\/>/,
    );
    expect(svg).toMatch(
      /<line x1="[\d.]+" y1="[\d.]+" x2="[\d.]+" y2="[\d.]+" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"\/>/,
    );
    expect(svg).toContain("2023: 5.6 (5.1–6.2), Similar to Wales");
    // no empty band: the legend shows the interval as a line sample, not a band
    expect(svg).not.toContain('fill-opacity="0.2"');
  });
});
