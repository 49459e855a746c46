/**
 * Framework versions on the site, the command line and the API (issue 15), on the fixture change in
 * test/fixtures/framework-v2 (one measure retired, one redefined, one added): `omf framework import` starts a draft
 * that the public does not see; `omf framework diff` reads the changes in English and Welsh; a national analyst
 * submits, approves and publishes it from its page; the public then reads the versions and the diff in both languages,
 * every page names the framework version it shows, and the API gives the diff. Swansea's draft plan, made under
 * version 1, stays on it; its editor reads the migration report and moves it.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { omfInProcess as omf } from "../support/cli.ts";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { openDocx } from "../support/docx-package.ts";
import { englishLeaks } from "../support/english-leaks.ts";
import { csrfTokenFrom, signInAs, type TestApp } from "../support/test-app.ts";

const FIXTURE_V2 = "test/fixtures/framework-v2";
let t: TestApp;
let analyst: string;

beforeAll(async () => {
  t = await demoAppWithPlans();
  analyst = (await signInAs(t, "national_analyst", "fw-analyst@example.org")).cookie;
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const get = (url: string, cookie?: string) => t.app.inject({ url, headers: cookie ? { cookie } : {} });

async function step(version: string, action: string) {
  const page = await get(`/en/framework/versions/${version}`, analyst);
  expect(page.statusCode).toBe(200);
  return t.app.inject({
    method: "POST",
    url: `/en/framework/versions/${version}/workflow`,
    headers: { cookie: analyst, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      _csrf: csrfTokenFrom(page.body),
      action,
      reason: `${action} by the test`,
    }).toString(),
  });
}

describe("framework versions", () => {
  it("names the framework version on every page, in English and Welsh", async () => {
    for (const [url, text] of [
      ["/en/framework", "Framework version 1"],
      ["/cy/framework", "Fersiwn 1 o&#39;r fframwaith"],
      ["/en/measures", "Framework version 1"],
      ["/cy/areas", "Fersiwn 1 o&#39;r fframwaith"],
    ] as const) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain(text);
      expect(r.body).toContain('href="/' + url.slice(1, 3) + '/framework/versions/1"');
      if (url.endsWith("/framework")) expect(r.body).toContain('href="/' + url.slice(1, 3) + '/framework/versions"');
    }
  });

  it("names the framework version in downloads (the XLSX metadata sheet) and in a plan's DOCX", async () => {
    for (const [url, label, value] of [
      ["/en/measures/low-birth-weight/download?part=areas&format=xlsx", "Framework version", "1"],
      ["/cy/areas/W06000015/download?part=profile&format=xlsx", "Fersiwn y fframwaith", "1"],
      ["/en/plans/engagement?format=xlsx", "Framework version", "1"],
    ] as const) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const rows = (wb.worksheets[0]!.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1));
      expect(rows, url).toContainEqual([label, value]);
    }
    const docx = await get(`/cy/plans/W06000015/${demoPlanPeriod()}/plan.docx`);
    expect(docx.statusCode).toBe(200);
    const doc = await openDocx(docx.rawPayload);
    expect(doc.paragraphs.map((p) => p.text)).toContain("Wedi'i wneud o dan fersiwn 1 o'r fframwaith.");
  });

  it("imports a new version as a draft the public does not see, and shows its changes on the command line", async () => {
    const r = await omf(["framework", "import", FIXTURE_V2], { database: t.database });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("framework version 2 started as a draft (not live)");
    expect((await get("/en/framework/versions/2")).statusCode).toBe(404);
    expect((await get("/en/framework/versions")).body).not.toContain("/en/framework/versions/2");
    const mine = await get("/en/framework/versions/2", analyst);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain("Framework version 2 is Draft.");
    expect(mine.body).toContain('value="submit"');
    expect(mine.body).not.toContain('value="publish"');

    const en = await omf(["framework", "diff", "2"], { database: t.database });
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toContain("1 added, 1 retired, 1 redefined, 1 breaks in series, 0 groups changed");
    expect(en.stdout).toMatch(/Measures added\n {2}\+ mmr2-by-5: Children who have had both MMR doses/);
    expect(en.stdout).toMatch(/Measures retired\n {2}- mmr1-by-2: /);
    expect(en.stdout).toContain("~ low-birth-weight: Low birth weight babies");
    expect(en.stdout).toContain("From 2026 only births at term (37 weeks or more) are counted.");
    const cy = await omf(["framework", "diff", "2", "--lang", "cy"], { database: t.database });
    expect(cy.stdout).toContain("Mesurau a ychwanegwyd");
    expect(cy.stdout).toContain("Babanod pwysau geni isel");
    const versions = await omf(["framework", "versions", "--json"], { database: t.database });
    expect(JSON.parse(versions.stdout)).toEqual([
      expect.objectContaining({ version: "1", state: "published", current: true }),
      expect.objectContaining({ version: "2", state: "draft", current: false }),
    ]);
  });

  it("refuses a workflow step to who may not take it and a step the workflow does not allow", async () => {
    const editor = (await signInAs(t, "partnership_editor", "fw-editor@example.org")).cookie;
    const page = await get("/en/framework", editor);
    const r = await t.app.inject({
      method: "POST",
      url: "/en/framework/versions/2/workflow",
      headers: { cookie: editor, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrfTokenFrom(page.body), action: "submit" }).toString(),
    });
    expect(r.statusCode).toBe(403);
    const early = await step("2", "publish");
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain("Framework version 2 is Draft: “Publish” is not possible now. Nothing was changed.");
  });

  it("is submitted, approved and published by a national analyst from its page, and becomes current", async () => {
    for (const action of ["submit", "approve", "publish"]) {
      const r = await step("2", action);
      expect(r.statusCode, action).toBe(303);
      expect(r.headers.location).toMatch(/^\/en\/framework\/versions\/2\?done=/);
    }
    const done = await get("/en/framework/versions/2?done=x", analyst);
    expect(done.body).toContain("This is the version the site shows.");
    const list = await get("/cy/framework/versions");
    expect(list.body).toContain("Fersiynau&#39;r fframwaith");
    expect(list.body).toContain("Wedi&#39;i ddisodli"); // version 1, superseded: in words
    expect(list.body).toContain('href="/cy/framework/versions/2/diff"');
    expect((await get("/en/framework")).body).toContain("Framework version 2");
    const old = await get("/en/framework/versions/1");
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain("Framework version 1 is Superseded.");
    expect(old.body).toContain("The site shows version 2.");
  });

  it("shows the readable diff in English and Welsh, changed words marked in words too", async () => {
    const en = await get("/en/framework/versions/2/diff");
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain("1 added, 1 retired, 1 redefined, 1 breaks in series, 0 groups changed");
    expect(en.body).toMatch(/id="added"[\s\S]*mmr2-by-5[\s\S]*id="retired"[\s\S]*mmr1-by-2[\s\S]*id="redefined"/);
    expect(en.body).toContain('id="redefined-low-birth-weight"');
    expect(en.body).toMatch(/<ins class="omf-diff-added"><span class="govuk-visually-hidden">\[added: <\/span>/);
    expect(en.body).toMatch(/<del class="omf-diff-removed"><span class="govuk-visually-hidden">\[removed: <\/span>/);
    expect(en.body).toContain("The change alters what the numbers mean");
    expect(en.body).toContain("Framework version 2"); // the footer names the version shown
    const cy = await get("/cy/framework/versions/2/diff");
    expect(cy.body).toContain("Mesurau a ddirwynwyd i ben");
    expect(cy.body).toContain("Cyfres toriad mewn amser");
    expect(cy.body).toContain("[ychwanegwyd: ");
    expect(cy.body).toContain("Genedigaethau byw");
    for (const url of ["/cy/framework/versions", "/cy/framework/versions/1", "/cy/framework/versions/2/diff"]) {
      expect(englishLeaks((await get(url)).body), url).toEqual([]);
    }
    const first = await get("/en/framework/versions/1/diff");
    expect(first.body).toContain("Version 1 is the first version of the framework");
  });

  it("gives the diff in the API", async () => {
    const r = await get("/api/v1/frameworks/wales-omf/versions/2/diff");
    expect(r.statusCode).toBe(200);
    const d = r.json().data;
    expect(d).toMatchObject({ code: "wales-omf", from: "1", to: "2" });
    expect(d.added.map((m: { code: string }) => m.code)).toEqual(["mmr2-by-5"]);
    expect(d.retired.map((m: { code: string }) => m.code)).toEqual(["mmr1-by-2"]);
    const lbw = d.redefined[0];
    expect(lbw.code).toBe("low-birth-weight");
    expect(lbw.changes.find((c: { field: string }) => c.field === "technicalDefinition").after.en).toMatch(
      /^Live births at 37 weeks/,
    );
    const list = (await get("/api/v1/frameworks/wales-omf")).json().data;
    expect(list.versions.map((v: { version: string; status: string }) => [v.version, v.status])).toEqual([
      ["1", "superseded"],
      ["2", "published"],
    ]);
    expect((await get("/api/v1/frameworks/wales-omf/versions/9/diff")).statusCode).toBe(404);
    // a published plan made under version 1 says so
    const plan = (await get(`/api/v1/plans/W06000015/${demoPlanPeriod()}`)).json().data;
    expect(plan.frameworkVersion).toBe("1");
    expect(
      (await get("/api/v1/plans")).json().data.every((p: { frameworkVersion: string }) => p.frameworkVersion === "1"),
    ).toBe(true);
    const first = (await get("/api/v1/frameworks/wales-omf/versions/1/diff")).json().data;
    expect(first).toMatchObject({ from: null, to: "1", retired: [], redefined: [] });
    expect(first.added.length).toBeGreaterThan(40);
  });
});

describe("a plan on an earlier framework version", () => {
  const SWANSEA = "W06000011"; // a draft plan in the demo
  const plan = `/en/plans/${SWANSEA}/${demoPlanPeriod()}`;
  let editor: string;

  it("names the version it was made under, and offers its editor the move", async () => {
    editor = (await signInAs(t, "partnership_editor", "fw-swansea@example.org", undefined, [SWANSEA])).cookie;
    const page = await get(plan, editor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      /id="plan-framework-version"><a class="govuk-link" href="\/en\/framework\/versions\/1">1<\/a>/,
    );
    expect(page.body).toContain("Framework version 2 is now current.");
    expect(page.body).toContain(`href="${plan}/edit/framework"`);
    expect(page.body).toContain('id="framework-version"'); // the footer: the plan's version
    expect(page.body).toMatch(/id="framework-version"><a[^>]*>Framework version 1</);
    const published = await get(`/en/plans/W06000015/${demoPlanPeriod()}`);
    expect(published.body).toMatch(/id="framework-version"><a[^>]*>Framework version 1</);
    expect(published.body).not.toContain("/edit/framework");
  });

  it("shows the migration report in English and Welsh before anything changes, then moves on confirmation", async () => {
    const report = await get(`${plan}/edit/framework`, editor);
    expect(report.statusCode).toBe(200);
    expect(report.body).toMatch(/id="migration-mmr1-by-2"[\s\S]*Retired, with no replacement/);
    expect(report.body).toMatch(
      /id="migration-low-birth-weight"[\s\S]*Redefined in a way that changes what the numbers mean/,
    );
    expect(report.body).toMatch(/id="migration-mmr2-by-5"[\s\S]*A new high-level measure/);
    const cy = await get(`/cy/plans/${SWANSEA}/${demoPlanPeriod()}/edit/framework`, editor);
    expect(cy.body).toContain("Symud y cynllun hwn i fersiwn 2 o&#39;r fframwaith");
    expect(cy.body).toContain("Wedi&#39;i ddirwyn i ben, heb fesur yn ei le.");
    expect(englishLeaks(cy.body)).toEqual([]);
    expect((await get(plan, editor)).body).toContain("mmr1-by-2"); // nothing changed yet

    const rowVersion = /name="rowVersion" value="(\d+)"/.exec(report.body)![1]!;
    const r = await t.app.inject({
      method: "POST",
      url: `${plan}/edit/framework`,
      headers: { cookie: editor, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrfTokenFrom(report.body), rowVersion, to: "2" }).toString(),
    });
    expect(r.statusCode, r.body.slice(0, 500)).toBe(303);
    expect(r.headers.location).toBe(`${plan}/edit`);
    const after = await get(plan, editor);
    expect(after.body).toMatch(
      /id="plan-framework-version"><a class="govuk-link" href="\/en\/framework\/versions\/2">2<\/a><\/dd>/,
    );
    expect(after.body).not.toContain("/edit/framework");
    const again = await get(`${plan}/edit/framework`, editor);
    expect(again.body).toContain("This plan is on the current framework version (2).");
  });
});
