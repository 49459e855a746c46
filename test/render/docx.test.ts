/**
 * The document model as a Word document: a real package Word opens (content types, relationships, strict XML, the
 * WordprocessingML rules of the parts used), real headings, tables with a repeated header row, lists, charts as SVG
 * images with a PNG fallback and alternative text, the language set on the text, a header on every page and page
 * numbers; one language or both (Welsh first).
 */
import { describe, expect, it } from "vitest";
import { timeSeriesChart } from "../../src/render/charts/time-series.ts";
import { chartPngs, pngCache, rasteriseSvg, renderDocx, svgSize, svgToPng } from "../../src/render/document/docx.ts";
import type { RenderedDocument } from "../../src/render/document/index.ts";
import { cell, type TableModel } from "../../src/render/document/table.ts";
import { openDocx } from "../support/docx-package.ts";

const WORDS = {
  en: {
    title: "Plan for Cardiff",
    aim: "Core aim 1",
    table: "Targets",
    area: "Area",
    value: "Value",
    chart: "Low birth weight",
  },
  cy: {
    title: "Cynllun Caerdydd",
    aim: "Nod craidd 1",
    table: "Targedau",
    area: "Ardal",
    value: "Gwerth",
    chart: "Pwysau geni isel",
  },
} as const;

function sample(lang: "en" | "cy"): RenderedDocument {
  const w = WORDS[lang];
  const table: TableModel = {
    id: "targets",
    caption: w.table,
    rowHeader: "area",
    columns: [
      { key: "area", header: w.area, kind: "text" },
      { key: "value", header: w.value, kind: "number", decimals: 1, numeric: true },
      { key: "code", header: "code", kind: "text", downloadOnly: true },
    ],
    rows: [
      { area: cell("Cardiff"), value: cell(5.4, "5.4"), code: cell("W06000015") },
      { area: cell("Wales"), value: cell(5.9, "5.9"), code: cell("W92000004") },
    ],
  };
  const svg = timeSeriesChart({
    id: `c-${lang}`,
    title: w.chart,
    desc: `${w.chart}: 2020 to 2022`,
    points: ["2020", "2021", "2022"].map((p, i) => ({ period: p, label: p, value: 5 + i, lower: 4 + i, upper: 6 + i })),
    seriesLabel: "Cardiff",
    bandLabel: "95%",
    valueLabel: "%",
    statusLabels: { better: "b", similar: "s", worse: "w", higher: "h", lower: "l", not_compared: "n" },
    format: (n) => n.toFixed(1),
  });
  return {
    lang,
    title: w.title,
    blocks: [
      { kind: "heading", level: 1, text: w.aim },
      { kind: "paragraph", text: `${w.aim} <script>alert(1)</script> & "quotes"` },
      { kind: "list", items: ["one", "two"] },
      { kind: "heading", level: 2, text: w.table },
      { kind: "table", table },
      { kind: "chart", title: w.chart, description: `${w.chart}: 2020 to 2022`, svg, table },
    ],
    citation: "Cite: OMF",
  };
}

