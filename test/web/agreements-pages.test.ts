/**
 * The outcome agreement pages and forms: the public reads an agreed agreement and not a draft; the authority's
 * partnership editor self-assesses (only their own authority, with errors named on the form); a national role
 * moderates with a reason, and both assessments stay on the page; in English and Welsh.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgreementActor } from "../../src/services/agreements/index.ts";
import { cookiesFrom, csrfTokenFrom, seededApp, signInAs, type TestApp } from "../support/test-app.ts";

const CARDIFF = "W06000015";
const SWANSEA = "W06000011";
const national: AgreementActor = {
  id: null,
  email: "wg@gov.wales",
  role: "national_admin",
  areaCodes: [],
  channel: "cli",
};
const address = `/en/agreements/${CARDIFF}/2010-13`;

let t: TestApp;
let editor: string;
let analyst: string;

async function post(url: string, cookie: string, fields: Record<string, string>) {
  const form = await t.app.inject({ url: url.replace(/\?.*$/, ""), headers: { cookie } });
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie: cookiesFrom(form) || cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: csrfTokenFrom(form.body), ...fields }).toString(),
  });
}

beforeAll(async () => {
  t = await seededApp();
  const agreements = t.app.services.agreements;
  const measure = (await t.app.services.framework.current())!.measures.find((m) => m.tier === "high_level")!.code;
  await agreements.create(national, { areaCode: CARDIFF, period: "2010-13", scheme: "2010-13", grant: 1_254_000 });
  for (let n = 1; n <= 10; n++)
    await agreements.addOutcome(
      national,
      { areaCode: CARDIFF, period: "2010-13" },
      {
        title: { en: `Outcome ${n}`, cy: `Canlyniad ${n}` },
        measureCodes: [measure],
        targets: [{ measureCode: measure, period: "2012-13", value: 50 }],
      },
    );
  await agreements.agree(national, { areaCode: CARDIFF, period: "2010-13" }, { authority: "Leader" });
  await agreements.publishSummary(national, { areaCode: CARDIFF, period: "2010-13" }, true);
  await agreements.create(national, { areaCode: SWANSEA, period: "2010-13", scheme: "2010-13", grant: 1 });
  editor = (await signInAs(t, "partnership_editor")).cookie;
  analyst = (await signInAs(t, "national_analyst")).cookie;
}, 300_000);
afterAll(async () => {
  await t.close();
});

describe("outcome agreement pages", () => {
  it("shows an agreed agreement to the public, in English and Welsh, and hides a draft", async () => {
    const en = await t.app.inject({ url: address });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain("Outcome agreement:");
    expect(en.body).toContain("0 of 10 outcomes assessed");
    expect(en.body).toContain("The sources do not state the points for each category");
    expect(en.body).not.toContain("Self-assess the outcomes");
    const cy = await t.app.inject({ url: `/cy/agreements/${CARDIFF}/2010-13` });
    expect(cy.body).toContain("Cytundeb canlyniadau:");
    expect(cy.body).toContain("0 o 10 canlyniad wedi&#39;u hasesu");
    expect((await t.app.inject({ url: `/en/agreements/${SWANSEA}/2010-13` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: "/en/agreements" })).body).not.toContain(SWANSEA);
  });

  it("sends the public to sign in, and refuses moderation to a partnership editor", async () => {
    const anon = await t.app.inject({ url: `${address}/assess` });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe("/en/sign-in");
    expect((await t.app.inject({ url: `${address}/moderate`, headers: { cookie: editor } })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ url: `/en/agreements/${SWANSEA}/2010-13/assess`, headers: { cookie: analyst } }))
        .statusCode,
    ).toBe(403);
  });

  it("lets the authority's editor self-assess, naming a missing field on the form", async () => {
    const page = await t.app.inject({ url: address, headers: { cookie: editor } });
    expect(page.body).toContain("Self-assess the outcomes");
    const missing = await post(`${address}/assess`, editor, {
      year: "2010-11",
      outcome: "1",
      category: "fully",
      evidence: " ",
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain("Enter the evidence for the assessment");
    expect(missing.body).toContain('href="#evidence-1"');
    for (let n = 1; n <= 10; n++) {
      const r = await post(`${address}/assess`, editor, {
        year: "2010-11",
        outcome: String(n),
        category: n <= 6 ? "fully" : n <= 9 ? "partially" : "unsuccessful",
        evidence: `Evidence ${n}`,
        collaboration: n === 1 ? "Joint service with the Vale" : "",
      });
      expect(r.statusCode, r.body.slice(0, 300)).toBe(303);
    }
    const after = await t.app.inject({ url: address });
    expect(after.body).toContain(
      "6 fully (18) + 3 partially (6) + 1 unsuccessful (1) = 25 of 30; 9 of 10 successful; collaboration evidenced: full grant £1,254,000",
    );
    const cy = await t.app.inject({ url: `/cy/agreements/${CARDIFF}/2010-13/assess`, headers: { cookie: editor } });
    expect(cy.body).toContain("Hunanasesiad 2010-11");
    expect(cy.body).toContain("Llwyddiannus yn rhannol");
  });

  it("lets a national role moderate with a reason; both assessments and the result before moderation stay shown", async () => {
    const noReason = await post(`${address}/moderate`, analyst, {
      year: "2010-11",
      outcome: "7",
      category: "unsuccessful",
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain("Enter the reason for the moderation");
    const r = await post(`${address}/moderate`, analyst, {
      year: "2010-11",
      outcome: "7",
      category: "unsuccessful",
      reason: "No evidence the target was met",
    });
    expect(r.statusCode).toBe(303);
    const page = await t.app.inject({ url: address });
    expect(page.body).toContain("No evidence the target was met");
    expect(page.body).toContain("On the authority&#39;s own assessments, before moderation:");
    expect(page.body).toContain("24 of 30 points");
    expect(page.body).toContain(
      "Pro rata: 24 points is below the 25 needed for the full grant; 8 successful outcomes is fewer than the 9 needed; so 24 ÷ 30 × £1,254,000 = £1,003,200 is payable.",
    );
  });
});
