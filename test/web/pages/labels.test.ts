import { describe, expect, it } from "vitest";
import { cell, linkCell, pageColumns, type TableModel, toDownload } from "../../../src/render/document/table.ts";
import { translator } from "../../../src/web/i18n.ts";
import { disclosureText } from "../../../src/web/pages/download-meta.ts";
import { ciText, displayValue, statusLabels, toStatus, trendText, unitLabel } from "../../../src/web/pages/labels.ts";
import { withQuery } from "../../../src/web/pages/urls.ts";

const en = translator("en");
const cy = translator("cy");
const pct = { unit: "percentage", multiplier: 100, decimals: 1 };
const rate = { unit: "rate", multiplier: 1000, decimals: 2 };

describe("labels", () => {
  it("write values, intervals and units in either language", () => {
    expect(displayValue("en", pct, 12.345)).toBe("12.3%");
    expect(displayValue("cy", rate, 1234.5)).toBe("1,234.50");
    expect(displayValue("en", pct, null)).toBe("");
    expect(ciText(cy, "cy", pct, 1.23, 4.56)).toBe("1.2 i 4.6");
    expect(ciText(en, "en", pct, null, 4)).toBe("");
    expect(unitLabel(cy, "cy", rate)).toBe("Cyfradd fesul 1,000");
    expect(unitLabel(en, "en", pct)).toBe("Percentage");
  });

  it("name comparisons and trends in words, using the glossary's Welsh", () => {
    expect(statusLabels(cy).worse).toBe("Yn arwyddocaol waeth na Chymru");
    expect(statusLabels(en, "group").better).toBe("Better than the group");
    expect(toStatus("nonsense")).toBe("not_compared");
    expect(trendText(cy, { trendDirection: "increasing", trendJudgement: "getting_worse" })).toBe("Yn gwaethygu");
    expect(trendText(en, { trendDirection: "decreasing", trendJudgement: null })).toBe("Decreasing");
  });

  it("describe the disclosure rule", () => {
    expect(disclosureText(en, "en", { suppressBelow: 5, roundTo: null })).toContain("fewer than 5");
    expect(disclosureText(cy, "cy", { suppressBelow: 5, roundTo: 5 })).toContain("wedi'u talgrynnu i'r 5 agosaf");
    // values follow the rounded counts, and the page says so in both languages
    expect(disclosureText(en, "en", { suppressBelow: null, roundTo: 5 })).toContain(
      "calculated from the rounded counts",
    );
    expect(disclosureText(cy, "cy", { suppressBelow: 5, roundTo: 5 })).toContain(
      "wedi'u cyfrifo o'r cyfrifon wedi'u talgrynnu",
    );
    expect(disclosureText(en, "en", { suppressBelow: null, roundTo: null })).toContain("No disclosure rule");
  });
});

describe("table model", () => {
  const model: TableModel = {
    id: "t",
    caption: "Caption",
    rowHeader: "area",
    columns: [
      { key: "code", header: "Code", kind: "text", downloadOnly: true },
      { key: "area", header: "Area", kind: "text" },
      { key: "ci", header: "CI", kind: "text", pageOnly: true },
      { key: "value", header: "Value", kind: "number", decimals: 1 },
    ],
    rows: [
      {
        code: cell("W1"),
        area: linkCell('A & "B"', "/en/areas/W1"),
        ci: cell(null, "1 to 2"),
        value: cell(1.5, "1.5%"),
      },
    ],
  };

  it("shows page columns on the page and download columns in downloads, with raw values", () => {
    expect(pageColumns(model).map((c) => c.key)).toEqual(["area", "ci", "value"]);
    const d = toDownload(model, {
      fileName: "f",
      metadata: [],
      citation: "",
      citationLabel: "",
      sheetNames: { data: "Data", metadata: "Metadata" },
    });
    expect(d.title).toBe("Caption");
    expect(d.columns.map((c) => c.key)).toEqual(["code", "area", "value"]);
    expect(d.rows).toEqual([{ code: "W1", area: 'A & "B"', value: 1.5 }]);
  });

  it("escapes link text", () => {
    expect(linkCell("<b>", "/x?a=1&b=2").html).toBe('<a class="govuk-link" href="/x?a=1&amp;b=2">&lt;b&gt;</a>');
  });

  it("builds short URLs, leaving defaults out", () => {
    expect(withQuery("/en/map", { measure: "x", mode: undefined, areas: ["A", "B"], empty: [] })).toBe(
      "/en/map?measure=x&areas=A%2CB",
    );
    expect(withQuery("/en/map", {})).toBe("/en/map");
  });
});
