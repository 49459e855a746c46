/**
 * Editing partnership plans (issue 13) through the web forms, with app.inject: every form's happy path and its govuk
 * error summary with the inline error in English and Welsh; a stale plan row version refused with nothing written; a
 * stale narrative save shown as a merge view with both texts; 403 for another partnership's editor and for viewers on
 * every edit route (GET and POST), sign-in for the public; a forged CSRF token refused; a draft never public.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import { demoApp } from "../support/demo-app.ts";
import { registeredRoutes } from "../support/route-table.ts";
import { csrfTokenFrom, signInAs, type TestApp } from "../support/test-app.ts";

const CARDIFF = "W06000015";
const PERIOD = demoPlanPeriod();
const PLAN = `/plans/${CARDIFF}/${PERIOD}`;
const SCRIPT = "<script>alert('stored')</script>";

let t: TestApp;
let editor: string;
let other: string;
let viewer: string;
let measure: string;
let additional: string;

const get = (url: string, cookie?: string) => t.app.inject({ url, ...(cookie ? { headers: { cookie } } : {}) });

/** Posts a form as a signed-in user, with the session's CSRF token (from `tokenPage`, default /en/plans). */
async function post(url: string, cookie: string, fields: Record<string, string | string[]>, tokenPage = "/en/plans") {
  const token = csrfTokenFrom((await get(tokenPage, cookie)).body);
  const body = new URLSearchParams({ _csrf: token });
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: body.toString(),
  });
}

