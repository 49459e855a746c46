/**
 * Nothing English leaks onto a Welsh page: every public page is rendered in Welsh and its visible text (and the text
 * of aria-label, title and alt attributes, chart titles and descriptions) must contain none of the English locale
 * strings. Text a page declares as English (lang="en", e.g. a measure not yet translated, flagged as such, or the
 * "English" language link) is left out. Strings identical in both languages (codes, proper nouns such as "Map",
 * "Data", "CSV") are not leaks; the allow-list names the few other fragments that legitimately appear.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoApp } from "../support/demo-app.ts";
import { englishFragments, englishLeaks } from "../support/english-leaks.ts";
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
      expect(englishLeaks(r.body, fragments, (f) => path === "/api" && API_IDENTIFIERS.has(f))).toEqual([]);
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
