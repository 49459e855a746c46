/**
 * The revision history of one value (GET /data/history and its CSV): only analysts and administrators, every revision
 * created by importing the value three times (published, under embargo, draft) with who, when, batch, status in words,
 * reason and what it replaced, in English and Welsh with no English left on the Welsh page; 400 for a missing or
 * malformed key, 404 for a key with no value; and the link from the upload preview's revised values.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { englishLeaks } from "../support/english-leaks.ts";
import { importCsv } from "../support/import-fixtures.ts";
import { csrfTokenFrom, seededApp, signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let analyst: string;
const PASSWORD = "a long passphrase here";
const HEADER = "measure_code,area_code,period,value,numerator,denominator,lower_ci,upper_ci,note_code\n";
const KEY = "measure=low-birth-weight&area=W06000015&period=2022&breakdown=total";
const EMBARGO = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 6, 1, 8, 30));

let analystId: number;

async function signIn(role: string): Promise<string> {
  const { cookie, userId } = await signInAs(t, role, `${role}@example.org`, PASSWORD);
  if (role === "national_analyst") analystId = userId;
  return cookie;
}

beforeAll(async () => {
  t = await seededApp();
  analyst = await signIn("national_analyst");
  const actor = { userId: analystId, name: "web:national_analyst@example.org" };
  const row = (v: string, n: number, lo: string, hi: string, note = "") =>
    `${HEADER}low-birth-weight,W06000015,2022,${v},${n},4225,${lo},${hi},${note}\n`;
  const imports = [
    { csv: row("7.1", 300, "6.3", "7.9"), publish: true, reason: "First load", fileName: "lbw-2022.csv" },
    {
      csv: row("7.4", 313, "6.6", "8.2", "p"),
      publish: true,
      publishAt: EMBARGO,
      reason: "Publisher correction",
      fileName: "lbw-2022-revised.csv",
    },
    { csv: row("7.5", 317, "6.7", "8.3"), reason: "Late registrations", fileName: "lbw-2022-final.csv" },
  ];
  for (const { csv, ...options } of imports) {
    const summary = await importCsv(t.database, csv, { actor, ...options });
    expect(summary.ok, summary.message).toBe(true);
  }
});
afterAll(async () => {
  await t?.close();
});

/** Area codes in the area choices (such as region-north-wales) contain the English word "region"; they are codes. */
const welshLeaks = (html: string) => englishLeaks(html, undefined, (fragment) => fragment === "region");

const get = (url: string, cookie = analyst) => t.app.inject({ url, headers: { cookie } });
const bodyRows = (html: string) => html.split('id="history-table"')[1]!.split("<tbody")[1]!.split("<tr").slice(1);

