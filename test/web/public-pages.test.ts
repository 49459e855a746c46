import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WELSH_LA_NAMES_CY_SORTED } from "../domain/helpers/wales-areas.ts";
import { demoApp } from "../support/demo-app.ts";
import { PUBLIC_PAGES as PAGES } from "../support/public-pages.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await demoApp();
});
afterAll(async () => {
  await t?.close();
});

const LANGS = ["en", "cy"] as const;
const page = async (url: string, status = 200) => {
  const r = await t.app.inject(url);
  expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBe(status);
  if (status === 200) expect(r.headers["content-type"]).toContain("text/html");
  return r;
};
/** Text of the rows of the first table with this id. */
const rowHeaders = (html: string, tableId: string) => {
  const table = html.slice(html.indexOf(`id="${tableId}"`));
  const body = table.slice(0, table.indexOf("</table>"));
  return [...body.matchAll(/<th scope="row"[^>]*>(?:<a [^>]*>)?([^<]+)/g)].map((m) => m[1]!.trim());
};

describe.each(LANGS)("every public page in %s", (lang) => {
  it.each(PAGES)("%s renders in the page language, with navigation and no session cookie", async (path) => {
    const r = await page(`/${lang}${path}`);
    expect(r.body).toContain(`<html lang="${lang}"`);
    expect(r.body).toContain(`href="/${lang}/measures"`);
    expect(r.body).toContain(`href="/${lang}/dashboard"`);
    // the language switch links to the same page, keeping the query string
    const other = lang === "en" ? "cy" : "en";
    expect(r.body).toContain(`href="/${other}${path.replaceAll("&", "&amp;")}"`);
    // public pages are cacheable and set no cookie for an anonymous reader
    expect(r.headers["set-cookie"]).toBeUndefined();
    expect(r.headers["cache-control"]).toBe("public, max-age=60");
    // charts are accessible SVG, with no inline styles (CSP)
    expect(r.body).not.toMatch(/<style|\sstyle="/);
    for (const svg of r.body.match(/<svg [^>]*role="img"[^>]*>/g) ?? []) {
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(svg).toMatch(/aria-labelledby="[^"]+"/);
    }
  });
});

describe("measures list (framework browser)", () => {
  it("filters by core aim, tier, group and UNCRC article, and searches by name in either language", async () => {
    const all = await page("/en/measures");
    const total = Number(/Measures found: (\d+)/.exec(all.body)?.[1]);
    expect(total).toBeGreaterThan(30);
    const hl = await page("/en/measures?tier=high_level&coreAim=CA1");
    expect(Number(/Measures found: (\d+)/.exec(hl.body)?.[1])).toBeLessThan(total);
    expect(hl.body).toContain('href="/en/measures/low-birth-weight"');
    const cy = await page(`/cy/measures?q=${encodeURIComponent("pwysau geni")}`);
    expect(cy.body).toContain('href="/cy/measures/low-birth-weight"');
    expect(cy.body).toContain("Babanod pwysau geni isel");
    const none = await page("/en/measures?q=zzzzzz");
    expect(none.body).toContain("No measures match these filters");
    const art = await page("/en/measures?article=24");
    expect(art.body).toContain("Measures found:");
    const group = await page("/en/measures?group=flying-start");
    expect(group.body).toContain("Measures found:");
  });

  it("sorts by name in Welsh alphabetical order on Welsh pages", async () => {
    const r = await page("/cy/measures?sort=name&status=all");
    const titles = rowHeaders(r.body, "table-measures");
    const collator = new Intl.Collator("cy");
    expect(titles).toEqual([...titles].sort(collator.compare));
    expect(titles.length).toBeGreaterThan(30);
  });

  it("refuses unknown filter values with a 400 in the page language", async () => {
    const r = await page("/cy/measures?coreAim=CA9", 400);
    expect(r.body).toContain("Nid oes nod craidd");
    expect(r.body).toContain('lang="cy"');
    await page("/en/measures?tier=top", 400);
    await page("/en/measures?group=nope", 400);
  });

  it("downloads the list as CSV and XLSX", async () => {
    const csv = await t.app.inject("/cy/measures/download?tier=high_level&format=csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toContain("mesurau.csv");
    const rows = parse(csv.body.slice(1)) as string[][];
    expect(rows[0]).toEqual(["Mesur", "Cod", "Nodau craidd", "Haen", "Grŵp", "Uned", "Pegynedd", "Statws"]);
    const xlsx = await t.app.inject("/en/measures/download?format=xlsx");
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
  });
});

describe("measure page", () => {
  it("shows metadata, key figures, both charts with their tables, the recent trend and downloads", async () => {
    const r = await page("/en/measures/low-birth-weight?area=W06000015");
    const b = r.body;
    expect(b).toContain("Low birth weight babies");
    for (const heading of ["Key figures", "Over time: Cardiff", "All areas", "About this measure", "Breakdowns"]) {
      expect(b).toContain(heading);
    }
    expect(b).toContain('id="chart-series"');
    expect(b).toContain('id="chart-areas"');
    expect(b).toContain('id="table-series"');
    expect(b).toContain('id="table-areas"');
    expect(b).toMatch(/Better than Wales|Similar to Wales|Worse than Wales/);
    expect(b).toMatch(/No significant change|Getting better|Getting worse|Cannot be calculated/);
    // metadata: definition, source, polarity, method, disclosure rule
    for (const label of ["Definition", "Source", "Polarity", "Method", "Disclosure control", "Caveats"]) {
      expect(b).toContain(`>${label}</dt>`);
    }
    // the summary sentence of the chosen area
    expect(b).toMatch(/Cardiff: [\d.]+% \(95% CI/);
    // downloads of each part
    for (const part of ["series", "areas"]) {
      for (const format of ["csv", "xlsx", "svg"]) {
        expect(b).toContain(
          `/en/measures/low-birth-weight/download?area=W06000015&amp;part=${part}&amp;format=${format}`,
        );
      }
    }
    expect(b).toContain('href="/api/v1/data.csv?measure=low-birth-weight"');
    expect(b).toContain("How to cite:");
    expect(b).toContain("Illustrative data");
  });

  it("shows breakdowns and inequality gaps where the data has them", async () => {
    const r = await page("/en/measures/low-birth-weight?area=W06000015");
    expect(r.body).toContain('id="table-breakdowns"');
    expect(r.body).toContain('id="table-gaps"');
    expect(r.body).toContain("Inequality gaps");
  });

  it("is in Welsh on the Welsh page, with Welsh place names and period labels", async () => {
    const r = await page("/cy/measures/fully-immunised-by-4?area=W06000015");
    expect(r.body).toContain("Dros amser: Caerdydd");
    expect(r.body).toContain("Cyfwng hyder o 95%");
    expect(r.body).toMatch(/Yn arwyddocaol well na Chymru|Tebyg i Gymru|Yn arwyddocaol waeth na Chymru/);
    expect(r.body).toContain("Am y mesur hwn");
  });

  it("shows a measure in development without figures, and 404s for an unknown code", async () => {
    const view = await t.app.services.framework.current();
    const dev = view!.measures.find((m) => m.status === "in_development")!;
    const r = await page(`/en/measures/${dev.code}`);
    expect(r.body).toContain("data development agenda");
    expect(r.body).not.toContain('id="chart-series"');
    const cy = await page("/cy/measures/no-such-measure", 404);
    expect(cy.body).toContain("Heb ddod o hyd i&#39;r dudalen");
  });

  it("refuses an unknown area, period or breakdown with a 400", async () => {
    const r = await page("/cy/measures/low-birth-weight?area=W06000099", 400);
    expect(r.body).toContain("Nid oes ardal");
    await page("/en/measures/low-birth-weight?period=1066", 400);
    await page("/en/measures/low-birth-weight?breakdown=sex=other", 400);
    await page("/en/measures/low-birth-weight?sort=random", 400);
  });

  it("downloads each part as CSV (BOM, localised headers), XLSX with metadata, and SVG", async () => {
    const csv = await t.app.inject("/cy/measures/low-birth-weight/download?area=W06000015&part=series&format=csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(csv.body.slice(1)) as string[][];
    expect(rows[0]).toEqual([
      "Cod y cyfnod",
      "Cyfnod",
      "Gwerth",
      "Terfyn isaf",
      "Terfyn uchaf",
      "Gwerth Cymru",
      "O'i gymharu â Chymru",
      "Nodiadau",
      "Enghreifftiol", // the demo data: every row is marked illustrative
    ]);
    expect(rows).toHaveLength(13);
    expect(rows.slice(1).every((row) => row.at(-1) === "ie")).toBe(true);
    const xlsx = await t.app.inject("/en/measures/low-birth-weight/download?part=areas&format=xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Metadata", "Data"]);
    const meta = wb.worksheets[0]!.getSheetValues().flat().filter(Boolean).map(String);
    expect(meta).toContain("Disclosure control");
    expect(meta).toContain("How to cite");
    expect(meta.some((v) => v.includes("/en/measures/low-birth-weight"))).toBe(true);
    expect(wb.worksheets[1]!.rowCount).toBe(24);
    const svg = await t.app.inject("/en/measures/low-birth-weight/download?part=areas&format=svg");
    expect(svg.headers["content-type"]).toContain("image/svg+xml");
    expect(svg.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    await page("/en/measures/low-birth-weight/download?part=breakdowns&format=svg", 400);
    await page("/en/measures/low-birth-weight/download?part=nope&format=csv", 400);
  });
});

describe("areas", () => {
  it("lists the 22 areas in Welsh alphabetical order on Welsh pages, or in the standard order", async () => {
    const r = await page("/cy/areas");
    expect(rowHeaders(r.body, "table-areas-list")).toEqual(WELSH_LA_NAMES_CY_SORTED);
    const std = await page("/en/areas?order=standard");
    expect(rowHeaders(std.body, "table-areas-list")[0]).toBe("Isle of Anglesey");
    const csv = await t.app.inject("/en/areas?format=csv");
    expect(csv.statusCode).toBe(200);
  });

  it("profiles an area: high-level measures with value, Wales, significance, trend and rank, and a spine chart", async () => {
    const r = await page("/en/areas/W06000015");
    const b = r.body;
    expect(b).toContain('<h1 class="govuk-heading-xl">Cardiff</h1>');
    expect(b).toContain('id="chart-spine"');
    expect(b).toContain("Compared with Wales");
    expect(b).toContain("Recent trend");
    expect(b).toMatch(/\d+ of 22/);
    expect(b).toContain("Core aim 1: Have a flying start in life");
    expect(b).toMatch(/Getting better: \d+\. Getting worse: \d+\./);
    // tier and core aim filters
    const add = await page("/en/areas/W06000015?tier=additional&coreAim=CA2");
    expect(add.body).not.toContain('id="CA1"');
    const cy = await page("/cy/areas/W06000015");
    expect(cy.body).toContain("Caerdydd");
    expect(cy.body).toContain("Nod craidd 1");
  });

  it("shows Wales without comparing it with itself, and 404s for unknown areas", async () => {
    const r = await page("/en/areas/W92000004");
    expect(r.body).not.toContain('id="chart-spine"');
    expect(r.body).not.toContain("Compared with Wales</th>");
    await page("/en/areas/W99999999", 404);
    await page("/en/areas/W11000029", 404);
    await page("/en/areas/W06000015?coreAim=CA0", 400);
  });

  it("downloads the profile and the spine chart", async () => {
    const csv = await t.app.inject("/en/areas/W06000015/download?part=profile&format=csv");
    const rows = parse(csv.body.slice(1)) as string[][];
    expect(rows[0]).toContain("Compared with Wales");
    expect(rows.length).toBeGreaterThan(5);
    const svg = await t.app.inject("/en/areas/W06000015/download?part=spine&format=svg");
    expect(svg.statusCode).toBe(200);
    expect(svg.body).toContain('<title id="chart-spine-title">');
  });
});

describe("overview, compare, map and dashboard", () => {
  it("shows the tartan rug with each cell's comparison in words for screen readers", async () => {
    const r = await page("/en/overview");
    expect(r.body).toMatch(/class="omf-rug__cell omf-rug__cell--(better|similar|worse)"/);
    expect(r.body).toMatch(/<span class="govuk-visually-hidden">, (Better|Similar to|Worse)/);
    const all = await page("/en/overview?tier=all&order=alphabetical");
    expect(all.body.length).toBeGreaterThan(r.body.length);
    const svg = await t.app.inject("/cy/overview?format=svg");
    expect(svg.body).toContain("Yn arwyddocaol");
    const xlsx = await t.app.inject("/en/overview?format=xlsx");
    expect(xlsx.statusCode).toBe(200);
  });

  it("compares chosen areas or a comparator group side by side", async () => {
    const none = await page("/en/compare");
    expect(none.body).toContain("Choose a measure and at least one area");
    const group = await page("/en/compare?measure=low-birth-weight&group=W11000029");
    expect(group.body).toContain('id="table-compare"');
    expect(group.body).toContain("Compared with the group");
    expect(group.body).toContain("Group: Cardiff and Vale University Health Board");
    const areas = await page("/cy/compare?measure=low-birth-weight&areas=W06000015&areas=W06000011");
    expect(areas.body).toContain('id="chart-compare"');
    expect(areas.body).toContain("Abertawe");
    const csv = await t.app.inject("/en/compare?measure=low-birth-weight&areas=W06000015,W06000011&format=csv");
    expect(parse(csv.body.slice(1))).toHaveLength(5);
    await page("/en/compare?measure=low-birth-weight&group=W06000015", 400);
    await page("/en/compare?measure=low-birth-weight&areas=W99", 400);
  });

  it("maps the 22 authorities by significance or quintile, with the table alternative", async () => {
    const r = await page("/en/map?measure=low-birth-weight");
    expect(r.body.match(/<polygon /g)?.length).toBe(22);
    expect(rowHeaders(r.body, "table-map")).toHaveLength(22);
    const q = await page("/cy/map?measure=low-birth-weight&mode=quintile");
    expect(q.body).toContain("Cwintel");
    const svg = await t.app.inject("/en/map?measure=low-birth-weight&format=svg");
    expect(svg.headers["content-type"]).toContain("image/svg+xml");
    await page("/en/map?measure=nope", 400);
    await page("/en/map?mode=colourful", 400);
    // no boundary file is supplied in this test, so only the hexagon map exists
    await page("/en/map?view=boundaries", 400);
  });

  it("summarises the nation per core aim", async () => {
    const r = await page("/en/dashboard");
    expect(r.body).toContain('id="table-trends"');
    expect(r.body).toContain('id="table-comparisons"');
    expect(rowHeaders(r.body, "table-trends")).toHaveLength(7);
    const cy = await page("/cy/dashboard");
    expect(cy.body).toContain("A yw Cymru yn gwella?");
    const csv = await t.app.inject("/en/dashboard?part=areas&format=csv");
    expect(parse(csv.body.slice(1))).toHaveLength(8);
    const aim = await t.app.inject("/cy/dashboard?part=aim&aim=CA1&format=xlsx");
    expect(aim.statusCode).toBe(200);
    expect(aim.headers["content-disposition"]).toContain("dashboard-ca1.xlsx");
    await page("/en/dashboard?part=aim&aim=CA9&format=csv", 400);
  });

  it("documents the API with a CSV address for every dataset", async () => {
    const r = await page("/en/api");
    expect(r.body).toContain('href="/api/v1/openapi.json"');
    expect(r.body).toContain('href="/api/v1/data.csv?measure=low-birth-weight"');
  });
});
