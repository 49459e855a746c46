/**
 * The forms national roles use to negotiate and agree an outcome agreement (issue 16): create it (errors named on the
 * form in English and Welsh), add outcomes linked to framework and local measures, targets and the authority's plan,
 * put it forward and record both sides' agreement through the shared workflow, vary it only with a reason (the page
 * shows what each variation replaced), and publish its summary; an authority's editor sees and changes only its own.
 * Then the overview across the 22 authorities, its CSV/XLSX, one agreement's downloads and its annual assessment as a
 * Word document in English, Welsh or both (Welsh first).
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { cookiesFrom, csrfTokenFrom, signInAs, type TestApp } from "../support/test-app.ts";

const CARDIFF = "W06000015";
const SWANSEA = "W06000011";
const address = `/en/agreements/${CARDIFF}/2013-16`;

let t: TestApp;
let admin: string;
let analyst: string;
let cardiffEditor: string;
let swanseaEditor: string;
let measure: string;

async function post(url: string, cookie: string, fields: Record<string, string | string[]>) {
  const form = await t.app.inject({ url: url.replace(/\?.*$/, ""), headers: { cookie } });
  const body = new URLSearchParams({ _csrf: csrfTokenFrom(form.body) });
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie: cookiesFrom(form) || cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: body.toString(),
  });
}
const page = (url: string, cookie?: string) => t.app.inject({ url, headers: cookie ? { cookie } : {} });

beforeAll(async () => {
  t = await demoAppWithPlans();
  admin = (await signInAs(t, "national_admin")).cookie;
  analyst = (await signInAs(t, "national_analyst")).cookie;
  cardiffEditor = (await signInAs(t, "partnership_editor", "ed@cardiff.example")).cookie;
  swanseaEditor = (await signInAs(t, "partnership_editor", "ed@swansea.example", undefined, [SWANSEA])).cookie;
  measure = (await t.app.services.framework.current())!.measures.find(
    (m) => m.tier === "high_level" && m.status === "live" && m.geographies.includes("local_authority"),
  )!.code;
}, 300_000);
afterAll(async () => {
  await t.close();
});

describe("negotiating and agreeing an outcome agreement on the web", () => {
  it("creates a draft, naming a missing or wrong field in English and Welsh", async () => {
    expect((await page("/en/agreements/new", cardiffEditor)).statusCode).toBe(403);
    const form = await page("/cy/agreements/new", analyst);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Creu cytundeb canlyniadau");
    const missing = await post("/cy/agreements/new", analyst, { areaCode: CARDIFF, period: "", scheme: "2013-16" });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#period"');
    expect(missing.body).toContain("Rhowch y cyfnod, fel 2013-16");
    const wrong = await post("/en/agreements/new", analyst, {
      areaCode: CARDIFF,
      period: "2013-99",
      scheme: "2013-16",
      grant: "£1,000,000",
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("Enter the period as the first year");
    const made = await post("/en/agreements/new", analyst, {
      areaCode: CARDIFF,
      period: "2013-16",
      scheme: "2013-16",
      grant: "£1,000,000",
    });
    expect(made.statusCode, made.body).toBe(303);
    expect(made.headers.location).toBe(address);
    const again = await post("/en/agreements/new", analyst, {
      areaCode: CARDIFF,
      period: "2013-16",
      scheme: "2013-16",
      grant: "5",
    });
    expect(again.body).toContain("The authority already has an agreement for this period");
  });

  it("adds outcomes with measures, targets, local measures and the authority's plan priorities", async () => {
    const form = await page(`${address}/outcomes`, analyst);
    expect(form.body).toContain("Add outcome 1 of 5");
    const priority = /name="planLinks" type="checkbox" value="(priority:\d+)"/.exec(form.body)?.[1];
    expect(priority, "the Cardiff plan's priorities are offered").toBeDefined();
    const bad = await post(`${address}/outcomes`, analyst, {
      titleEn: "Better school attendance",
      measureCodes: measure,
      targets: `${measure}, 2015-16, many`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Targets line 1: write the measure code, the period and the value");
    const ok = await post(`${address}/outcomes`, analyst, {
      titleEn: "Better school attendance",
      titleCy: "Presenoldeb gwell yn yr ysgol",
      theme: "education",
      measureCodes: measure,
      targets: `${measure}, 2015-16, 85`,
      localMeasures: "Pupils attending 95% of sessions",
      planLinks: priority!,
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const d = await t.app.services.agreements.get(null, { areaCode: CARDIFF, period: "2013-16" }).catch(() => null);
    expect(d, "a draft is not public").toBeNull();
    for (let n = 2; n <= 5; n++)
      await post(`${address}/outcomes`, analyst, { titleEn: `Outcome ${n}`, measureCodes: measure });
    const shown = await page(address, analyst);
    expect(shown.body).toContain("Pupils attending 95% of sessions");
    expect(shown.body).toContain("In the authority&#39;s plan");
    expect(shown.body).not.toContain("Add an outcome");
  });

  it("puts it forward and records both sides through the shared workflow, then it is fixed", async () => {
    expect((await post(`${address}/agree`, analyst, { action: "submit" })).statusCode).toBe(303);
    expect((await post(`${address}/outcomes`, analyst, { titleEn: "Six" })).body).toContain("return it to change it");
    const missing = await post(`${address}/agree`, analyst, { action: "agree", government: "Minister" });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain("Enter who agreed for the authority");
    const badDate = await post(`/cy/agreements/${CARDIFF}/2013-16/agree`, analyst, {
      action: "agree",
      government: "Minister",
      governmentOn: "2013-13-01",
      authority: "Leader",
      authorityOn: "2013-04-02",
    });
    expect(badDate.body).toContain("Rhowch y dyddiad fel blwyddyn, mis a diwrnod");
    const agreed = await post(`${address}/agree`, analyst, {
      action: "agree",
      government: "Minister for Local Government",
      governmentOn: "2013-04-01",
      authority: "Leader of Cardiff Council",
      authorityOn: "2013-04-02",
    });
    expect(agreed.statusCode, agreed.body).toBe(303);
    const shown = await page(address, analyst);
    expect(shown.body).toContain(
      "by Minister for Local Government for the Welsh Government on 2013-04-01 and Leader of Cardiff Council for the authority on 2013-04-02",
    );
    const trail = await t.app.services.audit.trail("agreement", `${CARDIFF}/2013-16`);
    expect(trail.map((e) => e.action).slice(-2)).toEqual(["submit", "approve"]);
  });

  it("varies an agreed agreement only with a reason, and shows what each variation replaced", async () => {
    const noReason = await post(`${address}/vary`, analyst, { kind: "grant", grant: "1200000" });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain("Enter the reason");
    expect((await post(`${address}/vary`, cardiffEditor, { kind: "grant", grant: "1", reason: "r" })).statusCode).toBe(
      403,
    );
    const grant = await post(`${address}/vary`, analyst, {
      kind: "grant",
      grant: "1,200,000",
      reason: "The settlement was increased",
    });
    expect(grant.statusCode, grant.body).toBe(303);
    const form = await page(`${address}/vary?outcome=1`, analyst);
    expect(form.body).toContain("Better school attendance");
    expect(form.body).toContain(`${measure}, 2015-16, 85`);
    const outcome = await post(`${address}/vary`, analyst, {
      kind: "outcome",
      outcome: "1",
      titleEn: "Better school attendance and punctuality",
      theme: "education",
      measureCodes: measure,
      targets: `${measure}, 2015-16, 90`,
      reason: "The target was raised by agreement",
    });
    expect(outcome.statusCode, outcome.body).toBe(303);
    const shown = await page(address, analyst);
    expect(shown.body).toContain("2 variations of the agreed agreement");
    expect(shown.body).toContain("£1,000,000");
    expect(shown.body).toContain("The settlement was increased");
    expect(shown.body).toContain(`Targets: ${measure} 2015-16: 85`);
    expect(shown.body).toContain(`Targets: ${measure} 2015-16: 90`);
    const cy = await page(`/cy/agreements/${CARDIFF}/2013-16`, analyst);
    expect(cy.body).toContain("Yr hyn a ddisodlwyd");
  });

  it("shows the authority's editor only its own agreement, and the public only once the summary is published", async () => {
    expect((await page(address)).statusCode).toBe(404);
    expect((await page(address, swanseaEditor)).statusCode).toBe(404);
    const own = await page(address, cardiffEditor);
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain("Vary the grant");
    expect(own.body).toContain("Self-assess the outcomes");
    expect((await page(`${address}/assess`, swanseaEditor)).statusCode).toBe(403);
    expect((await post(`${address}/publish`, analyst, { published: "yes" })).statusCode).toBe(403);
    expect((await post(`${address}/publish`, admin, { published: "yes" })).statusCode).toBe(303);
    const open = await page(address);
    expect(open.statusCode).toBe(200);
    expect(open.body).not.toContain("Vary the grant");
    expect((await page(address, swanseaEditor)).statusCode).toBe(200);
    expect(
      (
        await post(`${address}/assess`, swanseaEditor, {
          year: "2013-14",
          outcome: "1",
          category: "fully",
          evidence: "x",
        })
      ).statusCode,
    ).toBe(403);
  });

  it("shows national roles all 22 authorities, and the public only published summaries, with downloads", async () => {
    const r = t.app.services.agreements;
    const me = {
      id: null,
      email: "wg@gov.wales",
      role: "national_admin" as const,
      areaCodes: [],
      channel: "cli" as const,
    };
    await r.create(me, { areaCode: SWANSEA, period: "2013-16", scheme: "2013-16", grant: 500_000 });
    const national = await page("/en/agreements?period=2013-16", analyst);
    expect(national.statusCode).toBe(200);
    expect(national.body).toContain("Outcome agreements 2013-16: 22 local authorities");
    expect(national.body).toContain("No agreement");
    expect(national.body).toContain("education (1); no theme (4)");
    const publicPage = await page("/en/agreements?period=2013-16");
    expect(publicPage.body).toContain("Outcome agreements 2013-16: 1 local authorities");
    expect(publicPage.body).not.toContain(`/en/agreements/${SWANSEA}/2013-16`);
    const cy = await page("/cy/agreements?period=2013-16", analyst);
    expect(cy.body).toContain("Canlyniadau yn ôl thema");

    const csv = await page("/en/agreements/download?period=2013-16&format=csv", analyst);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["cache-control"]).toBe("private, no-store");
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(23);
    expect(lines.find((l) => l.startsWith(CARDIFF))).toContain("1200000");
    const publicCsv = await page("/en/agreements/download?period=2013-16&format=csv");
    expect(publicCsv.body.trim().split(/\r?\n/)).toHaveLength(2);
    const xlsx = await page("/cy/agreements/download?period=2013-16&format=xlsx", analyst);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[1]!.rowCount).toBe(23);
    expect(String(book.worksheets[1]!.getRow(1).values)).toContain("Canlyniadau yn ôl thema");
  });

  it("downloads one agreement's assessments and its annual assessment as a Word document, Welsh first for both", async () => {
    const editor = {
      id: null,
      email: "ed",
      role: "partnership_editor" as const,
      areaCodes: [CARDIFF],
      channel: "cli" as const,
    };
    const ref = { areaCode: CARDIFF, period: "2013-16" };
    for (let n = 1; n <= 5; n++)
      await t.app.services.agreements.selfAssess(editor, ref, {
        outcome: n,
        year: "2013-14",
        category: n <= 3 ? "fully" : "partially",
        evidence: `Evidence ${n}`,
      });
    const csv = await page(`${address}/download?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain("Better school attendance and punctuality");
    expect(csv.body).toContain("Evidence 1");
    const docText = async (url: string) => {
      const r = await page(url);
      expect(r.statusCode, url).toBe(200);
      const zip = await JSZip.loadAsync(r.rawPayload);
      return (await zip.file("word/document.xml")!.async("string")).replace(/<[^>]+>/g, "");
    };
    const en = await docText(`${address}/assessment.docx?year=2013-14&language=en`);
    expect(en).toContain("Annual assessment 2013-14: Cardiff, outcome agreement 2013-16");
    expect(en).toContain("3 fully (6) + 2 partially (2) + 0 unsuccessful (0) = 8 of 10");
    const both = await docText(`${address}/assessment.docx?year=2013-14&language=both`);
    const welsh = both.indexOf("Asesiad blynyddol 2013-14: Caerdydd");
    expect(welsh).toBeGreaterThanOrEqual(0);
    expect(both.indexOf("Annual assessment 2013-14: Cardiff")).toBeGreaterThan(welsh);
    expect((await page(`${address}/assessment.docx?year=2020-21`)).statusCode).toBe(404);
    expect((await page(`/en/agreements/${SWANSEA}/2013-16/assessment.docx`)).statusCode).toBe(404);
  });

  it("lets national administrators save a new scheme version (validated), which agreements made before do not take", async () => {
    expect((await page("/en/agreements/schemes", analyst)).statusCode).toBe(403);
    const list = await page("/en/agreements/schemes", admin);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("The sources do not state the points for each category");
    const form = await page("/cy/agreements/schemes/2013-16", admin);
    expect(form.body).toContain("Golygu Cytundebau canlyniadau 2013–16 (fersiwn 1)");
    const fields = {
      code: "2013-16",
      nameEn: "Outcome agreements 2013–16",
      nameCy: "Cytundebau canlyniadau 2013–16",
      outcomes: "5",
      fully: "2",
      partially: "0",
      unsuccessful: "0",
      pointsStated: "no",
      successful: ["fully", "partially"],
      fullGrantScore: "",
      minimumSuccessful: "",
      collaborationRequired: "no",
      parts: "outcomes, 70, Part 1: outcomes, Rhan 1: canlyniadau\ncorporate_governance, 20, Part 2, Rhan 2",
      belowThreshold: "pro_rata",
      reason: "Partially successful earns nothing",
    };
    const bad = await post("/en/agreements/schemes/2013-16", admin, fields);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("the parts add up to 90%, not 100%");
    expect(bad.body).toContain('href="#parts"');
    const ok = await post("/en/agreements/schemes/2013-16", admin, {
      ...fields,
      parts: "outcomes, 70, Part 1: outcomes, Rhan 1: canlyniadau\ncorporate_governance, 30, Part 2, Rhan 2",
    });
    expect(ok.statusCode, ok.body).toBe(303);
    expect((await page("/en/agreements/schemes", admin)).body).toContain("Partially successful earns nothing");
    const [v2] = await t.app.services.agreements.schemes.versions("2013-16");
    expect([v2!.version, v2!.definition.points.partially]).toEqual([2, 0]);
    expect((await page(address)).body).toContain("Outcome agreements 2013–16 (version 1)");
  });

  it("judges the separate part, and the grant payable uses it; moderation then changes the result", async () => {
    const form = await page(`${address}/judge?year=2013-14`, analyst);
    expect(form.body).toContain("Part 2: corporate governance (30%)");
    const bad = await post(`${address}/judge`, analyst, {
      year: "2013-14",
      part: "corporate_governance",
      percent: "150",
      reason: "r",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Enter the per cent awarded, from 0 to 100");
    const ok = await post(`${address}/judge`, analyst, {
      year: "2013-14",
      part: "corporate_governance",
      percent: "50",
      reason: "Proposals for improvement in the Auditor General's report",
    });
    expect(ok.statusCode, ok.body).toBe(303);
    // 8 of 10 of 70% of £1,200,000 = £672,000, and 50% of the 30% = £180,000
    expect((await page(address)).body).toContain("Grant payable: £852,000 of £1,200,000.");
    await post(`${address}/moderate`, analyst, {
      year: "2013-14",
      outcome: "1",
      category: "partially",
      reason: "The attendance target was missed",
    });
    const after = (await page(address)).body;
    expect(after).toContain("Grant payable: £768,000 of £1,200,000.");
    expect(after).toContain("On the authority&#39;s own assessments, before moderation:");
  });
});