/** Posts the programme's CSV import form (multipart) as the Cardiff editor, with the plan's current row version. */
async function postFile(url: string, csv: string) {
  const token = csrfTokenFrom((await get("/en/plans", editor)).body);
  const boundary = "----omf-test-boundary";
  const part = (name: string, value: string, file?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: text/csv` : ""}\r\n\r\n${value}\r\n`;
  const payload = `${part("_csrf", token)}${part("rowVersion", await rowVersion())}${part("file", csv, "values.csv")}--${boundary}--\r\n`;
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie: editor, "content-type": `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

async function rowVersion(): Promise<string> {
  const admin = {
    id: null,
    email: "t@example.org",
    role: "national_admin" as const,
    areaCodes: [],
    channel: "cli" as const,
  };
  return String((await t.app.services.plans.get(admin, { areaCode: CARDIFF, period: PERIOD })).plan.rowVersion);
}

async function detail() {
  const admin = {
    id: null,
    email: "t@example.org",
    role: "national_admin" as const,
    areaCodes: [],
    channel: "cli" as const,
  };
  return t.app.services.plans.get(admin, { areaCode: CARDIFF, period: PERIOD });
}

/** The page shows a govuk error summary linking to `id`, and the inline error on that field, with `text`. */
function expectError(body: string, id: string, text: string, lang: "en" | "cy") {
  expect(body).toContain(lang === "en" ? "There is a problem" : "Mae problem wedi codi");
  expect(body).toContain(`href="#${id}"`);
  expect(body).toContain(`id="${id}-error"`);
  expect(body).toContain(text);
}

/** The page shows a govuk error summary linking to the page's content (a refusal not about one field), with `text`. */
function expectPageError(body: string, text: string, lang: "en" | "cy") {
  expect(body).toContain(lang === "en" ? "There is a problem" : "Mae problem wedi codi");
  expect(body).toContain(`href="#main-content"`);
  expect(body).toContain(text);
}

beforeAll(async () => {
  t = await demoApp();
  editor = (await signInAs(t, "partnership_editor")).cookie; // Cardiff
  other = (await signInAs(t, "partnership_editor", "swansea@example.org", undefined, ["W06000011"])).cookie;
  viewer = (await signInAs(t, "viewer")).cookie;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe("creating a plan", () => {
  it("refuses a bad period with an error summary in English and Welsh, and writes nothing", async () => {
    const en = await post("/en/plans/new", editor, { areaCode: CARDIFF, period: "next year" });
    expect(en.statusCode).toBe(400);
    expectError(en.body, "create-period", "Enter a plan period of whole years", "en");
    expect(en.body).toContain("Error:");
    const cy = await post("/cy/plans/new", editor, { areaCode: "", period: PERIOD });
    expect(cy.statusCode).toBe(400);
    expectError(cy.body, "create-areaCode", "Dewiswch bartneriaeth", "cy");
    expect((await t.app.services.plans.list(null)).length).toBe(0);
  });

  it("creates a draft plan for the editor's partnership, visible to its editors and not to the public", async () => {
    const form = await get("/en/plans/new", editor);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${CARDIFF}"`);
    expect(form.body).not.toContain('value="W06000011"');
    const r = await post("/en/plans/new", editor, { areaCode: CARDIFF, period: PERIOD });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/en${PLAN}/edit`);
    const page = await get(`/en${PLAN}/edit`, editor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Draft");
    expect((await get(`/en${PLAN}`, editor)).statusCode).toBe(200); // the preview
    expect((await get(`/en${PLAN}`)).statusCode).toBe(404);
    expect((await get(`/cy${PLAN}`)).statusCode).toBe(404);
    const again = await post("/en/plans/new", editor, { areaCode: CARDIFF, period: PERIOD });
    expect(again.statusCode).toBe(409);
    expectError(again.body, "create-period", "already has a plan", "en");
    // another partnership's editor cannot create a plan for Cardiff
    expect((await post("/en/plans/new", other, { areaCode: CARDIFF, period: "2030-2031" })).statusCode).toBe(403);
    const d = await detail();
    measure = d.measures.find((m) => m.kind === "high_level")!.measureCode;
  });
});

describe("priorities and measures", () => {
  it("adds a priority, and refuses one without text or core aim in English and Welsh", async () => {
    const en = await post(`/en${PLAN}/edit/priorities`, editor, { rowVersion: await rowVersion(), "text-en": "" });
    expect(en.statusCode).toBe(400);
    expectError(en.body, "priority-text-en", "Enter the priority in English or Welsh", "en");
    const cy = await post(`/cy${PLAN}/edit/priorities`, editor, {
      rowVersion: await rowVersion(),
      "text-en": "Healthy start",
    });
    expect(cy.statusCode).toBe(400);
    expectError(cy.body, "priority-coreAims", "Dewiswch o leiaf un nod craidd", "cy");
    expect(cy.body).toContain(">Healthy start</textarea>"); // what was typed is kept
    const ok = await post(`/en${PLAN}/edit/priorities`, editor, {
      rowVersion: await rowVersion(),
      "text-en": "Give every baby a healthy start",
      "text-cy": "Rhoi dechrau iach i bob babi",
      "rationale-en": "The baseline has not improved",
      coreAims: ["CA1", "CA3"],
    });
    expect(ok.statusCode).toBe(303);
    const d = await detail();
    expect(d.priorities).toHaveLength(1);
    expect(d.priorities[0]!.coreAims).toEqual(["CA1", "CA3"]);
  });

  it("changes a priority on its own page", async () => {
    const id = (await detail()).priorities[0]!.id;
    const page = await get(`/cy${PLAN}/edit/priorities/${id}`, editor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Rhoi dechrau iach i bob babi");
    const bad = await post(`/cy${PLAN}/edit/priorities/${id}`, editor, {
      rowVersion: await rowVersion(),
      "text-en": "",
      "text-cy": "",
      coreAims: "CA1",
    });
    expectError(bad.body, "priority-text-en", "Nodwch y flaenoriaeth", "cy");
    const r = await post(`/en${PLAN}/edit/priorities/${id}`, editor, {
      rowVersion: await rowVersion(),
      "text-en": "Give every baby a healthy start in life",
      "text-cy": "Rhoi dechrau iach i bob babi",
      coreAims: "CA1",
    });
    expect(r.statusCode).toBe(303);
    expect((await detail()).priorities[0]!.text.en).toBe("Give every baby a healthy start in life");
  });

  it("chooses an additional measure for a priority with a reason, refusing one without a reason", async () => {
    const choices = await t.app.services.plans.additionalChoices(
      { id: null, email: "x@example.org", role: "national_admin", areaCodes: [], channel: "cli" },
      { areaCode: CARDIFF, period: PERIOD },
    );
    additional = choices[0]!.code;
    const priorityId = String((await detail()).priorities[0]!.id);
    const page = await get(`/en${PLAN}/edit`, editor);
    expect(page.body).toContain(`<option value="${additional}"`);
    expect(page.body).toContain("<optgroup");
    for (const lang of ["en", "cy"] as const) {
      const r = await post(`/${lang}${PLAN}/edit/measures`, editor, {
        rowVersion: await rowVersion(),
        measureCode: additional,
        priorityId,
      });
      expect(r.statusCode).toBe(400);
      expectError(
        r.body,
        "choose-reason-en",
        lang === "en" ? "Enter why this measure was chosen" : "Nodwch pam y dewiswyd y mesur hwn",
        lang,
      );
    }
    const ok = await post(`/en${PLAN}/edit/measures`, editor, {
      rowVersion: await rowVersion(),
      measureCode: additional,
      priorityId,
      "reason-en": "It shows early whether support in pregnancy works",
    });
    expect(ok.statusCode).toBe(303);
    const chosen = (await detail()).measures.find((m) => m.measureCode === additional)!;
    expect(chosen.kind).toBe("additional");
    expect(chosen.reason?.en).toBe("It shows early whether support in pregnancy works");
  });

  it("defines a local measure, marked local on the edit and public pages", async () => {
    const priorityId = String((await detail()).priorities[0]!.id);
    const form = await get(`/cy${PLAN}/edit/local-measure`, editor);
    expect(form.statusCode).toBe(200);
    const fields = {
      shortCode: "visits",
      "title-en": "Families visited at home",
      "title-cy": "Teuluoedd yr ymwelwyd â hwy gartref",
      "definition-en": "Families with a new baby visited at home within a month",
      unit: "percentage",
      polarity: "higher_is_better",
      valueType: "proportion",
      periodType: "financial_year",
      decimals: "1",
      coreAim: "CA1",
      priorityId,
      "reason-en": "Our own measure of early support",
    };
    const cy = await post(`/cy${PLAN}/edit/local-measure`, editor, {
      ...fields,
      rowVersion: await rowVersion(),
      unit: "",
    });
    expect(cy.statusCode).toBe(400);
    expectError(cy.body, "local-unit", "Dewiswch yr uned", "cy");
    const en = await post(`/en${PLAN}/edit/local-measure`, editor, {
      ...fields,
      rowVersion: await rowVersion(),
      "definition-en": "",
    });
    expectError(en.body, "local-definition-en", "Enter the definition in English or Welsh", "en");
    const ok = await post(`/en${PLAN}/edit/local-measure`, editor, { ...fields, rowVersion: await rowVersion() });
    expect(ok.statusCode).toBe(303);
    const code = `LOCAL-${CARDIFF}-VISITS`;
    expect(ok.headers.location).toBe(`/en${PLAN}/measures/${code}/edit`);
    const edit = await get(ok.headers.location as string, editor);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain("Local measure");
    const plan = await get(`/cy${PLAN}/edit`, editor);
    expect(plan.body).toContain("Mesur lleol");
    expect((await detail()).measures.find((m) => m.measureCode === code)?.kind).toBe("local");
    const list = (await get(`/en/measures?q=${encodeURIComponent("Families visited at home")}`, editor)).body;
    expect(list).toContain(`/en/measures/${code}`);
    expect(list).toContain("Local measure");
    const page = await get(`/cy/measures/${code}`, editor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Mesur lleol");
    const api = await get(`/api/v1/measures/${code}`);
    expect(api.statusCode).toBe(200);
    expect(JSON.parse(api.body).data.localArea).toBe(CARDIFF);
  });
});

describe("changing and removing", () => {
  it("changes a chosen measure's priority and reason, then removes it; high-level measures stay", async () => {
    expect(
      (
        await post(`/en${PLAN}/edit/priorities`, editor, {
          rowVersion: await rowVersion(),
          "text-en": "Safe homes",
          coreAims: "CA6",
        })
      ).statusCode,
    ).toBe(303);
    const second = (await detail()).priorities.find((p) => p.text.en === "Safe homes")!.id;
    const edit = `${PLAN}/measures/${additional}/edit`;
    const page = await get(`/cy${edit}`, editor);
    expect(page.body).toContain("Pam mae&#39;r mesur hwn yn y cynllun");
    expect(page.body).toContain(">It shows early whether support in pregnancy works</textarea>"); // the reason now
    expect(page.body).toContain(`${edit}/remove"`);
    for (const lang of ["en", "cy"] as const) {
      const r = await post(`/${lang}${edit}/selection`, editor, {
        rowVersion: await rowVersion(),
        priorityId: String(second),
        "reason-en": "",
      });
      expect(r.statusCode).toBe(400);
      expectError(
        r.body,
        "selection-reason-en",
        lang === "en" ? "Enter why this measure was chosen" : "Nodwch pam y dewiswyd y mesur hwn",
        lang,
      );
    }
    const ok = await post(`/en${edit}/selection`, editor, {
      rowVersion: await rowVersion(),
      priorityId: String(second),
      "reason-en": "Home visits are where it starts",
      "reason-cy": "Mae'n dechrau gydag ymweliadau cartref",
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/en${edit}#selection`);
    expect((await detail()).measures.find((m) => m.measureCode === additional)).toMatchObject({
      priorityId: second,
      reason: { en: "Home visits are where it starts", cy: "Mae'n dechrau gydag ymweliadau cartref" },
    });
    // a high-level measure cannot be removed: no button, and a forced post is refused with nothing written
    const highLevel = await get(`/en${PLAN}/measures/${measure}/edit`, editor);
    expect(highLevel.body).not.toContain(`measures/${measure}/edit/remove"`);
    expect(highLevel.body).toContain("Every plan reports on the high-level measures");
    const refused = await post(`/en${PLAN}/measures/${measure}/edit/remove`, editor, {
      rowVersion: await rowVersion(),
    });
    expect(refused.statusCode).toBe(409);
    expectPageError(refused.body, "High-level measures cannot be removed", "en");
    expect((await detail()).measures.some((m) => m.measureCode === measure)).toBe(true);
    // the additional measure is removed
    const removed = await post(`/en${edit}/remove`, editor, { rowVersion: await rowVersion() });
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe(`/en${PLAN}/edit#measures`);
    expect((await detail()).measures.some((m) => m.measureCode === additional)).toBe(false);
    expect((await get(`/en${edit}`, editor)).statusCode).toBe(404);
  });

  it("removes a priority nothing serves, and refuses one that measures serve in English and Welsh", async () => {
    const d = await detail();
    const first = d.priorities[0]!;
    const local = d.measures.find((m) => m.kind === "local")!;
    expect(local.priorityId).toBe(first.id);
    for (const lang of ["en", "cy"] as const) {
      const r = await post(`/${lang}${PLAN}/edit/priorities/${first.id}/remove`, editor, {
        rowVersion: await rowVersion(),
      });
      expect(r.statusCode).toBe(409);
      expectPageError(r.body, lang === "en" ? "These serve this priority" : "yn gwasanaethu", lang);
      expect(r.body).toContain(local.measureCode);
      expect(r.body).toContain(first.text.en); // the priority's own form is still filled in
    }
    const safe = d.priorities.find((p) => p.text.en === "Safe homes")!;
    const ok = await post(`/cy${PLAN}/edit/priorities/${safe.id}/remove`, editor, { rowVersion: await rowVersion() });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/cy${PLAN}/edit#priorities`);
    expect((await detail()).priorities.map((p) => p.id)).toEqual([first.id]);
  });
});

