/**
 * The data development agenda's pages (issue 15): national roles move a measure in development from stage to stage
 * with a form (through the shared workflow, audited), record its owner and notes, and add, edit and complete tasks for
 * further action; a refused form shows the problem beside its field, in the page's language, and keeps what was
 * typed; the public page lists the stages and tasks in English and Welsh.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENDA_ENTITY } from "../../src/services/reports/agenda.ts";
import { demoApp } from "../support/demo-app.ts";
import { csrfTokenFrom, signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: string;
let editor: string;
let code: string;
let title: { en: string; cy?: string };

beforeAll(async () => {
  t = await demoApp();
  admin = (await signInAs(t, "national_admin")).cookie;
  editor = (await signInAs(t, "partnership_editor")).cookie;
  const first = (await t.app.services.reports.agenda.view())!.entries[0]!;
  code = first.measure.code;
  title = first.measure.title;
}, 300_000);
afterAll(async () => {
  await t.close();
});

const decoded = (html: string) =>
  html.replaceAll("&#39;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&#x27;", "'");

async function post(url: string, fields: Record<string, string>, cookie = admin) {
  const page = await t.app.inject({ url: "/en/reports/data-development/manage", headers: { cookie } });
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: csrfTokenFrom(page.body), ...fields }).toString(),
  });
}

describe("managing the data development agenda", () => {
  it("is for national roles only, and linked from the public page for them", async () => {
    expect((await t.app.inject({ url: "/en/reports/data-development/manage" })).statusCode).toBe(303);
    expect(
      (await t.app.inject({ url: "/en/reports/data-development/manage", headers: { cookie: editor } })).statusCode,
    ).toBe(403);
    const page = await t.app.inject({ url: "/cy/reports/data-development/manage", headers: { cookie: admin } });
    expect(page.statusCode).toBe(200);
    expect(decoded(page.body)).toContain("Rheoli'r agenda datblygu data");
    const pub = await t.app.inject({ url: "/en/reports/data-development", headers: { cookie: admin } });
    expect(pub.body).toContain('href="/en/reports/data-development/manage"');
    expect((await t.app.inject({ url: "/en/reports/data-development" })).body).not.toContain("/manage");
  });

  it("moves a measure through its stages with the form, audited, and refuses an impossible move", async () => {
    const r = await post(`/en/reports/data-development/measures/${code}/stage`, {
      action: "identify_source",
      reason: "Survey data found",
    });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/en/reports/data-development/manage?saved=1#measure-${code}`);
    const bad = await post(`/cy/reports/data-development/measures/${code}/stage`, { action: "go_live" });
    expect(bad.statusCode).toBe(409);
    expect(decoded(bad.body)).toContain("Nid yw'r symudiad hwnnw'n bosibl o gam presennol y mesur.");
    const none = await post(`/en/reports/data-development/measures/${code}/stage`, {});
    expect(none.statusCode).toBe(400);
    expect(decoded(none.body)).toContain('href="#stage-' + code + '-action"');
    const trail = await t.app.services.audit.trail(AGENDA_ENTITY, code);
    expect(trail.map((a) => [a.action, a.actor, a.reason])).toEqual([
      ["identify_source", "web:national_admin@example.org", "Survey data found"],
    ]);
  });

  it("records the owner and notes, and adds, edits and completes a task; bad fields are named and kept", async () => {
    expect(
      (
        await post(`/en/reports/data-development/measures/${code}`, {
          owner: "Knowledge and Analytical Services",
          "notes-en": "Three authorities pilot it",
          "notes-cy": "Tri awdurdod yn ei dreialu",
          rowVersion: "1",
        })
      ).statusCode,
    ).toBe(303);
    const badTask = await post("/en/reports/data-development/tasks", {
      "title-en": "Agree data sharing",
      owner: "Data team",
      dueDate: "31/03/2025",
      status: "open",
    });
    expect(badTask.statusCode).toBe(400);
    const badHtml = decoded(badTask.body);
    expect(badHtml).toContain("Enter the due date as a real date, year-month-day, for example 2025-03-31");
    expect(badHtml).toContain('value="Agree data sharing"');
    expect(badHtml).toContain('value="31/03/2025"');
    expect((await t.app.services.reports.agenda.view())!.tasks).toEqual([]);

    const ok = await post("/en/reports/data-development/tasks", {
      "title-en": "Agree data sharing",
      "title-cy": "Cytuno ar rannu data",
      owner: "Data team",
      dueDate: "2099-03-31",
      status: "open",
      measureCode: code,
    });
    expect(ok.statusCode).toBe(303);
    const task = (await t.app.services.reports.agenda.view())!.tasks[0]!;
    const done = await post("/en/reports/data-development/tasks", {
      id: String(task.id),
      rowVersion: String(task.rowVersion),
      "title-en": "Agree data sharing",
      "title-cy": "Cytuno ar rannu data",
      owner: "Data team",
      dueDate: "2099-03-31",
      status: "done",
      measureCode: code,
    });
    expect(done.statusCode).toBe(303);
    expect((await t.app.services.audit.trail("agenda_task", String(task.id))).map((a) => a.action)).toEqual([
      "create",
      "complete",
    ]);
  });

  it("shows the agenda to the public in English and Welsh: stages, owners, notes and tasks", async () => {
    for (const [lang, words] of [
      [
        "en",
        {
          stage: "Data source identified (since",
          notes: "Three authorities pilot it",
          task: "Agree data sharing",
          done: "Done",
        },
      ],
      [
        "cy",
        {
          stage: "Ffynhonnell data wedi'i nodi (ers",
          notes: "Tri awdurdod yn ei dreialu",
          task: "Cytuno ar rannu data",
          done: "Wedi'i gwblhau",
        },
      ],
    ] as const) {
      const r = await t.app.inject({ url: `/${lang}/reports/data-development` });
      expect(r.statusCode).toBe(200);
      const html = decoded(r.body);
      expect(html).toContain(title[lang] ?? title.en);
      expect(html).toContain(words.stage);
      expect(html).toContain("Knowledge and Analytical Services");
      expect(html).toContain(words.notes);
      expect(html).toContain('id="tasks"');
      const tasks = html.split('id="tasks"')[1]!.split("</table>")[0]!;
      expect(tasks).toContain(words.task);
      expect(tasks).toContain(words.done);
    }
  });
});