describe("value history page", () => {
  it("sends anonymous visitors to sign in and refuses roles that may not manage data", async () => {
    for (const path of [`/en/data/history?${KEY}`, `/cy/data/history.csv?${KEY}`, "/en/data/history"]) {
      const r = await t.app.inject(path);
      expect(r.statusCode, path).toBe(303);
      expect(r.headers.location).toBe(`/${path.slice(1, 3)}/sign-in`);
    }
    for (const role of ["viewer", "partnership_editor"]) {
      const cookie = await signIn(role);
      expect((await get(`/en/data/history?${KEY}`, cookie)).statusCode, role).toBe(403);
      expect((await get(`/cy/data/history.csv?${KEY}`, cookie)).statusCode, role).toBe(403);
    }
  });

  it("lists every revision in English: values, batch and status in words, who, when, reason, what it replaced", async () => {
    const r = await get(`/en/data/history?${KEY}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(r.body).toContain("Revision history of a value");
    expect(r.body).toMatch(/Low birth weight[^<]*\(low-birth-weight\)/);
    expect(r.body).toContain("Cardiff (W06000015)");
    const rows = bodyRows(r.body);
    expect(rows).toHaveLength(3);
    const [first, second, third] = rows as [string, string, string];
    expect(first).toMatch(/<th scope="row"[^>]*>1<\/th>/);
    expect(first).toContain("7.1");
    expect(first).toContain("6.3 to 7.9");
    expect(first).toContain('href="/en/data/batches#batch-1"');
    expect(first).toContain("Batch 1");
    expect(first).toContain("lbw-2022.csv");
    expect(first).toMatch(/Published \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}/);
    expect(first).toContain("national_analyst@example.org");
    expect(first).toMatch(/\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}/);
    expect(first).toContain("First load");
    expect(first).toContain("Nothing (first value)");
    expect(second).toContain("7.4");
    expect(second).toContain("Provisional");
    expect(second).toContain(`Embargoed until 1 July ${EMBARGO.getUTCFullYear()} at 09:30 (UK time)`);
    expect(second).toContain("Publisher correction");
    expect(second).toContain("Revision 1");
    expect(third).toContain("7.5");
    expect(third).toContain("Draft");
    expect(third).toContain("Revision 2");
    expect(third).toContain("Late registrations");
    for (const row of rows) expect(row).toMatch(/>No<\/td>/); // none withdrawn
    // the form keeps the chosen value, and the download link carries the key
    expect(r.body).toMatch(/<option value="low-birth-weight" selected>/);
    expect(r.body).toMatch(/<option value="W06000015" selected>/);
    expect(r.body).toContain(
      'href="/en/data/history.csv?measure=low-birth-weight&amp;area=W06000015&amp;period=2022&amp;breakdown=total"',
    );
  });

  it("is in Welsh on the Welsh page, with no English UI text", async () => {
    const r = await get(`/cy/data/history?measure=low-birth-weight&area=w06000015&period=2022`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('lang="cy"');
    expect(r.body).toContain("Hanes diwygiadau gwerth");
    expect(r.body).toContain("Caerdydd (W06000015)");
    const [first, second, third] = bodyRows(r.body) as [string, string, string];
    expect(first).toMatch(/Cyhoeddwyd \d{1,2} \p{L}+ \d{4} am \d{2}:\d{2}/u);
    expect(first).toContain("6.3 i 7.9");
    expect(first).toContain("Swp 1");
    expect(first).toContain('href="/cy/data/batches#batch-1"');
    expect(first).toContain("Dim (y gwerth cyntaf)");
    expect(second).toContain(`Dan embargo tan 1 Gorffennaf ${EMBARGO.getUTCFullYear()} am 09:30 (amser y DU)`);
    expect(second).toContain("Amodol");
    expect(second).toContain("Diwygiad 1");
    expect(third).toContain("Drafft");
    expect(welshLeaks(r.body)).toEqual([]);
  });

  it("downloads the table as CSV in the page's language", async () => {
    const en = await get(`/en/data/history.csv?${KEY}`);
    expect(en.statusCode).toBe(200);
    expect(en.headers["content-type"]).toContain("text/csv");
    expect(en.headers["cache-control"]).toBe("no-store");
    expect(en.headers["content-disposition"]).toContain('filename="history-low-birth-weight-w06000015-2022-total.csv"');
    expect(en.body.startsWith("\uFEFF")).toBe(true);
    const lines = en.body.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe(
      "Revision,Value,Numerator,Denominator,Lower limit,Upper limit,Notes,Withdrawn,Batch,File,Batch status,Changed by,Date and time (UK time),Reason,Replaces",
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^1,7\.1,300,4225,6\.3,7\.9,,No,1,lbw-2022\.csv,Published [^,]*,national_analyst@example\.org,\d{4}-\d{2}-\d{2}T[\d:.]+Z,First load,$/,
    );
    expect(lines[2]).toMatch(
      /^2,7\.4,313,4225,6\.6,8\.2,provisional,No,2,lbw-2022-revised\.csv,"?Embargoed until .*,1$/,
    );
    expect(lines[3]).toMatch(/^3,7\.5,.*,Draft,.*,Late registrations,2$/);

    const cy = await get(`/cy/data/history.csv?${KEY}`);
    expect(cy.statusCode).toBe(200);
    expect(cy.headers["content-disposition"]).toContain('filename="hanes-low-birth-weight-w06000015-2022-total.csv"');
    const cyLines = cy.body.slice(1).trim().split("\r\n");
    expect(cyLines[0]).toBe(
      "Diwygiad,Gwerth,Rhifiadur,Enwadur,Terfyn isaf,Terfyn uchaf,Nodiadau,Wedi'i dynnu'n ôl,Swp,Ffeil,Statws y swp,Newidiwyd gan,Dyddiad ac amser (amser y DU),Rheswm,Yn disodli",
    );
    expect(cyLines[3]).toMatch(/,Nac ydy,3,.*,Drafft,/);
  });

  it("shows the form alone when nothing is chosen", async () => {
    const r = await get("/en/data/history");
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('id="history-form"');
    expect(r.body).not.toContain('id="history-table"');
    expect(r.body).not.toContain("govuk-error-summary");
  });

  it("answers 400 naming each missing or malformed part of the key, in the page language", async () => {
    const en = await get("/en/data/history?measure=low-birth-weight&breakdown=sex");
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('href="#area"');
    expect(en.body).toContain("Select an area");
    expect(en.body).toContain('href="#period"');
    expect(en.body).toContain("Enter a period, for example 2022-23");
    expect(en.body).toContain('href="#breakdown"');
    expect(en.body).not.toContain('href="#measure"');
    expect(en.body).toMatch(/<option value="low-birth-weight" selected>/);

    const cy = await get("/cy/data/history?measure=low-birth-weight&area=W06000015&period=");
    expect(cy.statusCode).toBe(400);
    expect(cy.body).toContain("Nodwch gyfnod, er enghraifft 2022-23");
    expect(welshLeaks(cy.body)).toEqual([]);

    expect((await get("/en/data/history?measure=low-birth-weight&area=W06000015;DROP&period=2022")).statusCode).toBe(
      400,
    );
    expect((await get("/en/data/history.csv")).statusCode).toBe(400);
    expect((await get("/cy/data/history.csv?measure=low-birth-weight")).statusCode).toBe(400);
  });

  it("answers 404 for a key with no value, in both languages", async () => {
    const en = await get("/en/data/history?measure=low-birth-weight&area=W06000015&period=1999");
    expect(en.statusCode).toBe(404);
    expect(en.body).toContain("No value found");
    expect(en.body).toContain('id="history-form"');
    const cy = await get("/cy/data/history?measure=low-birth-weight&area=W06000015&period=2022&breakdown=sex=female");
    expect(cy.statusCode).toBe(404);
    expect(cy.body).toContain("Ni chanfuwyd gwerth");
    expect(welshLeaks(cy.body)).toEqual([]);
    expect((await get("/en/data/history.csv?measure=no-such-measure&area=W06000015&period=2022")).statusCode).toBe(404);
  });

  it("is linked from the revised values of an upload preview and from the batches page", async () => {
    const boundary = "----omf-test-boundary";
    const form = await get("/en/data/import");
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfTokenFrom(form.body)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lbw.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      `${HEADER}low-birth-weight,W06000015,2022,7.6,321,4225,,,\r\n--${boundary}--\r\n`;
    const upload = await t.app.inject({
      method: "POST",
      url: "/en/data/import",
      headers: { cookie: analyst, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(upload.statusCode).toBe(303);
    const preview = await get(upload.headers.location as string);
    expect(preview.body).toContain('id="revised-table"');
    expect(preview.body).toContain(`href="/en/data/history?${KEY.replaceAll("&", "&amp;")}"`);
    const batches = await get("/cy/data/batches");
    expect(batches.body).toContain('href="/cy/data/history"');
  });
});
