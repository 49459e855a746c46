/**
 * Nothing English leaks onto a Welsh page: every public page is rendered in Welsh and its visible text (and the text
 * of aria-label, title and alt attributes, chart titles and descriptions) must contain none of the English locale
 * strings. Text a page declares as English (lang="en", e.g. a measure not yet translated, flagged as such, or the
 * "English" language link) is left out. Strings identical in both languages (codes, proper nouns such as "Map",
 * "Data", "CSV") are not leaks; the allow-list names the few other fragments that legitimately appear.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localeStrings } from "../../src/web/i18n.ts";
import { demoApp } from "../support/demo-app.ts";
import { PUBLIC_PAGES } from "../support/public-pages.ts";
import { readableText } from "../support/readable-text.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await demoApp();
});
afterAll(async () => {
  await t?.close();
});

/** English fragments that may appear on Welsh pages: proper nouns and codes shared by both languages. */
const ALLOWED = new Set(["OMF", "Fingertips", "Excel (XLSX)", "OpenAPI 3.1", "GET"]);

/** English strings a govuk-frontend component falls back to when a label is not passed. */
const GOVUK_DEFAULTS = [
  "Breadcrumb",
  "Support links",
  "Skip to main content",
  "Service information",
  "Menu",
  "Back to top",
  "Crown copyright",
  "All content is available under the Open Government Licence",
  "There is a problem",
  "Important",
  "Success",
];

/** API parameter and field names, written as code on the API documentation page. */
const API_IDENTIFIERS = new Set([
  "tier",
  "status",
  "article",
  "order",
  "sort",
  "mode",
  "view",
  "measure",
  "area",
  "group",
  "measures",
  "areaType",
  "period",
  "breakdown",
  "page",
  "pageSize",
]);

/** Fragments of English locale strings to look for: literal parts between {placeholders}, 4+ letters. */
function englishFragments(): { key: string; fragment: string }[] {
  const cy = localeStrings("cy");
  const out: { key: string; fragment: string }[] = [];
  for (const [key, en] of localeStrings("en")) {
    if (cy.get(key) === en) continue;
    for (const part of en.split(/\{\w+\}/)) {
      const fragment = part.trim().replace(/^[.,:;()\s]+|[.,:;()\s]+$/g, "");
      if ((fragment.match(/\p{L}/gu)?.length ?? 0) < 4 || ALLOWED.has(fragment)) continue;
      if (cy.get(key)?.includes(fragment)) continue; // e.g. a code inside both sentences
      out.push({ key, fragment });
    }
  }
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("readable text", () => {
  it("leaves out scripts and parts marked as English, and keeps attributes readers hear", () => {
    const text = readableText(
      '<p>Helo <span lang="en">Hello <b>there</b></span> <a aria-label="Dolen">x</a></p><script>var a="English";</script><svg role="img"><title>Teitl</title></svg>',
    );
    expect(text).toContain("Helo");
    expect(text).toContain("Dolen");
    expect(text).toContain("Teitl");
    expect(text).not.toContain("Hello");
    expect(text).not.toContain("there");
    expect(text).not.toContain("English");
    expect(readableText("<p>Gweler https://example.org/en/measures a <code>measure=x</code></p>").trim()).toBe(
      "Gweler a",
    );
  });
});

describe("Welsh pages", () => {
  const fragments = englishFragments();

  it("have English strings to look for", () => {
    expect(fragments.length).toBeGreaterThan(200);
  });

  const ERROR_PAGES: [string, number][] = [
    ["/measures/no-such-measure", 404],
    ["/measures/low-birth-weight?area=W06000099", 400],
    ["/areas/W99999999", 404],
    ["/map?mode=colourful", 400],
  ];

  it.each([...PUBLIC_PAGES.map((p) => [p, 200] as [string, number]), ...ERROR_PAGES])(
    "/cy%s contains no English UI text",
    async (path, status) => {
      const r = await t.app.inject(`/cy${path}`);
      expect(r.statusCode).toBe(status);
      const text = readableText(r.body);
      const leaks = fragments
        .filter(({ fragment }) => !(path === "/api" && API_IDENTIFIERS.has(fragment)))
        .filter(({ fragment }) => new RegExp(`(?<![\\p{L}])${escapeRe(fragment)}(?![\\p{L}])`, "u").test(text))
        .map(({ key, fragment }) => `${key}: "${fragment}"`);
      expect(leaks).toEqual([]);
      const defaults = GOVUK_DEFAULTS.filter((s) =>
        new RegExp(`(?<![\\p{L}])${escapeRe(s)}(?![\\p{L}])`, "u").test(text),
      );
      expect(defaults).toEqual([]);
    },
  );

  it.each([
    "/measures/low-birth-weight/download?part=areas&format=csv",
    "/overview?format=csv",
    "/dashboard?format=csv",
  ])("/cy%s has Welsh column headings", async (path) => {
    const r = await t.app.inject(`/cy${path}`);
    const header = r.body.slice(1).split("\r\n")[0]!;
    const leaks = fragments.filter(({ fragment }) => header.split(",").includes(fragment)).map((f) => f.fragment);
    expect(leaks).toEqual([]);
  });
});
