import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../src/api/openapi.ts";
import { DEMO_AGREEMENT, seedDemoAgreements } from "../../src/services/agreements/demo.ts";
import { demoPlanPeriod, seedDemoPlans } from "../../src/services/plans/demo.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await demoApp();
  await seedDemoPlans(t.app.services.plans);
  await seedDemoAgreements(t.app.services.agreements, t.app.services.framework);
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const json = async (url: string) => {
  const r = await get(url);
  expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
  expect(r.headers["content-type"]).toContain("application/json");
  return r.json();
};
async function expectError(url: string, status: number, pattern: RegExp) {
  const r = await get(url);
  expect(r.statusCode, url).toBe(status);
  expect(r.headers["content-type"]).toContain("application/json");
  const body = r.json();
  expect(body.error).toBe(status === 404 ? "not_found" : "bad_request");
  expect(body.message).toMatch(pattern);
  expect(r.headers["cache-control"]).toBe("no-store");
}

describe("index and OpenAPI", () => {
  it("lists the endpoints", async () => {
    const body = await json("/api/v1/");
    expect(body.openapi).toBe("/api/v1/openapi.json");
    expect(body.endpoints).toContain("/api/v1/data.csv");
  });

  it("serves an OpenAPI 3.1 document describing every endpoint, and every described GET answers", async () => {
    const doc = await json("/api/v1/openapi.json");
    expect(doc.openapi).toBe("3.1.0");
    const described = Object.keys(doc.paths);
    for (const path of [
      "/api/v1/frameworks",
      "/api/v1/frameworks/{code}",
      "/api/v1/core-aims",
      "/api/v1/core-aims/{code}",
      "/api/v1/measures",
      "/api/v1/measures/{code}",
      "/api/v1/areas",
      "/api/v1/areas/{code}",
      "/api/v1/periods",
      "/api/v1/data",
      "/api/v1/data.csv",
      "/api/v1/analysis",
      "/api/v1/analysis.csv",
      "/api/v1/analysis/gaps",
      "/api/v1/analysis/compare",
      "/api/v1/analysis/summary",
      "/api/v1/openapi.json",
    ]) {
      expect(described, path).toContain(path);
    }
    const examples: Record<string, string> = {
      "{code}": "",
      "/api/v1/frameworks/{code}": "/api/v1/frameworks/wales-omf",
      "/api/v1/core-aims/{code}": "/api/v1/core-aims/CA1",
      "/api/v1/measures/{code}": "/api/v1/measures/low-birth-weight",
      "/api/v1/areas/{code}": "/api/v1/areas/W06000015",
      "/api/v1/analysis": "/api/v1/analysis?measure=low-birth-weight",
      "/api/v1/analysis.csv": "/api/v1/analysis.csv?measure=low-birth-weight",
      "/api/v1/analysis/gaps": "/api/v1/analysis/gaps?measure=low-birth-weight",
      "/api/v1/analysis/compare": "/api/v1/analysis/compare?measure=low-birth-weight&group=W11000029",
      "/api/v1/plans/{area}/{period}": `/api/v1/plans/W06000015/${demoPlanPeriod()}`,
      "/api/v1/plans/{area}/{period}/versions": `/api/v1/plans/W06000015/${demoPlanPeriod()}/versions`,
      "/api/v1/plans/{area}/{period}/versions/{version}": `/api/v1/plans/W06000015/${demoPlanPeriod()}/versions/1`,
    };
    const frameworks = (await json("/api/v1/frameworks")).data as { code: string }[];
    examples["/api/v1/frameworks/{code}"] = `/api/v1/frameworks/${frameworks[0]!.code}`;
    examples["/api/v1/agreements/{area}/{period}"] =
      `/api/v1/agreements/${DEMO_AGREEMENT.areaCode}/${DEMO_AGREEMENT.period}`;
    examples["/api/v1/frameworks/{code}/versions/{version}/diff"] =
      `/api/v1/frameworks/${frameworks[0]!.code}/versions/1/diff`;
    for (const [path, item] of Object.entries(doc.paths as Record<string, { get?: unknown }>)) {
      if (!item.get || !path.startsWith("/api/v1/")) continue;
      const url = examples[path] ?? path;
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
    }
    // the document is valid JSON schema-wise: every $ref resolves
    const refs = JSON.stringify(doc).match(/"#\/components\/[^"]+"/g) ?? [];
    for (const ref of refs) {
      const parts = ref.slice(3, -1).split("/");
      let node: unknown = doc;
      for (const p of parts) node = (node as Record<string, unknown>)[p];
      expect(node, ref).toBeDefined();
    }
  });

  it("includes the imports API's description and its security scheme", async () => {
    const doc = await json("/api/v1/openapi.json");
    expect(doc.paths["/api/v1/imports"]?.post).toBeDefined();
    for (const item of Object.values(doc.paths["/api/v1/imports"].post.security ?? []) as Record<string, unknown>[]) {
      for (const name of Object.keys(item)) expect(doc.components.securitySchemes[name], name).toBeDefined();
    }
  });

  it("builds the document once", async () => {
    expect(await openApiDocument()).toBe(await openApiDocument());
  });
});

