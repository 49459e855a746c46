/**
 * The print styles of the plan pages (issue 14): A4 with margins, navigation, forms and buttons hidden, a page break
 * before each core aim, charts left as SVG. The browser test (test/browser/plan-review.test.ts) checks them in
 * Chromium's print mode; this checks the rules and the template's hooks without a browser.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync("src/web/assets/app.css", "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
const print = /@media print\s*\{([\s\S]*?)\n\}/.exec(css)?.[1] ?? "";

/** The declarations of the rule whose selector list contains `selector`, within `sheet`. */
function rule(sheet: string, selector: string): string {
  for (const m of sheet.matchAll(/([^{}]+)\{([^{}]*)\}/g))
    if (
      m[1]!
        .split(",")
        .map((s) => s.trim())
        .includes(selector)
    )
      return m[2]!;
  return "";
}

describe("print styles", () => {
  it("print on A4 with margins", () => {
    const page = /@page\s*\{([^}]*)\}/.exec(css)?.[1] ?? "";
    expect(page).toMatch(/size:\s*A4/);
    expect(page).toMatch(/margin:\s*\d+mm/);
  });

  it("hide the navigation, the language links, breadcrumbs, footer, forms and buttons when printed", () => {
    for (const selector of [
      ".govuk-header",
      ".govuk-service-navigation",
      ".govuk-language-navigation",
      ".govuk-breadcrumbs",
      ".govuk-footer",
      "form",
      ".govuk-button",
      ".omf-no-print",
    ])
      expect(rule(print, selector), selector).toMatch(/display:\s*none/);
  });

  it("start each core aim on a new page and keep charts as scalable SVG", () => {
    expect(rule(print, ".omf-print-break")).toMatch(/break-before:\s*page/);
    expect(rule(print, "svg")).toMatch(/max-width:\s*100%/);
    const plan = readFileSync("src/web/views/plans/plan.njk", "utf8");
    expect(plan).toMatch(/\{% for g in byAim %\}\s*<h3 class="[^"]*omf-print-break/);
  });
});
