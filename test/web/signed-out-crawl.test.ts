/**
 * The signed-out crawl (issue 19): starting from the home page in English and Welsh and the API's index, every
 * same-origin link is followed signed out (pages, CSV, XLSX, DOCX and JSON downloads, the API), on the demo with its
 * plans plus three batches imported with distinctive values: a draft revising a published value, a batch under
 * embargo and a published small-number batch the measure's rule suppresses. No response may contain any of them: not
 * a value, not a count (plain or with thousands separators, also inside XLSX and DOCX), not the draft's revision
 * number, nor the text of the demo's draft plan. URLs are deduplicated by pattern (area and measure codes, numbers
 * and query values generalised; the measures and areas of the batches kept apart) and the crawl is capped; it prints
 * how many responses it read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishBatch } from "../../src/services/import/batches.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { importCsv, TEST_ACTOR } from "../support/import-fixtures.ts";
import type { TestApp } from "../support/test-app.ts";
import { unzipParts } from "../support/zip-parts.ts";

const LBW = "low-birth-weight";
const SMALL = "left-education-without-qualification"; // suppresses counts below 5
const HEADER = "measure_code,area_code,period,value,numerator,denominator\n";
const proportion = (n: number, d: number) => ((n / d) * 100).toFixed(6);
/** The values no signed-out response may contain: [what, pattern]. */
const SECRETS: [string, RegExp][] = [];
/** Published values some response must contain (so the crawl reaches the batches' data and the patterns work). */
const PUBLISHED: [string, RegExp][] = [];
/** A count as pages, downloads and the API may write it: 86413, 86,413, 86 413 (also a no-break space). */
function count(n: number): RegExp {
  const s = String(n);
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, "[,\\s\\u00a0\\u202f]?");
  return new RegExp(`(?<![\\d.])${grouped}(?![\\d])`);
}
function value(v: string, digits = 4): RegExp {
  const [whole, frac] = v.split(".");
  return new RegExp(`(?<![\\d])${whole}\\.${frac!.slice(0, digits)}`);
}

let t: TestApp;
beforeAll(async () => {
  t = await demoAppWithPlans();
  const db = t.database;
  // published, then revised by a draft: the public keeps revision 1 and its value
  const pub = await importCsv(db, `${HEADER}${LBW},W06000015,2022,${proportion(33011, 470021)},33011,470021\n`, {
    publish: true,
  });
  expect(pub.ok).toBe(true);
  PUBLISHED.push(["published numerator", count(33011)], ["published denominator", count(470021)]);
  const draft = await importCsv(db, `${HEADER}${LBW},W06000015,2022,${proportion(86413, 888887)},86413,888887\n`);
  expect(draft.counts.revised).toBe(1);
  SECRETS.push(
    ["draft numerator", count(86413)],
    ["draft denominator", count(888887)],
    ["draft value", value(proportion(86413, 888887))],
  );
  // under embargo for a year
  const embargoed = await importCsv(
    db,
    `${HEADER}${LBW},W06000001,2021,${proportion(77317, 777773)},77317,777773\n${LBW},W06000002,2021,${proportion(65537, 765431)},65537,765431\n`,
  );
  await publishBatch(db, embargoed.batch!.id, { at: new Date(Date.now() + 365 * 86_400_000), actor: TEST_ACTOR });
  SECRETS.push(
    ["embargoed numerator", count(77317)],
    ["embargoed denominator", count(777773)],
    ["embargoed value", value(proportion(77317, 777773))],
    ["embargoed numerator", count(65537)],
    ["embargoed denominator", count(765431)],
  );
  // published, but below the measure's threshold: suppressed whole
  const small = await importCsv(
    db,
    `${HEADER}${SMALL},W06000011,2022/23,${proportion(3, 67891)},3,67891\n${SMALL},W06000011,2021/22,${proportion(4, 54323)},4,54323\n${SMALL},W06000015,2022/23,${proportion(997, 71231)},997,71231\n`,
    { publish: true },
  );
  expect(small.ok, JSON.stringify(small.errors)).toBe(true);
  PUBLISHED.push(["unsuppressed denominator", count(71231)]);
  SECRETS.push(
    ["suppressed denominator", count(67891)],
    ["suppressed value", value(proportion(3, 67891), 3)],
    ["suppressed denominator", count(54323)],
    ["suppressed value", value(proportion(4, 54323), 3)],
  );
  // the demo's draft plan (Swansea)
  SECRETS.push(["draft plan text", /Keep young people in learning|Cadw pobl ifanc mewn dysgu/]);
}, 600_000);
afterAll(async () => {
  await t?.close();
});

const TARGETS = [LBW, SMALL, "W06000015", "W06000001", "W06000002", "W06000011"];
const MAX_FETCHES = 450;
const PER_PATTERN = 2;

