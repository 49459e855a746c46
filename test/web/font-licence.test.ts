/** Issue 17: GDS Transport is licensed only for gov.uk services, so OMF ships a system font stack and no GDS Transport. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemFontStack, withSystemFont } from "../../src/web/govuk-css.ts";
import { govukDist } from "../../src/web/render.ts";
import { seededApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(async () => t?.close());

describe("font licence", () => {
  it("serves govuk-frontend's stylesheet with a system font stack and no GDS Transport @font-face", async () => {
    const css = await t.app.inject({ url: "/govuk/govuk-frontend.min.css" });
    expect(css.statusCode).toBe(200);
    expect(css.headers["content-type"]).toMatch(/^text\/css/);
    expect(css.body).not.toMatch(/GDS Transport/i);
    expect(css.body).not.toMatch(/\/fonts\/|@font-face|\.woff/);
    expect(css.body).toContain(`font-family:${systemFontStack}`);
    expect(css.body.length).toBeGreaterThan(50_000);
  });

  it("serves none of the GDS Transport font files, nor the source map that names them", async () => {
    const fonts = readdirSync(join(govukDist, "govuk", "assets", "fonts"));
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      const r = await t.app.inject({ url: `/assets/fonts/${font}` });
      expect(r.statusCode, font).toBe(404);
    }
    expect((await t.app.inject({ url: "/govuk/govuk-frontend.min.css.map" })).statusCode).toBe(404);
    // images are still served
    expect((await t.app.inject({ url: "/assets/images/favicon.ico" })).statusCode).toBe(200);
  });

  it("no page, script or asset response names GDS Transport", async () => {
    for (const url of [
      "/en/",
      "/cy/",
      "/en/measures",
      "/en/sign-in",
      "/govuk/govuk-frontend.min.js",
      "/static/app.css",
    ]) {
      const r = await t.app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).not.toMatch(/GDS Transport|\/assets\/fonts\//i);
    }
  });

  it("pages use OMF's own icon, not the crown icons govuk-frontend ships for gov.uk, also at /favicon.ico", async () => {
    for (const url of ["/en/", "/cy/measures"]) {
      const html = (await t.app.inject({ url })).body;
      expect(html, url).toContain('<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">');
      expect(html, url).not.toMatch(/govuk-icon|\/assets\/images\/favicon|\/assets\/manifest\.json/);
    }
    for (const url of ["/static/favicon.svg", "/favicon.ico"]) {
      const r = await t.app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers["content-type"], url).toMatch(/^image\/svg\+xml/);
      expect(r.body, url).toMatch(/^<svg /);
    }
  });

  it("refuses a stylesheet that would still name GDS Transport", () => {
    expect(() => withSystemFont("a{font-family:'GDS Transport'}")).toThrow(/GDS Transport/);
    expect(
      withSystemFont(
        '@font-face{font-family:"GDS Transport";src:url(/assets/fonts/x.woff2)}b{font-family:"GDS Transport",arial,sans-serif}',
      ),
    ).toBe(`b{font-family:${systemFontStack}}`);
  });
});
