/**
 * The data upload pages: who may use them, CSRF on the multipart form, preview (nothing written), confirmation,
 * embargo, the problems CSV, the batches page with publish and roll back, in English and Welsh.
 */
import { readdirSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { uploadDir } from "../../src/services/import/uploads.ts";
import { clearImports } from "../support/import-fixtures.ts";
import { csrfTokenFrom, seededApp, signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await clearImports(t.database);
});

const PASSWORD = "a long passphrase here";
const CSV = "measure_code,area_code,period,value,numerator,denominator\nlow-birth-weight,W06000015,2022,7.1,300,4225\n";

async function signIn(role: string, email = `${role}@example.org`): Promise<string> {
  return (await signInAs(t, role, email, PASSWORD)).cookie;
}

function multipart(fields: [string, string | { name: string; content: string }][]) {
  const boundary = "----omf-test-boundary";
  const parts = fields.map(([name, value]) =>
    typeof value === "string"
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.name}"\r\nContent-Type: text/csv\r\n\r\n${value.content}\r\n`,
  );
  return { payload: `${parts.join("")}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(cookie: string, file: { name: string; content: string }, extra: [string, string][] = []) {
  const form = await t.app.inject({ url: "/en/data/import", headers: { cookie } });
  const body = multipart([["_csrf", csrfTokenFrom(form.body)], ...extra, ["file", file]]);
  return t.app.inject({
    method: "POST",
    url: "/en/data/import",
    headers: { cookie, "content-type": body.contentType },
    payload: body.payload,
  });
}

async function observationCount(): Promise<number> {
  return (await visibleObservations(t.database.db, { includeDrafts: true })).length;
}

describe("data upload pages", () => {
  it("send anonymous visitors to sign in and refuse roles that may not manage data", async () => {
    const anon = await t.app.inject({ url: "/en/data/import" });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe("/en/sign-in");
    for (const role of ["viewer", "partnership_editor"]) {
      const cookie = await signIn(role);
      expect((await t.app.inject({ url: "/en/data/import", headers: { cookie } })).statusCode, role).toBe(403);
      expect((await t.app.inject({ url: "/cy/data/batches", headers: { cookie } })).statusCode, role).toBe(403);
    }
  });

  it("show the form in English and Welsh", async () => {
    const cookie = await signIn("national_analyst");
    const en = await t.app.inject({ url: "/en/data/import", headers: { cookie } });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain("Upload data");
    expect(en.body).toContain('enctype="multipart/form-data"');
    const cy = await t.app.inject({ url: "/cy/data/import", headers: { cookie } });
    expect(cy.statusCode).toBe(200);
    expect(cy.body).toContain("Lanlwytho data");
    expect(cy.body).toContain('lang="cy"');
  });

  it("refuse an upload without the CSRF token", async () => {
    const cookie = await signIn("national_admin");
    const body = multipart([["file", { name: "a.csv", content: CSV }]]);
    const r = await t.app.inject({
      method: "POST",
      url: "/en/data/import",
      headers: { cookie, "content-type": body.contentType },
      payload: body.payload,
    });
    expect(r.statusCode).toBe(403);
    const bad = multipart([
      ["_csrf", "forged"],
      ["file", { name: "a.csv", content: CSV }],
    ]);
    const r2 = await t.app.inject({
      method: "POST",
      url: "/en/data/import",
      headers: { cookie, "content-type": bad.contentType },
      payload: bad.payload,
    });
    expect(r2.statusCode).toBe(403);
    expect(await observationCount()).toBe(0);
  });

  it("explain a missing file next to the field", async () => {
    const cookie = await signIn("national_analyst");
    const r = await upload(cookie, { name: "", content: "" });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('href="#file"');
    expect(r.body).toContain("Select a file to upload");
  });

  it("preview without writing, then import on confirmation and publish", async () => {
    const cookie = await signIn("national_analyst");
    const r = await upload(cookie, { name: "lbw.csv", content: CSV });
    expect(r.statusCode).toBe(303);
    const preview = await t.app.inject({ url: r.headers.location as string, headers: { cookie } });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("Check the data before importing it");
    expect(preview.body).toMatch(/New values\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1/);
    expect(await observationCount()).toBe(0);

    // another user cannot see this upload
    const other = await signIn("national_admin", "other@example.org");
    expect((await t.app.inject({ url: r.headers.location as string, headers: { cookie: other } })).statusCode).toBe(
      404,
    );

    const confirm = await t.app.inject({
      method: "POST",
      url: `${r.headers.location}/confirm`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrfTokenFrom(preview.body), publish: "now" }).toString(),
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Data imported");
    expect(confirm.body).toContain("The batch is published.");
    const published = await visibleObservations(t.database.db, {});
    expect(published.map((o) => o.value)).toEqual([7.1]);
  });

  it("publish under embargo at a UK date and time", async () => {
    const cookie = await signIn("national_analyst");
    const r = await upload(cookie, { name: "lbw.csv", content: CSV });
    const preview = await t.app.inject({ url: r.headers.location as string, headers: { cookie } });
    const year = String(new Date().getUTCFullYear() + 1);
    const bad = await t.app.inject({
      method: "POST",
      url: `${r.headers.location}/confirm`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: csrfTokenFrom(preview.body),
        publish: "embargo",
        "embargo-day": "31",
        "embargo-month": "2",
        "embargo-year": year,
        "embargo-time": "09:30",
      }).toString(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#embargo-day"');
    const ok = await t.app.inject({
      method: "POST",
      url: `${r.headers.location}/confirm`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: csrfTokenFrom(bad.body),
        publish: "embargo",
        "embargo-day": "1",
        "embargo-month": "7",
        "embargo-year": year,
        "embargo-time": "09:30",
      }).toString(),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("09:30");
    expect(await visibleObservations(t.database.db, {})).toEqual([]);
    const later = await visibleObservations(t.database.db, { asAt: new Date(`${year}-07-01T08:30:00Z`) });
    expect(later.map((o) => o.value)).toEqual([7.1]); // 09:30 BST is 08:30 UTC
    expect(await visibleObservations(t.database.db, { asAt: new Date(`${year}-07-01T08:29:00Z`) })).toEqual([]);
  });

  it("list every error with row and column, offer them all as CSV, and import nothing", async () => {
    const cookie = await signIn("national_analyst");
    const rows = Array.from({ length: 250 }, (_, i) => `low-birth-weight,Atlantis,${1900 + i},7,7,100`).join("\n");
    const r = await upload(cookie, {
      name: "bad.csv",
      content: `measure_code,area_code,period,value,numerator,denominator\n${rows}\n`,
    });
    const preview = await t.app.inject({ url: r.headers.location as string, headers: { cookie } });
    expect(preview.body).toContain("The file cannot be imported");
    // the same problem on 250 rows is one line of the table, with its rows as a range: nothing is left out
    const table = preview.body.slice(preview.body.indexOf('id="problems-table"'), preview.body.indexOf("</table>"));
    expect(table.match(/<tr class="govuk-table__row">/g)).toHaveLength(2);
    expect(table).toContain(">2–251</td>");
    expect(preview.body).not.toContain("Showing the first");
    expect(preview.body).not.toContain('id="confirm-button"');
    const csv = await t.app.inject({ url: `${r.headers.location}/problems.csv`, headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toContain("bad-problems.csv");
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("severity,row,column,value,code,message");
    expect(lines).toHaveLength(251);
    expect(lines[1]).toMatch(/^error,2,area_code,Atlantis,unknown_area,/);
    expect(await observationCount()).toBe(0);
  });

  it("say the same problem once, with its rows and the likely fix (issue 17)", async () => {
    const cookie = await signIn("national_analyst");
    const name = "Live births with birth weight under 2,500g";
    const rows = Array.from({ length: 23 }, (_, i) => `"${name}",W06000015,${2000 + i},7,7,100`).join("\n");
    const r = await upload(cookie, {
      name: "named.csv",
      content: `measure_code,area_code,period,value,numerator,denominator\n${rows}\n`,
    });
    for (const [lang, fix, near] of [
      [
        "en",
        "Likely fix: choose the measure under “Measure (optional)” when you upload the file",
        "The measures with the nearest names are",
      ],
      [
        "cy",
        "Ateb tebygol: dewiswch y mesur o dan “Mesur (dewisol)” wrth lanlwytho&#39;r ffeil",
        "Y mesurau â&#39;r enwau agosaf yw",
      ],
    ] as const) {
      const preview = await t.app.inject({
        url: (r.headers.location as string).replace("/en/", `/${lang}/`),
        headers: { cookie },
      });
      expect(preview.statusCode).toBe(200);
      const table = preview.body.slice(preview.body.indexOf('id="problems-table"'), preview.body.indexOf("</table>"));
      expect(table.match(/<tr class="govuk-table__row">/g), lang).toHaveLength(2);
      expect(table.split(`unknown measure &quot;${name}&quot;`).length - 1, lang).toBe(1);
      expect(table).toContain(">2–24</td>");
      expect(table).toContain(fix);
      expect(table).toContain(`${near}: low-birth-weight.</span>`);
      // the problems table scrolls inside its own box on a narrow screen
      expect(preview.body).toMatch(
        /<div class="omf-table-scroll" role="region" aria-labelledby="problems-table-caption"/,
      );
    }
    // the CSV still has every row
    const csv = await t.app.inject({ url: `${r.headers.location}/problems.csv`, headers: { cookie } });
    expect(csv.body.trim().split("\n")).toHaveLength(24);
  });

  it("write problems.csv formula-safe: text cells that start a formula get an apostrophe, row numbers stay numbers", async () => {
    const cookie = await signIn("national_analyst");
    const r = await upload(cookie, {
      name: "formulas.csv",
      content: "measure_code,area_code,period,value,numerator,denominator\n=1+1,@SUM(A1),2020,+7,-3,100\n",
    });
    const csv = await t.app.inject({ url: `${r.headers.location}/problems.csv`, headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    const records = parse(csv.body.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(records.length).toBeGreaterThanOrEqual(2);
    const values = records.map((p) => p.value);
    expect(values).toEqual(expect.arrayContaining(["'=1+1", "'@SUM(A1)"]));
    for (const p of records) {
      expect(p.row).toMatch(/^\d+$/);
      for (const key of ["severity", "column", "value", "code", "message"]) {
        expect(p[key], `${key} of ${JSON.stringify(p)}`).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
  });

  it("publish and roll back batches from the batches page", async () => {
    const cookie = await signIn("national_admin");
    const r = await upload(cookie, { name: "lbw.csv", content: CSV });
    const preview = await t.app.inject({ url: r.headers.location as string, headers: { cookie } });
    await t.app.inject({
      method: "POST",
      url: `${r.headers.location}/confirm`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrfTokenFrom(preview.body), publish: "draft" }).toString(),
    });
    const list = await t.app.inject({ url: "/cy/data/batches", headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("Drafft");
    const id = /\/cy\/data\/batches\/(\d+)\/publish/.exec(list.body)![1];
    const form = (action: string) =>
      t.app.inject({
        method: "POST",
        url: `/cy/data/batches/${id}/${action}`,
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: csrfTokenFrom(list.body) }).toString(),
      });
    const pub = await form("publish");
    expect(pub.statusCode).toBe(303);
    expect((await visibleObservations(t.database.db, {})).length).toBe(1);
    const again = await form("publish");
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("Nid oedd modd gwneud hynny");
    const rb = await form("rollback");
    expect(rb.statusCode).toBe(303);
    const done = await t.app.inject({ url: rb.headers.location as string, headers: { cookie } });
    expect(done.body).toContain(`Mae swp ${id} wedi&#39;i ddadwneud`);
    expect(await visibleObservations(t.database.db, {})).toEqual([]);
  });
});

