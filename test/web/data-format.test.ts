/**
 * The data format guide as a page (issue 17: "data format guide" on the upload page must be a link): the guide from
 * docs/data-format.md with working in-page anchors, tables in scroll boxes, its example files served as downloads
 * and links to repository documents shown as text; in English and Welsh (chrome in Welsh, the guide marked English).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededApp, signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(async () => {
  await t?.close();
});

describe("data format guide", () => {
  it("is linked from the upload page in both languages", async () => {
    const { cookie } = await signInAs(t, "national_analyst", "analyst@example.org", "a long passphrase here");
    for (const lang of ["en", "cy"] as const) {
      const page = await t.app.inject({ url: `/${lang}/data/import`, headers: { cookie } });
      expect(page.body).toContain(`<a class="govuk-link" href="/${lang}/data-format" id="format-guide-link">`);
    }
  });

  it("shows the guide with anchors, tables in their own scroll box and the example files as links", async () => {
    const en = await t.app.inject({ url: "/en/data-format" });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('<h1 class="govuk-heading-xl">Data format guide</h1>');
    expect(en.body).toContain('<h2 class="govuk-heading-l" id="disclosure-control">');
    expect(en.body).toContain('href="#disclosure-control"');
    expect(en.body).toMatch(
      /<div class="omf-table-scroll" tabindex="0" role="region" aria-label="The tidy format \(CSV, TSV, XLSX\)"><table class="govuk-table">/,
    );
    expect(en.body).toContain('<a class="govuk-link" href="/en/data-format/examples/mapping.yaml">');
    // documents of the repository are not served: their names are text, not broken links
    expect(en.body).not.toMatch(/href="[^"]*\.md"/);
    expect(en.body).not.toContain("](");

    const cy = await t.app.inject({ url: "/cy/data-format" });
    expect(cy.statusCode).toBe(200);
    expect(cy.body).toContain("Canllaw fformat data");
    expect(cy.body).toContain('id="guide-english-only"');
    expect(cy.body).toContain('<div lang="en" id="guide">');
    expect(cy.body).toContain('href="/cy/data-format/examples/observations.csv"');
  });

  it("serves the example files it names, and nothing else", async () => {
    const file = await t.app.inject({ url: "/en/data-format/examples/mapping.yaml" });
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-disposition"]).toBe('attachment; filename="mapping.yaml"');
    expect(file.body).toBe(readFileSync(new URL("../../docs/examples/mapping.yaml", import.meta.url), "utf8"));
    for (const name of ["..%2Fdata-format.md", "data-format.md", "..%2F..%2Fpackage.json", "nope.csv"]) {
      expect((await t.app.inject({ url: `/en/data-format/examples/${name}` })).statusCode, name).toBe(404);
    }
  });
});