describe("a measure's targets, narratives and actions", () => {
  const edit = () => `${PLAN}/measures/${measure}/edit`;

  it("sets targets per plan period with a stretch target, refusing a stretch that is not better", async () => {
    const page = await get(`/en${edit()}`, editor);
    expect(page.statusCode).toBe(200);
    const periods = [...page.body.matchAll(/name="target-([^"]+)"/g)].map((m) => m[1]!);
    expect(periods.length).toBeGreaterThan(0);
    const m = (await detail()).measures.find((x) => x.measureCode === measure)!.measure!;
    const [worse, better] = m.polarity === "lower_is_better" ? [60, 40] : [40, 60];
    for (const lang of ["en", "cy"] as const) {
      const r = await post(`/${lang}${edit()}/targets`, editor, {
        rowVersion: await rowVersion(),
        [`target-${periods[0]}`]: "50",
        [`stretch-${periods[0]}`]: String(worse),
      });
      expect(r.statusCode).toBe(400);
      expectError(
        r.body,
        `targets-stretch-${periods[0]}`,
        lang === "en" ? "must be better than its target" : "fod yn well na",
        lang,
      );
    }
    const nan = await post(`/en${edit()}/targets`, editor, {
      rowVersion: await rowVersion(),
      [`target-${periods[0]}`]: "fifty",
    });
    expectError(nan.body, `targets-target-${periods[0]}`, "must be a number", "en");
    const ok = await post(`/en${edit()}/targets`, editor, {
      rowVersion: await rowVersion(),
      [`target-${periods[0]}`]: "50",
      [`stretch-${periods[0]}`]: String(better),
    });
    expect(ok.statusCode).toBe(303);
    const targets = (await detail()).measures.find((x) => x.measureCode === measure)!.targets;
    expect(targets).toEqual([expect.objectContaining({ period: periods[0], value: 50, stretch: better })]);
  });

  it("writes the story behind the baseline with its causes; a stale save shows both versions to merge", async () => {
    const bad = await post(`/cy${edit()}/narratives/story`, editor, {
      baseVersion: "0",
      body: "Story",
      "items-0-text": "Fewer families took up support",
      "items-0-kind": "",
    });
    expect(bad.statusCode).toBe(400);
    expectError(bad.body, "story-items-0-kind", "Rhes 1: dewiswch y math", "cy");
    const first = await post(`/en${edit()}/narratives/story`, editor, {
      baseVersion: "0",
      body: "Fewer families took up early support.",
      "items-0-text": "Reorganised services",
      "items-0-kind": "restricting",
      "items-1-text": "",
      "items-1-kind": "",
    });
    expect(first.statusCode).toBe(303);
    // a second editor (a national administrator) saves over version 1 meanwhile
    const admin = (await signInAs(t, "national_admin", "admin-story@example.org")).cookie;
    expect(
      (
        await post(`/en${edit()}/narratives/story`, admin, {
          baseVersion: "1",
          body: "Fewer families took up early support after the services were reorganised.",
        })
      ).statusCode,
    ).toBe(303);
    // the first editor saves again from version 1: refused, nothing written, both texts shown with differences
    for (const lang of ["en", "cy"] as const) {
      const stale = await post(`/${lang}${edit()}/narratives/story`, editor, {
        baseVersion: "1",
        body: "Fewer families took up early support; demand rose.",
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain(
        lang === "en" ? "Someone else saved this section" : "Cadwodd rhywun arall yr adran hon",
      );
      expect(stale.body).toContain("Fewer families took up early support after the services were reorganised.");
      expect(stale.body).toContain("Fewer families took up early support; demand rose.");
      expect(stale.body).toMatch(/<ins class="omf-diff-added">/);
      expect(stale.body).toContain('name="baseVersion" value="2"');
      expectError(stale.body, "story-body", lang === "en" ? "nothing was saved" : "ni chadwyd dim", lang);
    }
    const versions = await t.app.services.plans
      .narrativeHistory(
        null as never,
        { areaCode: CARDIFF, period: PERIOD },
        { subjectKind: "measure", subjectCode: measure, section: "story" },
      )
      .catch(() => null);
    expect(versions).toBeNull(); // the public cannot read a draft's narratives
    const d = await detail();
    const story = d.narratives.find((n) => n.subjectCode === measure && n.section === "story")!;
    expect(story.version).toBe(2);
    // merged by hand and saved over version 2
    const merged = await post(`/en${edit()}/narratives/story`, editor, {
      baseVersion: "2",
      body: "Fewer families took up early support after the services were reorganised; demand rose.",
      "items-0-text": "Reorganised services",
      "items-0-kind": "restricting",
    });
    expect(merged.statusCode).toBe(303);
  });

  it("restores an earlier version of the story as a new version, refusing a restore over a newer save", async () => {
    const history = () =>
      t.app.services.plans.narrativeHistory(
        { id: null, email: "t@example.org", role: "national_admin", areaCodes: [], channel: "cli" },
        { areaCode: CARDIFF, period: PERIOD },
        { subjectKind: "measure", subjectCode: measure, section: "story" },
      );
    const before = await history();
    expect(before.map((v) => v.version)).toEqual([3, 2, 1]);
    const page = await get(`/cy${edit()}`, editor);
    expect(page.body).toContain("Adfer fersiwn 1");
    expect(page.body).toContain("Adfer fersiwn 2");
    expect(page.body).not.toContain("Adfer fersiwn 3"); // the current version is not offered
    // restoring from a page opened before version 3 was saved: refused, nothing written
    for (const lang of ["en", "cy"] as const) {
      const stale = await post(`/${lang}${edit()}/narratives/story/restore`, editor, {
        baseVersion: "2",
        version: "1",
      });
      expect(stale.statusCode).toBe(409);
      expectError(stale.body, "story-body", lang === "en" ? "nothing was restored" : "ni adferwyd dim", lang);
    }
    expect((await history()).map((v) => v.version)).toEqual([3, 2, 1]);
    expect(
      (await post(`/en${edit()}/narratives/story/restore`, editor, { baseVersion: "3", version: "99" })).statusCode,
    ).toBe(404);
    const ok = await post(`/en${edit()}/narratives/story/restore`, editor, { baseVersion: "3", version: "1" });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/en${edit()}#story`);
    const after = await history();
    expect(after.map((v) => v.version)).toEqual([4, 3, 2, 1]);
    expect(after[0]).toMatchObject({ body: before[2]!.body, items: before[2]!.items, restoredFrom: 1 });
    expect(after.slice(1)).toEqual(before); // nothing earlier was changed
    const shown = await get(`/en${edit()}`, editor);
    expect(shown.body).toContain("(restored from version 1)");
    expect(shown.body).toContain("Fewer families took up early support.");
  });

  it("shows a stored script typed into every narrative field as text", async () => {
    const page = await get(`/en${edit()}`, editor);
    const version = (section: string) =>
      new RegExp(
        `narratives/${section}" [^>]*>\\s*<input type="hidden" name="_csrf" value="[^"]+">\\s*<input type="hidden" name="baseVersion" value="(\\d+)"`,
      ).exec(page.body)?.[1] ?? "0";
    const items: Record<string, Record<string, string>> = {
      story: { "items-0-text": SCRIPT, "items-0-kind": "contributing" },
      partners: { "items-0-name": SCRIPT, "items-0-organisationType": SCRIPT, "items-0-role": SCRIPT },
      what_works: { "items-0-text": SCRIPT, "items-0-kind": "evidence", "items-0-source": SCRIPT },
      data_development: {},
    };
    for (const section of ["story", "partners", "what_works", "data_development"]) {
      const r = await post(`/en${edit()}/narratives/${section}`, editor, {
        baseVersion: version(section),
        body: `Text ${SCRIPT}`,
        ...items[section],
      });
      expect(r.statusCode, section).toBe(303);
    }
    for (const url of [`/en${edit()}`, `/en${PLAN}/measures/${measure}`]) {
      const body = (await get(url, editor)).body;
      expect(body).not.toContain(SCRIPT);
      expect(body).toContain("&lt;script&gt;");
    }
  });

  it("adds an action and a dated progress update, refusing a bad date in English and Welsh", async () => {
    const fields = {
      "title-en": "Offer every family a visit in the first month",
      owner: "Health visiting",
      startDate: "2025-04-01",
      dueDate: "2025-03-31",
      status: "on_track",
    };
    const en = await post(`/en${edit()}/actions`, editor, { ...fields, rowVersion: await rowVersion() });
    expect(en.statusCode).toBe(400);
    expectError(en.body, "action-dueDate", "The due date must be the same as or after the start date", "en");
    const cy = await post(`/cy${edit()}/actions`, editor, {
      ...fields,
      dueDate: "2026-02-30",
      rowVersion: await rowVersion(),
    });
    expectError(cy.body, "action-dueDate", "Nodwch ddyddiad go iawn", "cy");
    const ok = await post(`/en${edit()}/actions`, editor, {
      ...fields,
      dueDate: "2027-03-31",
      rowVersion: await rowVersion(),
    });
    expect(ok.statusCode).toBe(303);
    const action = (await detail()).actions[0]!;
    const bad = await post(`/cy${edit()}/actions/${action.id}/updates`, editor, {
      rowVersion: await rowVersion(),
      date: "2025-10-01",
      status: "on_track",
    });
    expectError(bad.body, `update-${action.id}-text-en`, "Dywedwch pa gynnydd a wnaed", "cy");
    const update = await post(`/en${edit()}/actions/${action.id}/updates`, editor, {
      rowVersion: await rowVersion(),
      date: "2025-10-01",
      "text-en": "Visits now reach four in five families",
      status: "at_risk",
    });
    expect(update.statusCode).toBe(303);
    const after = (await detail()).actions[0]!;
    expect(after.status).toBe("at_risk");
    expect(after.updates.map((u) => u.text.en)).toEqual(["Visits now reach four in five families"]);
  });

  it("changes an action's owner and dates, keeping its status and what it replaced", async () => {
    const action = (await detail()).actions[0]!;
    const page = await get(`/en${edit()}`, editor);
    expect(page.body).toContain(`action="/en${edit()}/actions/${action.id}"`);
    expect(page.body).toContain('value="Health visiting"');
    const fields = {
      "title-en": action.title.en,
      "title-cy": "Cynnig ymweliad i bob teulu",
      owner: "Health visiting team",
      startDate: "2025-04-01",
      dueDate: "2025-03-01",
    };
    const bad = await post(`/cy${edit()}/actions/${action.id}`, editor, { ...fields, rowVersion: await rowVersion() });
    expect(bad.statusCode).toBe(400);
    expectError(bad.body, `action-${action.id}-dueDate`, "Rhaid i&#39;r dyddiad cau", "cy");
    expect(bad.body).toContain('value="Health visiting team"'); // what was typed is kept
    const ok = await post(`/en${edit()}/actions/${action.id}`, editor, {
      ...fields,
      dueDate: "2027-06-30",
      rowVersion: await rowVersion(),
    });
    expect(ok.statusCode).toBe(303);
    const after = (await detail()).actions.find((a) => a.id === action.id)!;
    expect(after).toMatchObject({
      owner: "Health visiting team",
      dueDate: "2027-06-30",
      status: action.status,
      title: { en: action.title.en, cy: "Cynnig ymweliad i bob teulu" },
    });
    expect(after.updates).toEqual(action.updates);
    const history = (await get(`/en${PLAN}/edit/history`, editor)).body;
    expect(history).toContain("Action changed");
    expect(history).toContain("Owner: was “Health visiting”, now “Health visiting team”");
    expect(history).toContain("Due: was “2027-03-31”, now “2027-06-30”");
    expect(history).toContain("Title (Welsh): “Cynnig ymweliad i bob teulu”");
  });

  it("refuses a save from a stale row version, writing nothing", async () => {
    const stale = String(Number(await rowVersion()) - 1);
    const before = await detail();
    for (const lang of ["en", "cy"] as const) {
      const r = await post(`/${lang}${PLAN}/edit/priorities`, editor, {
        rowVersion: stale,
        "text-en": "A second priority",
        coreAims: "CA2",
      });
      expect(r.statusCode).toBe(409);
      expect(r.body).toContain(
        lang === "en" ? "Someone else changed this plan" : "Newidiodd rhywun arall y cynllun hwn",
      );
      expect(r.body).toContain(">A second priority</textarea>");
      expect(r.body).toContain(`name="rowVersion" value="${await rowVersion()}"`);
      const a = await post(`/${lang}${edit()}/actions`, editor, {
        rowVersion: stale,
        "title-en": "Another action",
        status: "not_started",
      });
      expect(a.statusCode).toBe(409);
    }
    const after = await detail();
    expect(after.priorities).toHaveLength(before.priorities.length);
    expect(after.actions).toHaveLength(before.actions.length);
    expect(after.plan.rowVersion).toBe(before.plan.rowVersion);
  });
});

describe("programmes and performance measures", () => {
  const prog = `${PLAN}/programmes/flying-start/edit`;

  it("adds a programme, a performance measure and values; a changed value needs a reason and is a revision", async () => {
    const bad = await post(`/cy${PLAN}/edit/programmes`, editor, {
      rowVersion: await rowVersion(),
      code: "Flying Start!",
      "name-en": "Flying Start",
    });
    expectError(bad.body, "programme-code", "Nodwch god o hyd at 40", "cy");
    const ok = await post(`/en${PLAN}/edit/programmes`, editor, {
      rowVersion: await rowVersion(),
      code: "flying-start",
      "name-en": "Flying Start",
      "name-cy": "Dechrau'n Deg",
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/en${prog}`);
    const noQuadrant = await post(`/en${prog}/measures`, editor, {
      rowVersion: await rowVersion(),
      code: "children-reached",
      "title-en": "Children reached",
      unit: "count",
      polarity: "higher_is_better",
      decimals: "0",
    });
    expectError(noQuadrant.body, "pm-quadrant", "Choose the quadrant", "en");
    const pm = await post(`/en${prog}/measures`, editor, {
      rowVersion: await rowVersion(),
      code: "children-reached",
      "title-en": "Children reached",
      quadrant: "how_much",
      unit: "count",
      polarity: "higher_is_better",
      decimals: "0",
    });
    expect(pm.statusCode).toBe(303);
    const value = { measureCode: "children-reached", period: "2024-25", value: "120" };
    expect((await post(`/en${prog}/values`, editor, { ...value, rowVersion: await rowVersion() })).statusCode).toBe(
      303,
    );
    for (const lang of ["en", "cy"] as const) {
      const r = await post(`/${lang}${prog}/values`, editor, {
        ...value,
        value: "125",
        rowVersion: await rowVersion(),
      });
      expect(r.statusCode).toBe(400);
      expectError(
        r.body,
        "value-reason",
        lang === "en" ? "2024-25 already has a value (120): enter the reason" : "Mae gan 2024-25 werth eisoes (120)",
        lang,
      );
    }
    const nan = await post(`/en${prog}/values`, editor, { ...value, value: "many", rowVersion: await rowVersion() });
    expectError(nan.body, "value-value", "Enter the value as a number", "en");
    const revised = await post(`/en${prog}/values`, editor, {
      ...value,
      value: "125",
      reason: "Late returns from one team",
      rowVersion: await rowVersion(),
    });
    expect(revised.statusCode).toBe(303);
    const values = (await detail()).programmes[0]!.measures[0]!.values;
    expect(values.map((v) => [v.value, v.revision, v.reason])).toEqual([
      [120, 1, null],
      [125, 2, "Late returns from one team"],
    ]);
    const page = await get(`/cy${prog}`, editor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Late returns from one team");
  });

  it("writes a performance measure's turn-the-curve report: its story, an action and a progress update", async () => {
    const report = `${PLAN}/programmes/flying-start/measures/children-reached`;
    const page = await get(`/cy${report}/edit`, editor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Children reached");
    expect(page.body).not.toContain('name="target-'); // no targets or selection for a performance measure
    expect(page.body).not.toContain("/selection");
    expect((await get(`/en${prog}`, editor)).body).toContain(`href="/en${report}/edit"`);
    const story = await post(`/en${report}/edit/narratives/story`, editor, {
      baseVersion: "0",
      body: "Fewer referrals came from midwives this year.",
      "items-0-text": "Midwife vacancies",
      "items-0-kind": "restricting",
    });
    expect(story.statusCode).toBe(303);
    expect(story.headers.location).toBe(`/en${report}/edit#story`);
    const action = await post(`/en${report}/edit/actions`, editor, {
      rowVersion: await rowVersion(),
      "title-en": "Agree a referral route with the midwifery team",
      owner: "Flying Start manager",
      startDate: "2025-04-01",
      dueDate: "2025-09-30",
      status: "on_track",
    });
    expect(action.statusCode).toBe(303);
    const id = (await detail()).actions.find((a) => a.subjectKind === "programme_measure")!.id;
    const update = await post(`/cy${report}/edit/actions/${id}/updates`, editor, {
      rowVersion: await rowVersion(),
      date: "2025-06-01",
      "text-en": "Route agreed in two of three hospitals",
      status: "on_track",
    });
    expect(update.statusCode).toBe(303);
    expect(update.headers.location).toBe(`/cy${report}/edit#actions`);
    // the report's page: the story, its cause, the action and its update (a draft: its editor sees it)
    const shown = await get(`/en${report}`, editor);
    expect(shown.statusCode).toBe(200);
    for (const text of [
      "Fewer referrals came from midwives this year.",
      "Midwife vacancies",
      "Restricting",
      "Agree a referral route with the midwifery team",
      "Route agreed in two of three hospitals",
      "How much did we do?",
    ])
      expect(shown.body).toContain(text);
    expect((await get(`/en${PLAN}/programmes/flying-start`, editor)).body).toContain(`href="/en${report}"`);
    expect((await get(`/en${report}`)).statusCode).toBe(404); // never public while a draft
    // a report of a performance measure the programme does not have is not found, and nothing is written
    const missing = await post(`/en${PLAN}/programmes/flying-start/measures/nothing/edit/narratives/story`, editor, {
      baseVersion: "0",
      body: "x",
    });
    expect(missing.statusCode).toBe(404);
    expect((await get(`/en${PLAN}/programmes/flying-start/measures/nothing`, editor)).statusCode).toBe(404);
  });

  it("imports performance values from a CSV, refusing a file with problems row by row and writing nothing", async () => {
    const values = async () => (await detail()).programmes[0]!.measures[0]!.values;
    const before = await values();
    const bad = await postFile(
      `/en${prog}/values/import`,
      [
        "measure,period,value,reason",
        "nope,2025-26,1,",
        "children-reached,2025-26,lots,",
        "children-reached,2024-25,130,",
        "children-reached,2026-27,1,",
        "children-reached,2026-27,2,",
      ].join("\n"),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("There is a problem");
    for (const text of [
      "Row 2, measure: “nope” is not a performance measure of this programme (its measures: children-reached)",
      "Row 3, value: Enter the value as a number",
      "Row 4, reason: 2024-25 already has a value (125): enter the reason for the change",
      "Row 6, period: 2026-27 is given for this measure on row 5 too",
    ])
      expect(bad.body).toContain(text);
    expect(bad.body).toContain('href="#import-file"');
    expect(await values()).toEqual(before);
    const cy = await postFile(`/cy${prog}/values/import`, "measure,period\nchildren-reached,2025-26\n");
    expect(cy.statusCode).toBe(400);
    expect(cy.body).toContain("Rhes 1, value: Nid oes colofn “value” yn y ffeil");
    const none = await postFile(`/en${prog}/values/import`, "");
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain("Choose a CSV file");
    const ok = await postFile(
      `/en${prog}/values/import`,
      "\uFEFFmeasure,period,value,reason\r\nchildren-reached,2025-26,140,\r\nchildren-reached,2024-25,126,Audit of the register\r\n",
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/en${prog}#values`);
    const after = await values();
    const row = (v: (typeof after)[number]) => [v.period, v.value, v.revision, v.reason];
    expect(after).toHaveLength(before.length + 2);
    expect(after.map(row)).toEqual(
      expect.arrayContaining([
        ["2025-26", 140, 1, null],
        ["2024-25", 126, 3, "Audit of the register"],
      ]),
    );
    expect(after).toEqual(expect.arrayContaining(before)); // earlier revisions kept
    expect((await get(`/en${PLAN}/edit/history`, editor)).body).toContain("Performance values imported");
  });
});

describe("a plan's changes", () => {
  it("lists every change newest first with who, when and what each field was before, in English and Welsh", async () => {
    // the targets set earlier are changed, so the page must show what they replaced
    const edit = `${PLAN}/measures/${measure}/edit`;
    const before = (await detail()).measures.find((x) => x.measureCode === measure)!.targets;
    expect(before).toHaveLength(1);
    const period = before[0]!.period;
    expect(
      (await post(`/en${edit}/targets`, editor, { rowVersion: await rowVersion(), [`target-${period}`]: "45" }))
        .statusCode,
    ).toBe(303);
    const en = await get(`/en${PLAN}/edit/history`, editor);
    expect(en.statusCode).toBe(200);
    expect(en.headers["cache-control"]).toBe("no-store");
    const body = en.body;
    expect(body).toContain("Changes to this plan");
    expect(body).toContain("partnership_editor@example.org");
    // a priority changed: the text it replaced, a rationale removed, a core aim dropped
    expect(body).toContain("Priority changed");
    expect(body).toContain(
      "Text (English): was “Give every baby a healthy start”, now “Give every baby a healthy start in life”",
    );
    expect(body).toContain("Text (Welsh): “Rhoi dechrau iach i bob babi”"); // unchanged: not shown as a change
    expect(body).toContain("Rationale (English): was “The baseline has not improved”, now none");
    expect(body).toContain("Core aims: was “CA1, CA3”, now “CA1”");
    // targets replaced, with the stretch target that was cleared
    expect(body).toContain(`Target for ${period}: was “50”, now “45”`);
    expect(body).toMatch(new RegExp(`Stretch target for ${period}: was “\\d+”, now none`));
    // a chosen measure's reason changed, then the measure removed
    expect(body).toContain(
      "Reason (English): was “It shows early whether support in pregnancy works”, now “Home visits are where it starts”",
    );
    expect(body).toContain("Reason (English): was “Home visits are where it starts”, now none");
    // a performance value revised, and a progress update that changed an action's status
    expect(body).toContain("Value: was “120”, now “125”");
    expect(body).toContain("Reason: “Late returns from one team”");
    expect(body).toContain("Progress update added");
    // a narrative version and a restore
    expect(body).toContain("Narrative saved");
    expect(body).toContain("Version: was “3”, now “4”");
    // newest first
    const order = ["Targets set", "Performance value recorded", "Priority removed", "Measure removed", "Plan started"];
    const at = order.map((w) => body.indexOf(w));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const cy = await get(`/cy${PLAN}/edit/history`, editor);
    expect(cy.statusCode).toBe(200);
    expect(cy.body).toContain("Newidiadau i&#39;r cynllun hwn");
    expect(cy.body).toContain("Newidiwyd blaenoriaeth");
    expect(cy.body).toContain(
      "Testun (Saesneg): roedd yn “Give every baby a healthy start”, bellach “Give every baby a healthy start in life”",
    );
    expect(cy.body).toContain(`Targed ar gyfer ${period}: roedd yn “50”, bellach “45”`);
    // linked from the plan's edit page
    expect((await get(`/en${PLAN}/edit`, editor)).body).toContain(`href="/en${PLAN}/edit/history"`);
  });
});

describe("who may edit", () => {
  /** Every GET and POST route of the plan editing forms (under /en), with the test plan's values in its parameters. */
  const routes = () => {
    const edit = registeredRoutes(t.app).filter(
      (r) => r.path.startsWith("/en/plans/:area/:period/") && /\/edit(\/|$)/.test(r.path),
    );
    const concrete = (path: string) =>
      path
        .replace("/en/plans/:area/:period", PLAN)
        .replace("/measures/:code/", `/measures/${measure}/`)
        .replace("/programmes/:code/", "/programmes/flying-start/")
        .replace(":pm", "children-reached")
        .replace(":section", "story")
        .replace(":id", "1");
    const of = (method: string) => edit.filter((r) => r.method === method).map((r) => concrete(r.path));
    return { get: of("GET"), post: of("POST") };
  };

  it("finds every edit route in the app's route table", () => {
    const { get: gets, post: posts } = routes();
    const m = `${PLAN}/measures/${measure}/edit`;
    const p = `${PLAN}/programmes/flying-start/edit`;
    expect(gets).toEqual(
      expect.arrayContaining([`${PLAN}/edit`, `${PLAN}/edit/history`, `${PLAN}/edit/priorities/1`, m, p]),
    );
    expect(posts).toEqual(
      expect.arrayContaining([`${PLAN}/edit/priorities/1`, `${m}/narratives/story/restore`, `${m}/actions/1/updates`]),
    );
    expect(gets.length).toBeGreaterThanOrEqual(6);
    expect(posts.length).toBeGreaterThanOrEqual(12);
    expect([...gets, ...posts].filter((u) => u.includes(":"))).toEqual([]); // every parameter filled
  });

  it("answers 403 to another partnership's editor and to a viewer on every edit route, GET and POST", async () => {
    const before = await detail();
    for (const cookie of [other, viewer]) {
      for (const url of routes().get) expect((await get(`/en${url}`, cookie)).statusCode, url).toBe(403);
      for (const url of routes().post) {
        const r = await post(`/en${url}`, cookie, {
          rowVersion: String(before.plan.rowVersion),
          baseVersion: "99",
          "text-en": "Hijack",
          coreAims: "CA1",
          body: "Hijack",
        });
        expect(r.statusCode, url).toBe(403);
      }
    }
    expect((await get("/en/plans/new", viewer)).statusCode).toBe(403);
    const after = await detail();
    expect(after.plan.rowVersion).toBe(before.plan.rowVersion);
    expect(after.priorities).toHaveLength(before.priorities.length);
  });

  it("sends the public to sign in, and never shows them the draft", async () => {
    for (const url of [...routes().get, "/plans/new"]) {
      const r = await get(`/cy${url}`);
      expect(r.statusCode, url).toBe(303);
      expect(r.headers.location).toBe("/cy/sign-in");
    }
    for (const url of routes().post) {
      const r = await t.app.inject({
        method: "POST",
        url: `/en${url}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "body=x",
      });
      expect(r.statusCode, url).toBe(303);
    }
    expect((await get(`/en${PLAN}/measures/${measure}`)).statusCode).toBe(404);
  });

  it("refuses a forged CSRF token and writes nothing", async () => {
    const before = await detail();
    const r = await t.app.inject({
      method: "POST",
      url: `/en${PLAN}/edit/priorities`,
      headers: { cookie: editor, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: "forged",
        rowVersion: String(before.plan.rowVersion),
        "text-en": "Forged",
        coreAims: "CA1",
      }).toString(),
    });
    expect(r.statusCode).toBe(403);
    expect((await detail()).priorities).toHaveLength(before.priorities.length);
  });
});

describe("the refusals' wording", () => {
  it("has an English and a Welsh sentence for every code the plans service and its forms refuse with", async () => {
    const { readFile } = await import("node:fs/promises");
    const sources = [
      await readFile("src/services/plans/index.ts", "utf8"),
      await readFile("src/web/routes/plans-edit.ts", "utf8"),
    ].join("\n");
    const codes = new Set<string>();
    for (const m of sources.matchAll(/invalid\(\s*"([a-z_]+)"/g)) codes.add(m[1]!);
    for (const m of sources.matchAll(/code: "([a-z_]+)"/g)) codes.add(m[1]!);
    for (const m of sources.matchAll(/`\$\{field\}_([a-z_]+)`/g))
      for (const f of ["target", "stretch"]) codes.add(`${f}_${m[1]}`);
    expect(codes.size).toBeGreaterThan(40);
    for (const lang of ["en", "cy"]) {
      const errors = JSON.parse(await readFile(`src/web/locales/${lang}/plans.json`, "utf8")).errors as Record<
        string,
        string
      >;
      expect(
        [...codes].filter((c) => !(c in errors)),
        lang,
      ).toEqual([]);
    }
  });
});