describe("frameworks and core aims", () => {
  it("lists framework versions and shows one with its core aims", async () => {
    const list = await json("/api/v1/frameworks");
    expect(list.meta).toMatchObject({ page: 1, total: list.data.length });
    const f = await json(`/api/v1/frameworks/${list.data[0].code}`);
    expect(f.data.coreAims).toHaveLength(7);
    await expectError("/api/v1/frameworks/nope", 404, /No framework with code "nope"/);
  });

  it("lists the seven core aims with Welsh titles and shows one with its measures", async () => {
    const list = await json("/api/v1/core-aims");
    expect(list.data.map((a: { code: string }) => a.code)).toEqual(["CA1", "CA2", "CA3", "CA4", "CA5", "CA6", "CA7"]);
    expect(list.data[0].title.cy).toMatch(/dechrau teg/i);
    const aim = await json("/api/v1/core-aims/ca1");
    expect(aim.data.highLevelMeasures).toContain("low-birth-weight");
    await expectError("/api/v1/core-aims/CA9", 404, /No core aim "CA9"; the core aims are CA1, CA2/);
  });
});

describe("measures", () => {
  it("filters by core aim, tier, article and status, and searches in both languages", async () => {
    const hl = await json("/api/v1/measures?coreAim=CA1&tier=high_level");
    expect(hl.data.length).toBeGreaterThan(0);
    for (const m of hl.data) {
      expect(m.coreAims).toContain("CA1");
      expect(m.tier).toBe("high_level");
    }
    const en = await json("/api/v1/measures?q=birth%20weight");
    expect(en.data.map((m: { code: string }) => m.code)).toContain("low-birth-weight");
    const cy = await json(`/api/v1/measures?q=${encodeURIComponent("pwysau geni")}`);
    expect(cy.data.map((m: { code: string }) => m.code)).toContain("low-birth-weight");
    const retired = await json("/api/v1/measures?status=retired");
    for (const m of retired.data) expect(m.status).toBe("retired");
    const art = await json("/api/v1/measures?article=24");
    for (const m of art.data) expect(m.uncrcArticles).toContain(24);
  });

  it("gives full metadata of a measure", async () => {
    const m = (await json("/api/v1/measures/low-birth-weight")).data;
    expect(m).toMatchObject({ code: "low-birth-weight", unit: "percentage", polarity: "lower_is_better" });
    expect(m.layDefinition.en).toBeTruthy();
    expect(m.technicalDefinition.cy).toBeTruthy();
    expect(m).toHaveProperty("disclosure.suppressBelow");
    expect(m.links.dataCsv).toBe("/api/v1/data.csv?measure=low-birth-weight");
  });

  it("paginates with links and a Link header", async () => {
    const r = await get("/api/v1/measures?pageSize=5&page=2");
    const body = r.json();
    expect(body.data).toHaveLength(5);
    expect(body.meta).toMatchObject({ page: 2, pageSize: 5 });
    expect(body.links.prev).toContain("page=1");
    expect(body.links.next).toContain("page=3");
    expect(r.headers.link).toContain('rel="next"');
  });

  it("refuses bad filters loudly", async () => {
    await expectError("/api/v1/measures/no-such-measure", 404, /No measure with code "no-such-measure"/);
    await expectError("/api/v1/measures?coreAim=CA0", 400, /Unknown core aim "CA0"/);
    await expectError("/api/v1/measures?group=nope", 400, /Unknown measure group "nope"/);
    await expectError("/api/v1/measures?tier=top", 400, /tier/);
    await expectError("/api/v1/measures?status=live,bogus", 400, /status/);
    await expectError("/api/v1/measures?article=abc", 400, /article/);
    await expectError("/api/v1/measures?pageSize=5000", 400, /pageSize/);
    await expectError("/api/v1/measures?page=0", 400, /page/);
    await expectError("/api/v1/measures?page=999", 400, /beyond the last page/);
    await expectError("/api/v1/measures?colour=red", 400, /unknown parameter "colour"/);
  });
});

