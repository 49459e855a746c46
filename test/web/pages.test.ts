import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(async () => {
  await t.close();
});

describe("home page", () => {
  it("lists all seven core aims in English", async () => {
    const res = await t.app.inject("/en/");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain('<html lang="en"');
    const aims = [...res.body.matchAll(/href="\/en\/aims\/(CA\d)"/g)].map((m) => m[1]);
    expect(new Set(aims)).toEqual(new Set(["CA1", "CA2", "CA3", "CA4", "CA5", "CA6", "CA7"]));
    expect(res.body).toMatch(/have a flying start in life/i);
  });

  it("lists all seven core aims in Welsh with the official titles", async () => {
    const res = await t.app.inject("/cy/");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="cy"');
    expect(res.body).toMatch(/yn cael dechrau teg mewn bywyd/i);
    expect(res.body).toContain("Y saith nod craidd");
    expect(res.body).toContain("Neidio i&#39;r prif gynnwys");
  });

  it("leads to the plans, the rights report, the data development agenda and the agreements, in both languages", async () => {
    for (const [lang, heading] of [
      ["en", "Plans and reports"],
      ["cy", "Cynlluniau ac adroddiadau"],
    ] as const) {
      const res = await t.app.inject(`/${lang}/`);
      expect(res.body).toContain(heading);
      const list = res.body.slice(res.body.indexOf('id="plans-and-reports"'));
      const links = [...list.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).slice(0, 4);
      expect(links).toEqual(
        ["plans", "reports/rights", "reports/data-development", "agreements"].map((p) => `/${lang}/${p}`),
      );
      for (const link of links) expect((await t.app.inject(link!)).statusCode, link).toBe(200);
    }
  });

  it("redirects / to the English home page", async () => {
    const res = await t.app.inject("/");
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe("/en/");
  });
});

describe("language switch", () => {
  it("links to the same page in the other language, keeping the query string", async () => {
    const en = await t.app.inject("/en/aims/CA3?tier=high_level");
    expect(en.body).toContain('href="/cy/aims/CA3?tier=high_level"');
    const cy = await t.app.inject("/cy/framework");
    expect(cy.body).toContain('href="/en/framework"');
  });
});

describe("framework browser", () => {
  it("shows every core aim with its high-level measures, groups, units, polarity and source", async () => {
    const res = await t.app.inject("/en/framework");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("High-level measures");
    expect(res.body).toContain("Additional measures");
    expect(res.body).toMatch(/Lower is better|Higher is better/);
    expect(res.body).toContain('href="/en/measures/low-birth-weight"');
  });

  it("shows a core aim page with its UNCRC articles, flagging unconfirmed mappings", async () => {
    const res = await t.app.inject("/en/aims/CA1");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("UNCRC articles");
    const cy = await t.app.inject("/cy/aims/CA7");
    expect(cy.statusCode).toBe(200);
    expect(cy.body).toContain("nid yw&#39;r mapio wedi&#39;i gadarnhau eto");
  });

  it("answers 404 in the page language for an unknown aim", async () => {
    const res = await t.app.inject("/cy/aims/CA9");
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain("Heb ddod o hyd i&#39;r dudalen");
  });
});

describe("/health", () => {
  it("reports the database status", async () => {
    const res = await t.app.inject("/health");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "ok", database: { status: "ok", kind: t.database.kind } });
  });
});

describe("security headers", () => {
  it("sends a nonce-based content security policy that the page's scripts carry", async () => {
    const res = await t.app.inject("/en/");
    const csp = String(res.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`nonce="${nonce}"`);
  });
});