describe("renderDocx", () => {
  it("writes a Word document with real headings, a table with a header row, a chart with alt text and page numbers", async () => {
    const buffer = await renderDocx(
      [{ doc: sample("en"), header: "Published plan · version 2", pageLabel: "Page {page} of {pages}" }],
      {
        title: "Plan for Cardiff",
        creator: "OMF",
      },
    );
    const d = await openDocx(buffer);
    expect(d.paragraphs[0]).toEqual({ style: "Title", text: "Plan for Cardiff" });
    expect(d.headings).toEqual([
      { level: 1, text: "Core aim 1" },
      { level: 2, text: "Targets" },
    ]);
    expect(d.paragraphs.some((p) => p.text === 'Core aim 1 <script>alert(1)</script> & "quotes"')).toBe(true);
    expect(d.paragraphs.filter((p) => p.style === "ListParagraph").map((p) => p.text)).toEqual(["one", "two"]);
    expect(d.tables).toHaveLength(2);
    expect(d.tables[0]).toEqual({
      header: true,
      rows: [
        ["Area", "Value"],
        ["Cardiff", "5.4"],
        ["Wales", "5.9"],
      ],
    });
    expect(d.images).toEqual([
      { title: "Low birth weight", description: "Low birth weight: 2020 to 2022", svg: true, png: true },
    ]);
    expect(d.headerTexts).toContain("Published plan · version 2");
    expect(d.footerTexts.some((t) => t.startsWith("Page") && t.includes("of"))).toBe(true);
    expect(d.pageNumbers).toBe(true);
    expect([...d.languages]).toContain("en-GB");
    expect([...d.languages]).not.toContain("cy-GB");
  }, 60_000);

  it("writes a bilingual document Welsh first, each language in its own section with its own header", async () => {
    const buffer = await renderDocx(
      [
        { doc: sample("cy"), header: "Cynllun cyhoeddedig · fersiwn 2", pageLabel: "Tudalen {page} o {pages}" },
        { doc: sample("en"), header: "Published plan · version 2", pageLabel: "Page {page} of {pages}" },
      ],
      { title: "Cynllun Caerdydd / Plan for Cardiff", creator: "OMF" },
    );
    const d = await openDocx(buffer);
    const titles = d.paragraphs.filter((p) => p.style === "Title").map((p) => p.text);
    expect(titles).toEqual(["Cynllun Caerdydd", "Plan for Cardiff"]);
    expect(d.headings.map((h) => h.text)).toEqual(["Nod craidd 1", "Targedau", "Core aim 1", "Targets"]);
    expect(d.tables[0]!.rows[0]).toEqual(["Ardal", "Gwerth"]);
    expect(d.headerTexts).toEqual(
      expect.arrayContaining(["Cynllun cyhoeddedig · fersiwn 2", "Published plan · version 2"]),
    );
    expect(d.footerTexts.some((t) => t.startsWith("Tudalen"))).toBe(true);
    expect(d.languages).toEqual(new Set(["cy-GB", "en-GB"]));
  }, 60_000);

  it("rasterises a chart with its text for the PNG fallback, at the size asked", async () => {
    const svg = sample("en").blocks.find((b) => b.kind === "chart")!;
    if (svg.kind !== "chart") throw new Error("no chart");
    const size = svgSize(svg.svg);
    const png = await svgToPng(svg.svg, 400);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
    const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
    const height = new DataView(png.buffer, png.byteOffset).getUint32(20);
    expect(width).toBe(400);
    expect(height).toBe(Math.round((400 * size.height) / size.width));
  }, 60_000);

  it("rasterises a chart once: a second document gets the same PNG bytes, from the cache", async () => {
    const chart = sample("en").blocks.find((b) => b.kind === "chart")!;
    if (chart.kind !== "chart") throw new Error("no chart");
    const fresh = await rasteriseSvg(chart.svg, 321);
    const first = await svgToPng(chart.svg, 321);
    const held = chartPngs.usage();
    first.fill(0); // the caller's copy: changing it changes nothing cached
    const second = await svgToPng(chart.svg, 321);
    expect(chartPngs.usage()).toEqual(held); // a hit: nothing added (the cache is the process's, shared by files)
    expect(Buffer.from(second).equals(Buffer.from(fresh))).toBe(true);
    // another width is another picture
    const wider = await svgToPng(chart.svg, 322);
    expect(new DataView(wider.buffer, wider.byteOffset).getUint32(16)).toBe(322);

    // and a document written with cached PNGs has the same PNG fallback as one rasterised afresh
    const pngsOf = async (buffer: Buffer) => {
      const JSZip = (await import("jszip")).default;
      const zip = await JSZip.loadAsync(buffer);
      const names = Object.keys(zip.files).filter((n) => n.startsWith("word/media/") && n.endsWith(".png"));
      return Promise.all(names.map((n) => zip.file(n)!.async("nodebuffer")));
    };
    const write = () =>
      renderDocx([{ doc: sample("en"), header: "h", pageLabel: "{page}" }], { title: "t", creator: "c" });
    const [a, b] = [await pngsOf(await write()), await pngsOf(await write())];
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
    const size = svgSize(chart.svg);
    expect(a[0]!.equals(Buffer.from(await rasteriseSvg(chart.svg, Math.min(602, size.width))))).toBe(true);
  }, 60_000);

  it("keeps the rasterised charts within their budget, least recently used dropped first, failures not kept", async () => {
    const made: string[] = [];
    const cache = pngCache(3000, async (svg, width) => {
      made.push(`${svg}@${width}`);
      if (svg === "bad") throw new Error("cannot rasterise");
      return new Uint8Array(1000).fill(svg.length);
    });
    // concurrent requests for one chart share its rasterising
    const [x, y] = await Promise.all([cache.get("a", 10), cache.get("a", 10)]);
    expect(x).toEqual(y);
    expect(made).toEqual(["a@10"]);
    await cache.get("bb", 10);
    await cache.get("a", 10); // a is now the most recently used
    await cache.get("ccc", 10); // over 3000 bytes with the keys: bb goes
    expect(cache.usage().entries).toBe(2);
    expect(cache.usage().bytes).toBeLessThanOrEqual(3000);
    await cache.get("a", 10);
    await cache.get("bb", 10);
    expect(made).toEqual(["a@10", "bb@10", "ccc@10", "bb@10"]);
    await expect(cache.get("bad", 10)).rejects.toThrow("cannot rasterise");
    await expect(cache.get("bad", 10)).rejects.toThrow("cannot rasterise");
    expect(made.filter((m) => m === "bad@10")).toHaveLength(2);
    expect(cache.usage().entries).toBe(2);
  });

  it("finds what Word would refuse: a package checker that fails on a broken file", async () => {
    const buffer = await renderDocx([{ doc: sample("en"), header: "h", pageLabel: "{page}" }], {
      title: "t",
      creator: "c",
    });
    const JSZip = (await import("jszip")).default;
    const zip = await JSZip.loadAsync(buffer);
    const xml = await zip.file("word/document.xml")!.async("string");
    zip.file("word/document.xml", xml.replace(/<w:tblGrid>.*?<\/w:tblGrid>/, ""));
    await expect(openDocx(await zip.generateAsync({ type: "nodebuffer" }))).rejects.toThrow(
      /a table without w:tblGrid/,
    );
    zip.file("word/document.xml", xml.replace("</w:body>", "<w:p></w:body>"));
    await expect(openDocx(await zip.generateAsync({ type: "nodebuffer" }))).rejects.toThrow(/word\/document.xml/);
  }, 60_000);
});
