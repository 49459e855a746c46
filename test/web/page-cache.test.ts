/**
 * Public page caching (issue 11, items 10 and 12): pages and downloads are cached by their validated, normalised
 * choices only, so unknown query parameters make no new entries; the cache is bounded; the overview XLSX is cached;
 * and the "how to cite" address comes from the configured public URL, never from Host or X-Forwarded-Host.
 */
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/web/app.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

/** Every cell of a workbook as text, one per line. */
async function workbookText(body: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        out.push(String(cell.text));
      });
    });
  });
  return out.join("\n");
}

let t: TestApp;
beforeAll(async () => {
  t = await demoApp();
});
afterAll(async () => {
  await t.close();
});

const usage = () => t.app.services.publicViews.cache.usage();

describe("the public page cache", () => {
  it("makes no new entries for unknown query parameters", async () => {
    const first = await t.app.inject({ url: "/en/overview?tier=all" });
    expect(first.statusCode).toBe(200);
    const before = usage();
    for (let n = 0; n < 60; n++) {
      const res = await t.app.inject({ url: `/en/overview?tier=all&zz=${n}` });
      expect(res.statusCode).toBe(200);
    }
    // the same choices spelt differently (order, repeats, empty values) share the entry too
    for (const url of ["/en/overview?zz=1&tier=all&order=", "/en/overview?tier=high_level&tier=all&utm_source=x"]) {
      expect((await t.app.inject({ url })).statusCode).toBe(200);
    }
    const after = usage();
    expect(after.entries).toBe(before.entries);
    expect(after.bytes).toBe(before.bytes);
  }, 180_000);

  it("links the other language to the normalised page, without the unknown parameters", async () => {
    const res = await t.app.inject({ url: "/en/overview?tier=all&zz=%22%3E%3Cscript%3E" });
    expect(res.body).toContain('href="/cy/overview?tier=all"');
    expect(res.body).not.toContain("zz=");
  }, 180_000);

  it("is bounded by entries and by bytes", async () => {
    const u = usage();
    expect(u.maxEntries).toBeLessThanOrEqual(1000);
    expect(u.maxBytes).toBeLessThanOrEqual(256 * 1024 * 1024);
    expect(u.bytes).toBeGreaterThan(0);
    expect(u.bytes).toBeLessThanOrEqual(u.maxBytes);
  }, 180_000);

  it("caches the overview XLSX by its normalised choices", async () => {
    const first = await t.app.inject({ url: "/en/overview?tier=all&format=xlsx" });
    expect(first.statusCode).toBe(200);
    expect(first.headers["content-type"]).toContain("spreadsheetml");
    const before = usage();
    const again = await t.app.inject({ url: "/en/overview?format=xlsx&zz=2&tier=all" });
    expect(again.statusCode).toBe(200);
    expect(usage().entries).toBe(before.entries);
    expect(Buffer.compare(again.rawPayload, first.rawPayload)).toBe(0);
  }, 180_000);
});

describe("the citation address", () => {
  const hostile = { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "gopher" };

  async function check(app: FastifyInstance, base: string) {
    for (const url of ["/en/overview?tier=all", "/en/measures/low-birth-weight", "/en/areas/W06000015", "/en/map"]) {
      const poisoned = await app.inject({ url, headers: hostile });
      expect(poisoned.statusCode, url).toBe(200);
      expect(poisoned.body, url).not.toContain("evil.example");
      expect(poisoned.body, url).not.toContain("gopher");
      const clean = await app.inject({ url });
      expect(clean.body, url).not.toContain("evil.example");
      expect(clean.body, url).toContain(base);
    }
    const page = await app.inject({ url: "/en/overview?tier=all&zz=1", headers: hostile });
    expect(page.body).toContain(`${base}/en/overview?tier=all`);
    const xlsx = await app.inject({ url: "/en/areas/W06000015/download?part=profile&format=xlsx", headers: hostile });
    const text = await workbookText(xlsx.rawPayload);
    expect(text).toContain(`${base}/en/areas/W06000015`);
    expect(text).not.toContain("evil.example");
  }

  it("comes from the public URL (default http://localhost:3000), whatever Host or X-Forwarded-Host say", async () => {
    await check(t.app, "http://localhost:3000");
  }, 180_000);

  it("uses the configured OMF_PUBLIC_URL, even behind a trusted proxy", async () => {
    const app = await buildApp({
      database: t.database,
      sessionSecret: "a-test-secret-that-is-at-least-32-characters",
      publicUrl: "https://omf.example.gov.wales/",
      trustProxy: ["loopback"],
    });
    try {
      await check(app, "https://omf.example.gov.wales");
    } finally {
      await app.close();
    }
  }, 180_000);
});