/** The pattern a URL is deduplicated by: codes, numbers and query values generalised, the batches' own kept. */
function pattern(url: string): string {
  const [path, query = ""] = url.split("?");
  const keep = (s: string) => (TARGETS.includes(s) ? s : null);
  const segments = path!.split("/").map((s) => {
    if (keep(s)) return s;
    if (/^W\d{8}$/i.test(s)) return ":area";
    if (/^\d[\d-]*$/.test(s)) return ":n";
    if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(s) && !["sign-in", "data-format", "data-development"].includes(s))
      return ":code";
    return s;
  });
  const params = new URLSearchParams(query);
  const keys = [...params.keys()].sort().map((k) => {
    const v = params.get(k) ?? "";
    return `${k}=${v.split(",").some((x) => TARGETS.includes(x)) ? v : "*"}`;
  });
  return `${segments.join("/")}?${keys.join("&")}`;
}

/** Same-origin links of a response: href attributes of HTML, and paths inside JSON. */
function links(body: string, type: string): string[] {
  const found: string[] = [];
  if (type.includes("html")) {
    for (const m of body.matchAll(/href="([^"#]*)/g)) found.push(m[1]!.replaceAll("&amp;", "&"));
  } else if (type.includes("json")) {
    for (const m of body.matchAll(/"(\/(?:api\/v1|en|cy)\/[^"\s]*)"/g)) found.push(m[1]!);
  }
  return found.filter((u) => u.startsWith("/") && !u.startsWith("//") && !/^\/(assets|static|govuk)\//.test(u));
}

/**
 * The readable text of a response: XLSX and DOCX unzipped (every XML part, in the archive's order), anything else as
 * text. Unzipped in one go with node:zlib (JSZip's worker streams took a second of the crawl for the same text).
 */
function textOf(raw: Buffer, type: string): string {
  if (/spreadsheet|wordprocessing|zip/.test(type)) {
    return unzipParts(raw)
      .filter((p) => /\.(xml|rels)$/.test(p.name))
      .map((p) => p.data.toString("utf8"))
      .join("\n");
  }
  return raw.toString("utf8");
}

describe("signed out", () => {
  it("no page, download or API response contains a draft, embargoed or suppressed value", async () => {
    const queue = ["/en/", "/cy/", "/api/v1", `/api/v1/data?measure=${LBW}`, `/api/v1/data.csv?measure=${SMALL}`];
    const seen = new Set<string>();
    const perPattern = new Map<string, number>();
    const leaks: string[] = [];
    const failures: string[] = [];
    const kinds = new Map<string, number>();
    const shown = new Set<string>();
    let fetched = 0;
    while (queue.length > 0 && fetched < MAX_FETCHES) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const p = pattern(url);
      if ((perPattern.get(p) ?? 0) >= PER_PATTERN) continue;
      perPattern.set(p, (perPattern.get(p) ?? 0) + 1);
      const r = await t.app.inject({ url });
      fetched++;
      if (r.statusCode >= 500) failures.push(`${url}: ${r.statusCode}`);
      const type = String(r.headers["content-type"] ?? "");
      kinds.set(type.split(";")[0]!, (kinds.get(type.split(";")[0]!) ?? 0) + 1);
      const body = textOf(r.rawPayload, type);
      for (const [what, re] of PUBLISHED) if (re.test(body)) shown.add(what);
      for (const [what, re] of SECRETS) {
        const m = re.exec(body);
        if (m)
          leaks.push(
            `${url} shows the ${what} (${JSON.stringify(body.slice(Math.max(0, m.index - 60), m.index + 40))})`,
          );
      }
      // links that name the batches' measures and areas first, so the cap never cuts them off
      const next = links(body, type).filter((u) => !seen.has(u));
      const targeted = next.filter((u) => TARGETS.some((c) => u.includes(c)));
      queue.unshift(...targeted);
      queue.push(...next.filter((u) => !targeted.includes(u)));
    }
    console.log(
      `signed-out crawl: ${fetched} responses read (${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}), ${perPattern.size} URL patterns, ${queue.length} links left in the queue`,
    );
    expect(leaks).toEqual([]);
    expect([...shown].sort()).toEqual(PUBLISHED.map(([what]) => what).sort());
    expect(failures).toEqual([]);
    expect(fetched).toBeGreaterThan(150);
  }, 600_000);

  it("the API keeps the published revision of a value a draft revises", async () => {
    const r = await t.app.inject({ url: `/api/v1/data?measure=${LBW}&area=W06000015&period=2022` });
    expect(r.statusCode).toBe(200);
    const rows = (r.json() as { data: { value: number; numerator: number; revision: number }[] }).data;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ numerator: 33011, revision: 1 });
  });
});