describe("areas", () => {
  it("lists the 22 local authorities and shows an area with its groupings", async () => {
    const las = await json("/api/v1/areas?type=local_authority");
    expect(las.meta.total).toBe(22);
    const cardiff = (await json("/api/v1/areas/w06000015")).data;
    expect(cardiff.name).toEqual({ en: "Cardiff", cy: "Caerdydd" });
    expect(cardiff.groupings.map((g: { type: string }) => g.type)).toContain("health_board");
    const hb = (await json("/api/v1/areas/W11000029")).data;
    expect(hb.members).toEqual(expect.arrayContaining(["W06000014", "W06000015"]));
    // memberships are time-versioned: Bridgend's health board changed in 2019
    const before = (await json("/api/v1/areas/W06000013?date=2018-06-30")).data;
    const after = (await json("/api/v1/areas/W06000013?date=2020-06-30")).data;
    const board = (a: { groupings: { code: string; type: string }[] }) =>
      a.groupings.find((g) => g.type === "health_board")?.code;
    expect(board(before)).not.toBe(board(after));
  });

  it("refuses bad area requests", async () => {
    await expectError("/api/v1/areas/W99999999", 404, /No area with code "W99999999"/);
    await expectError("/api/v1/areas?type=planet", 400, /type/);
    await expectError("/api/v1/areas/W06000015?date=yesterday", 400, /date/);
  });
});

describe("periods", () => {
  it("lists the periods with published data, labelled in English and Welsh", async () => {
    const body = await json("/api/v1/periods?measure=fully-immunised-by-4");
    expect(body.data.length).toBeGreaterThanOrEqual(10);
    const p = body.data.at(-1);
    expect(p.type).toBe("financial_year");
    expect(p.longLabel.cy).toMatch(/^Blwyddyn ariannol /);
    expect(p.measures).toEqual(["fully-immunised-by-4"]);
    const all = await json("/api/v1/periods?pageSize=1000");
    expect(all.meta.total).toBeGreaterThan(body.data.length);
    await expectError("/api/v1/periods?measure=nope", 400, /Unknown measure code "nope"/);
  });
});

