import { describe, expect, it } from "vitest";
import { tartanCell, tartanRug } from "../../../src/render/charts/tartan-rug.ts";
import { expectAccessibleSvg, expectWellFormed, fmt, STATUS_LABELS } from "./svg-checks.ts";

describe("tartan-rug cell icon", () => {
  it("is a named image of the status shape", () => {
    const svg = tartanCell({ id: "c1", status: "worse", label: "Worse than Wales", desc: "12.0 (10.0–14.0)" });
    expectWellFormed(svg);
    expect(svg).toContain('role="img" aria-labelledby="c1-title c1-desc"');
    expect(svg).toContain('<title id="c1-title">Worse than Wales</title>');
    expect(svg).toMatch(/<path d="M[^"]+Z" fill="#d4351c"/);
    expect(svg).not.toMatch(/style/);
  });
});

describe("tartan rug", () => {
  it("prints each value on its status colour with the status shape, and a legend", () => {
    const svg = tartanRug({
      id: "rug",
      title: "Overview",
      desc: "Measures by area",
      columns: [
        { code: "A", label: "Caerdydd" },
        { code: "B", label: "Abertawe" },
      ],
      rows: [
        {
          code: "m1",
          label: "Measure 1",
          cells: [
            { value: 1.5, status: "better" },
            { value: null, status: "not_compared" },
          ],
        },
        {
          code: "m2",
          label: "Measure 2",
          cells: [
            { value: 2.5, status: "higher" },
            { value: 3, status: "lower" },
          ],
        },
      ],
      statusLabels: STATUS_LABELS,
      format: fmt,
      missingText: "–",
    });
    expectAccessibleSvg(svg, "rug", "Overview");
    expect(svg).toContain(">1.5</text>");
    expect(svg).toContain(">Higher than Wales</text>");
    expect(svg).toContain(">Caerdydd</text>");
  });
});