describe("the upload preview refuses hostile and awkward files clearly, in English and Welsh (issue 11 items 5, 7, 8, 16)", () => {
  const HEADER = "measure_code,area_code,period,value,numerator,denominator\n";

  async function uploadBytes(cookie: string, name: string, content: Buffer) {
    const form = await t.app.inject({ url: "/en/data/import", headers: { cookie } });
    const boundary = "----omf-test-boundary";
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfTokenFrom(form.body)}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: "POST",
      url: "/en/data/import",
      headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  }

  /** Uploads, checks the preview in both languages, and that the uploaded file is not kept. */
  let cookie = "";
  beforeEach(async () => {
    cookie = await signIn("national_analyst");
  });

  async function refused(name: string, content: Buffer | string, en: string, cy: string, detail: string | RegExp) {
    const r = await uploadBytes(cookie, name, Buffer.from(content));
    expect(r.statusCode).toBe(303);
    const id = String(r.headers.location).split("/").pop()!;
    for (const [lang, text] of [
      ["en", en],
      ["cy", cy],
    ] as const) {
      const page = await t.app.inject({ url: `/${lang}/data/import/${id}`, headers: { cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(text);
      expect(page.body).toMatch(detail);
      expect(page.body).not.toContain('id="confirm-button"');
      expect(page.body.length).toBeLessThan(100_000);
    }
    // only the preview's own files remain: the uploaded file is removed
    expect(readdirSync(uploadDir(id)).sort()).toEqual(["problems.csv", "settings.json", "summary.json"]);
    expect(await observationCount()).toBe(0);
  }

  it("a 40 MB single line", async () => {
    await refused(
      "long.csv",
      `${HEADER}${"x".repeat(40 * 1024 * 1024)}\n`,
      "A row of the file is too long.",
      "Mae un o resi&#39;r ffeil yn rhy hir.",
      /row starting on line 2 is too long/,
    );
  }, 120_000);

  it("CR-only line endings, a header without rows, Windows-1252 text", async () => {
    await refused(
      "cr.csv",
      CSV.replaceAll("\n", "\r"),
      "(a carriage return only)",
      "(dychwelyd cerbyd yn unig)",
      /carriage return \(CR\) only/,
    );
    await refused(
      "empty.csv",
      HEADER,
      "The file has a header row but no data.",
      "Mae gan y ffeil res pennawd ond dim data.",
      /no rows of data/,
    );
    await refused(
      "cp1252.csv",
      Buffer.concat([Buffer.from(`${HEADER}low-birth-weight,W06000015,2022,7,7,10`), Buffer.from([0xe9, 0x0a])]),
      "The file is not saved as UTF-8 text.",
      "Nid yw&#39;r ffeil wedi&#39;i chadw fel testun UTF-8.",
      /line 2, byte [\d,]+ \(0xE9/,
    );
  });

  it("a damaged workbook", async () => {
    await refused(
      "bad.xlsx",
      Buffer.from("PK\u0003\u0004 this is not really a workbook"),
      "The Excel workbook is damaged",
      "Mae&#39;r llyfr gwaith Excel wedi&#39;i ddifrodi",
      /the workbook is damaged/,
    );
  });
});