describe("data", () => {
  it("filters published values by measure, area, period and breakdown", async () => {
    const body = await json(
      "/api/v1/data?measure=low-birth-weight&area=W06000015,W92000004&period=2020,2021&breakdown=total",
    );
    expect(body.meta.total).toBe(4);
    for (const o of body.data) {
      expect(["W06000015", "W92000004"]).toContain(o.area);
      expect(["2020", "2021"]).toContain(o.period);
      expect(o.breakdown).toBe("total");
      expect(o.illustrative).toBe(true);
      expect(typeof o.value).toBe("number");
    }
    const repeated = await json(
      "/api/v1/data?measure=low-birth-weight&area=W06000015&area=W92000004&period=2020&breakdown=total",
    );
    expect(repeated.meta.total).toBe(2);
    // without a breakdown filter every breakdown comes back: the total and each group
    const all = await json("/api/v1/data?measure=low-birth-weight&area=W06000015&period=2020");
    const breakdowns = all.data.map((o: { breakdown: string }) => o.breakdown);
    expect(breakdowns[0]).toBe("total");
    expect(breakdowns.length).toBeGreaterThan(1);
    const group = breakdowns[1];
    const one = await json(
      `/api/v1/data?measure=low-birth-weight&area=W06000015&period=2020&breakdown=${encodeURIComponent(group)}`,
    );
    expect(one.data.map((o: { breakdown: string }) => o.breakdown)).toEqual([group]);
    const byType = await json("/api/v1/data?measure=low-birth-weight&areaType=country&pageSize=1000");
    expect(new Set(byType.data.map((o: { area: string }) => o.area))).toEqual(new Set(["W92000004"]));
    const total = await json("/api/v1/data?measure=low-birth-weight&breakdown=total&pageSize=1");
    expect(total.meta.total).toBeGreaterThan(200);
  });

  it("never returns an empty result for a bad code", async () => {
    await expectError("/api/v1/data?measure=low-birth-wieght", 400, /Unknown measure code "low-birth-wieght"/);
    await expectError("/api/v1/data?measure=low-birth-weight&area=W06000099", 400, /Unknown area code "W06000099"/);
    await expectError("/api/v1/data?measure=low-birth-weight&period=1066", 400, /No published data for period "1066"/);
    await expectError(
      "/api/v1/data?measure=low-birth-weight&breakdown=sex=other",
      400,
      /No published data for breakdown/,
    );
    await expectError("/api/v1/data?measure=low-birth-weight&areaType=planet", 400, /areaType/);
    await expectError("/api/v1/data?measure=a,b", 400, /Unknown measure codes "a", "b"/);
  });

  it("serves only published data: a draft batch is invisible", async () => {
    const before = await json("/api/v1/data?measure=low-birth-weight&area=W06000015&pageSize=1000");
    await t.database.exec(`
      INSERT INTO import_batches (id, format, status, illustrative) VALUES (9001, 'csv', 'draft', false);
      INSERT INTO observations (measure_code, area_code, period, period_end, breakdown, value, batch_id, revision)
      VALUES ('low-birth-weight', 'W06000015', '1999', '1999-12-31', 'total', 99, 9001, 1);`);
    t.app.services.publicViews.cache.clear();
    const after = await json("/api/v1/data?measure=low-birth-weight&area=W06000015&pageSize=1000");
    expect(after.meta.total).toBe(before.meta.total);
    expect(after.data.some((o: { period: string }) => o.period === "1999")).toBe(false);
    await expectError("/api/v1/data?measure=low-birth-weight&period=1999", 400, /No published data for period "1999"/);
  });

  it("applies disclosure control to published values", async () => {
    const m = (await json("/api/v1/measures/children-looked-after-count")).data;
    const body = await json("/api/v1/data?measure=children-looked-after-count&pageSize=1000");
    expect(body.data.length).toBeGreaterThan(0);
    if (m.disclosure.roundTo) {
      for (const o of body.data) if (o.value !== null) expect(o.value % m.disclosure.roundTo).toBe(0);
    }
    if (m.disclosure.suppressBelow) {
      for (const o of body.data) if (o.suppressed) expect(o.value).toBeNull();
    }
  });

  it("has a stable CSV address per dataset: UTF-8 with BOM, one row per value", async () => {
    const r = await get("/api/v1/data.csv?measure=low-birth-weight");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(r.headers["content-disposition"]).toContain("omf-low-birth-weight.csv");
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(r.body.slice(1), { columns: true }) as Record<string, string>[];
    const api = await json("/api/v1/data?measure=low-birth-weight&pageSize=1");
    expect(rows).toHaveLength(api.meta.total);
    expect(rows[0]).toMatchObject({ measure_code: "low-birth-weight", period_type: "calendar_year" });
    expect(rows.find((x) => x.area_code === "W06000001")?.area_name_cy).toBe("Ynys Môn");
    await expectError("/api/v1/data.csv?measure=nope", 400, /Unknown measure code/);
    await expectError("/api/v1/data.csv?measure=low-birth-weight&page=2", 400, /unknown parameter "page"/);
  });
});

describe("analysis", () => {
  it("gives every area's comparison, quintile, rank and trend at the latest period", async () => {
    const body = await json("/api/v1/analysis?measure=low-birth-weight&pageSize=100");
    expect(body.meta.total).toBe(23);
    const groups = await json("/api/v1/analysis?measure=low-birth-weight&area=W06000015&breakdown=*");
    expect(groups.meta.total).toBeGreaterThan(1);
    const cardiff = body.data.find((r: { area: string }) => r.area === "W06000015");
    expect(cardiff.wales.area).toBe("W92000004");
    expect(["better", "similar", "worse"]).toContain(cardiff.wales.significance);
    expect(cardiff.lower95).toBeLessThan(cardiff.value);
    expect(cardiff.quintile).toBeGreaterThanOrEqual(1);
    expect(cardiff.rankOutOf).toBe(22);
    expect(cardiff.summary.cy).toContain("Caerdydd");
    expect(cardiff.trend.direction).toBeTruthy();
  });

  it("gives a series with period=all, an area's results across measures, and CSV", async () => {
    const series = await json("/api/v1/analysis?measure=low-birth-weight&area=W06000015&period=all");
    expect(series.meta.total).toBe(12);
    const periods = series.data.map((r: { period: string }) => r.period);
    expect(periods).toEqual([...periods].sort());
    const area = await json("/api/v1/analysis?area=W06000015&pageSize=1000");
    expect(new Set(area.data.map((r: { measure: string }) => r.measure)).size).toBeGreaterThan(10);
    const one = await json("/api/v1/analysis?measure=low-birth-weight&period=2020");
    expect(new Set(one.data.map((r: { period: string }) => r.period))).toEqual(new Set(["2020"]));
    const csv = await get("/api/v1/analysis.csv?measure=low-birth-weight&period=all");
    expect(csv.statusCode).toBe(200);
    const rows = parse(csv.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(23 * 12);
    expect(Object.keys(rows[0]!)).toContain("compared_with_wales");
  });

  it("compares areas with a comparator group and summarises the nation", async () => {
    const cmp = (await json("/api/v1/analysis/compare?measure=low-birth-weight&group=W11000029")).data;
    expect(cmp.members.sort()).toEqual(["W06000014", "W06000015"]);
    expect(cmp.groupMethod).toBe("pooled");
    expect(cmp.areas.filter((a: { member: boolean }) => a.member)).toHaveLength(2);
    const custom = (await json("/api/v1/analysis/compare?measure=low-birth-weight&areas=W06000015,W06000022,W06000011"))
      .data;
    expect(custom.membersWithValue).toBe(3);
    const summary = (await json("/api/v1/analysis/summary")).data;
    expect(summary).toHaveLength(7);
    expect(summary[0]).toHaveProperty("walesTrend.improving");
    expect(summary[0]).toHaveProperty("areasComparedWithWales.better");
    const gaps = await json("/api/v1/analysis/gaps?measure=low-birth-weight");
    expect(Array.isArray(gaps.data)).toBe(true);
  });

  it("refuses bad analysis requests loudly", async () => {
    await expectError("/api/v1/analysis", 400, /Give a measure/);
    await expectError("/api/v1/analysis?area=W06000015&period=all", 400, /period=all needs a measure/);
    await expectError(
      "/api/v1/analysis?measure=low-birth-weight&period=1800",
      400,
      /No published data for period "1800"/,
    );
    await expectError("/api/v1/analysis?measure=nope", 400, /Unknown measure code/);
    await expectError("/api/v1/analysis/gaps", 400, /measure/);
    await expectError(
      "/api/v1/analysis/gaps?measure=low-birth-weight&dimension=planet",
      400,
      /no breakdown dimension "planet"/,
    );
    await expectError("/api/v1/analysis/compare?measure=low-birth-weight", 400, /Give either a grouping/);
    await expectError("/api/v1/analysis/compare?measure=low-birth-weight&group=W06000015", 400, /Unknown grouping/);
    await expectError("/api/v1/analysis/compare?measure=low-birth-weight&areas=W0", 400, /Unknown area code "W0"/);
    await expectError("/api/v1/analysis/summary?x=1", 400, /unknown parameter "x"/);
  });
});

describe("HTTP behaviour", () => {
  it("sends ETag and Cache-Control, and 304 when the client has the current copy", async () => {
    const r = await get("/api/v1/measures/low-birth-weight");
    expect(r.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(r.headers["cache-control"]).toBe("public, max-age=300");
    const again = await get("/api/v1/measures/low-birth-weight", { "if-none-match": String(r.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    const weak = await get("/api/v1/measures/low-birth-weight", { "if-none-match": `W/${r.headers.etag}` });
    expect(weak.statusCode).toBe(304);
    const other = await get("/api/v1/measures/low-birth-weight", { "if-none-match": '"stale"' });
    expect(other.statusCode).toBe(200);
    const csv = await get("/api/v1/data.csv?measure=low-birth-weight");
    expect(
      (await get("/api/v1/data.csv?measure=low-birth-weight", { "if-none-match": String(csv.headers.etag) }))
        .statusCode,
    ).toBe(304);
  });

  it("allows cross-origin reads and answers preflight", async () => {
    const r = await get("/api/v1/areas");
    expect(r.headers["access-control-allow-origin"]).toBe("*");
    expect(r.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    const pre = await t.app.inject({ method: "OPTIONS", url: "/api/v1/data" });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers["access-control-allow-methods"]).toContain("GET");
  });

  it("answers unknown endpoints with a JSON 404 and sets no cookie", async () => {
    await expectError("/api/v1/nothing-here", 404, /No API endpoint at GET \/api\/v1\/nothing-here/);
    const r = await get("/api/v1/measures");
    expect(r.headers["set-cookie"]).toBeUndefined();
  });
});
