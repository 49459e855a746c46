/**
 * The audit log page and its CSV (issue 14) on the demo plans: only national analysts and administrators see them
 * (the public is sent to sign in, viewers and partnership editors get 403); entries are listed newest first with who,
 * when, kind, what, reason and before/after, filtered by partnership, user, kind and dates, a page at a time; the CSV
 * holds every entry the filters match, headed in the page language; the Welsh page has no English; and no route, no
 * query and no SQL of the application changes or deletes an entry, which the database refuses anyway.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/database.ts";
import { WORKFLOW_ACTIONS } from "../../src/domain/workflow.ts";
import { createUser } from "../../src/services/accounts.ts";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import { translator } from "../../src/web/i18n.ts";
import { kindName } from "../../src/web/pages/audit-view.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { englishFragments, englishLeaks } from "../support/english-leaks.ts";
import { signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let analyst: string;
let admin: string;
let editor: string;
let viewer: string;
/** A user whose 120 entries are made here, spread over three days. */
let clerk: number;
const CARDIFF = "W06000015";
const PERIOD = demoPlanPeriod();

beforeAll(async () => {
  t = await demoAppWithPlans();
  analyst = (await signInAs(t, "national_analyst")).cookie;
  admin = (await signInAs(t, "national_admin")).cookie;
  editor = (await signInAs(t, "partnership_editor")).cookie;
  viewer = (await signInAs(t, "viewer")).cookie;
  clerk = await createUser(t.database.db, {
    email: "clerk@example.org",
    password: "a long passphrase here",
    role: "national_analyst",
  });
  for (let i = 0; i < 120; i++)
    await t.app.services.audit.record({
      userId: clerk,
      actor: "cli:clerk@example.org",
      action: "plan.narrative.save",
      entity: "plan",
      entityKey: `${CARDIFF}/${PERIOD}/v1`,
      before: { body: `fersiwn ${i}` },
      after: { body: `fersiwn ${i + 1}`, section: "story" },
      reason: i === 119 ? '=HYPERLINK("x")' : `edit ${i}`,
      at: new Date(Date.UTC(2026, 0, 10 + Math.floor(i / 40), 12, 0, i % 60)),
    });
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const get = (url: string, cookie?: string) => t.app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
/** The newest entries' ids matching a condition, in the log's order (by time, then id), read from the database. */
const newestIds = async (where: ReturnType<typeof sql>, limit = 50) =>
  (
    await queryRows<{ id: number }>(
      t.database.db,
      sql`select id::int from audit_log where ${where} order by at desc, id desc limit ${limit}`,
    )
  ).map((r) => r.id);
/** Entry ids on a page, in the order shown. */
const idsOn = (html: string) =>
  [...html.matchAll(/<tr class="govuk-table__row" id="entry-(\d+)"/g)].map((m) => Number(m[1]));
const href = (html: string, rel: "prev" | "next") =>
  new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null;

describe("who may read the audit log", () => {
  it("sends the public to sign in and refuses viewers and partnership editors", async () => {
    for (const url of ["/en/audit", "/cy/audit", "/en/audit.csv"]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(303);
      expect(r.headers.location).toBe(`/${url.slice(1, 3)}/sign-in`);
      for (const cookie of [viewer, editor]) expect((await get(url, cookie)).statusCode, url).toBe(403);
    }
  });

  it("shows national analysts and administrators the page, linked from the menu", async () => {
    for (const cookie of [analyst, admin]) {
      const r = await get("/en/audit", cookie);
      expect(r.statusCode).toBe(200);
      expect(r.headers["cache-control"]).toBe("no-store");
      expect(r.body).toContain('<h1 class="govuk-heading-xl">Audit log</h1>');
      expect(r.body).toContain('href="/en/audit"');
    }
    expect((await get("/en/", editor)).body).not.toContain('href="/en/audit"');
  });
});

describe("the audit log page", () => {
  it("lists entries newest first with when, who, kind, what, reason and before and after", async () => {
    const r = await get("/en/audit", analyst);
    const ids = idsOn(r.body);
    expect(ids).toHaveLength(50);
    // newest by time: the clerk's entries were recorded last but are dated in January, so they are not on this page
    expect(ids).toEqual(await newestIds(sql`true`));
    const last = (await queryRows<{ id: number }>(t.database.db, sql`select max(id)::int as id from audit_log`))[0]!;
    expect(ids).not.toContain(last.id);
    const own = await get(`/en/audit?user=${clerk}`, analyst);
    const row = own.body.slice(own.body.indexOf(`id="entry-${last.id}"`)).split("</tr>")[0]!;
    expect(idsOn(own.body)[0]).toBe(last.id);
    expect(row).toContain("2026-01-12 12:00"); // when (UTC)
    expect(row).toContain("cli:clerk@example.org");
    expect(row).toContain("Narrative saved");
    expect(row).toContain(`href="/en/plans/${CARDIFF}/${PERIOD}"`);
    expect(row).toContain("Cardiff");
    expect(row).toContain("=HYPERLINK(&quot;x&quot;)");
    expect(row).toContain("Section: “The story behind the baseline”"); // the readable summary
    expect(row).toContain("<details");
    expect(row).toContain("&quot;body&quot;: &quot;fersiwn 119&quot;"); // the full record
  });

  it("pages through every entry a filter matches, older and newer, each once", async () => {
    const first = await get(`/en/audit?user=${clerk}`, analyst);
    expect(href(first.body, "prev")).toBeNull();
    const seen = [...idsOn(first.body)];
    let next = href(first.body, "next");
    const pages = [first.body];
    while (next) {
      const r = await get(next, analyst);
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain("Back to the newest entries");
      seen.push(...idsOn(r.body));
      pages.push(r.body);
      next = href(r.body, "next");
    }
    expect(pages.map((p) => idsOn(p).length)).toEqual([50, 50, 20]);
    expect(new Set(seen).size).toBe(120);
    expect(seen).toEqual(await newestIds(sql`user_id = ${clerk}`, 200));
    // back from the last page to the middle one
    const back = await get(href(pages[2]!, "prev")!, analyst);
    expect(idsOn(back.body)).toEqual(idsOn(pages[1]!));
  });

  it("filters by partnership, user, kind and dates", async () => {
    const page = async (query: string) => idsOn((await get(`/en/audit?${query}`, analyst)).body);
    const rows = (where: ReturnType<typeof sql>) => newestIds(where);
    expect(await page(`partnership=${CARDIFF}`)).toEqual(await rows(sql`area_code = ${CARDIFF}`));
    expect((await page("partnership=W06000011")).length).toBeGreaterThan(0); // Swansea's demo draft
    expect(await page("partnership=W06000011")).toEqual(await rows(sql`entity_key like 'W06000011/%'`));
    expect(await page("user=none")).toEqual(await rows(sql`user_id is null`));
    expect(await page("kind=plan.create")).toEqual(await rows(sql`action = 'plan.create'`));
    expect(await page(`user=${clerk}&from=2026-01-11&to=2026-01-11`)).toEqual(
      await rows(sql`user_id = ${clerk} and at >= '2026-01-11' and at < '2026-01-12'`),
    );
    expect(await page(`user=${clerk}&from=2026-01-11&to=2026-01-11`)).toHaveLength(40);
    const none = await get(`/en/audit?user=${clerk}&to=2025-12-31`, analyst);
    expect(none.body).toContain("No entries match these filters.");
    // the form keeps what was chosen
    const kept = await get(`/en/audit?partnership=${CARDIFF}&kind=plan.create`, analyst);
    expect(kept.body).toMatch(new RegExp(`<option value="${CARDIFF}" selected>`));
    expect(kept.body).toMatch(/<option value="plan.create" selected>Plan started<\/option>/);
  });

  it("refuses filters it cannot read with an error summary naming each field", async () => {
    const r = await get("/en/audit?partnership=W99999999&user=99999&kind=nonsense&from=2026-02-30&to=x", analyst);
    expect(r.statusCode).toBe(400);
    for (const [field, text] of [
      ["partnership", "Choose a partnership from the list"],
      ["user", "Choose a user from the list"],
      ["kind", "Choose a kind of entry from the list"],
      ["from", "Enter a real date as YYYY-MM-DD"],
    ])
      expect(r.body).toContain(`<a href="#${field}">${text}</a>`);
    const order = await get("/en/audit?from=2026-02-02&to=2026-02-01", analyst);
    expect(order.statusCode).toBe(400);
    expect(order.body).toContain("The date to must be the same as or after the date from");
    expect((await get("/en/audit.csv?kind=nonsense", analyst)).statusCode).toBe(400);
  });

  it("is all in Welsh on the Welsh page, with values typed in English marked as English", async () => {
    const fragments = englishFragments();
    // the clerk's entries hold no English data: the whole page must be Welsh
    const own = await get(`/cy/audit?user=${clerk}`, analyst);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain("Log archwilio");
    expect(own.body).toContain("Cadwyd naratif");
    expect(own.body).toContain("Adran: “Y stori y tu ôl i&#39;r llinell sylfaen”");
    expect(englishLeaks(own.body, fragments)).toEqual([]);
    const refused = await get("/cy/audit?from=nonsense", analyst);
    expect(refused.body).toContain("Rhowch ddyddiad go iawn ar ffurf BBBB-MM-DD");
    expect(englishLeaks(refused.body, fragments)).toEqual([]);
    // the demo's entries: the English side of bilingual text is shown as typed, marked lang="en"
    const all = await get(`/cy/audit?partnership=${CARDIFF}&kind=plan.priority.add`, analyst);
    expect(all.body).toContain('Testun (Saesneg): “<span lang="en">Give every baby a healthy start');
    expect(all.body).toContain("Testun (Cymraeg): “Rhoi dechrau iach i bob babi");
  });
});

describe("the audit log CSV", () => {
  it("streams every entry the filters match, newest first, headed in the page language", async () => {
    const r = await get(`/en/audit.csv?user=${clerk}&from=2026-01-12`, analyst);
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(r.headers["content-disposition"]).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(r.body.startsWith("\uFEFF")).toBe(true);
    const records = parse(r.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(40);
    expect(Object.keys(records[0]!)).toEqual([
      "Entry",
      "When (UTC, ISO 8601)",
      "Who",
      "User number",
      "Kind",
      "Kind code",
      "Thing",
      "Key",
      "Partnership code",
      "Partnership",
      "Reason",
      "Before (JSON)",
      "After (JSON)",
    ]);
    const top = records[0]!;
    expect(top["When (UTC, ISO 8601)"]).toBe("2026-01-12T12:00:59.000Z");
    expect(top).toMatchObject({
      Who: "cli:clerk@example.org",
      "User number": String(clerk),
      Kind: "Narrative saved",
      "Kind code": "plan.narrative.save",
      Thing: "Plan",
      Key: `${CARDIFF}/${PERIOD}/v1`,
      "Partnership code": CARDIFF,
      Partnership: "Cardiff",
      Reason: '\'=HYPERLINK("x")', // a formula is neutralised
    });
    expect(JSON.parse(top["Before (JSON)"]!)).toEqual({ body: "fersiwn 119" });
    expect(JSON.parse(top["After (JSON)"]!)).toEqual({ body: "fersiwn 120", section: "story" });
    const ids = records.map((x) => Number(x.Entry));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it("holds more entries than a page and is headed in Welsh on the Welsh side", async () => {
    const all = await get(`/cy/audit.csv?user=${clerk}`, analyst);
    const records = parse(all.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(120);
    expect(all.headers["content-disposition"]).toMatch(/filename="log-archwilio-/);
    expect(Object.keys(records[0]!).slice(0, 5)).toEqual([
      "Cofnod",
      "Pryd (UTC, ISO 8601)",
      "Pwy",
      "Rhif y defnyddiwr",
      "Math",
    ]);
    expect(records[0]!.Math).toBe("Cadwyd naratif");
    expect(records[0]!.Peth).toBe("Cynllun");
  });
});

describe("audit entries cannot be changed or deleted", () => {
  it("is refused by the database, whoever asks", async () => {
    const id = (await queryRows<{ id: number }>(t.database.db, sql`select min(id)::int as id from audit_log`))[0]!.id;
    /** The database's own message (drivers wrap it as the cause of a "Failed query" error). */
    const refusal = async (statement: ReturnType<typeof sql>) => {
      try {
        await t.database.db.execute(statement);
      } catch (error) {
        return String((error as { cause?: unknown }).cause ?? error);
      }
      return "done";
    };
    expect(await refusal(sql`update audit_log set reason = 'rewritten' where id = ${id}`)).toMatch(
      /audit_log rows cannot be changed or deleted \(UPDATE refused\)/,
    );
    expect(await refusal(sql`delete from audit_log where id = ${id}`)).toMatch(/\(DELETE refused\)/);
    const [row] = await queryRows<{ reason: string | null }>(
      t.database.db,
      sql`select reason from audit_log where id = ${id}`,
    );
    expect(row).toBeDefined();
    expect(row!.reason).not.toBe("rewritten");
  });

  it("serves the audit log read-only: every route of it answers GET only", () => {
    const routes = t.app.printRoutes({ commonPrefix: false });
    const auditRoutes = routes.split("\n").filter((l) => l.includes("audit"));
    expect(auditRoutes.length).toBeGreaterThan(0);
    for (const line of auditRoutes) expect(line, line).toMatch(/\((GET, HEAD|GET|HEAD)\)\s*$/);
  });

  it("has no code that updates, deletes or truncates audit rows", () => {
    const offending: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|sql)$/.test(f)) {
          const text = readFileSync(p, "utf8");
          if (
            /\b(update|delete\s+from|truncate(\s+table)?)\s+"?audit_log\b/i.test(text) ||
            /\.(update|delete)\(\s*auditLog\b/.test(text)
          )
            offending.push(p);
        }
      }
    };
    walk("src");
    expect(offending).toEqual([]);
  });
});

describe("kinds of entry", () => {
  it("names every kind of entry the application writes, in English and Welsh", () => {
    const actions = new Set<string>(WORKFLOW_ACTIONS);
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f.endsWith(".ts")) {
          const text = readFileSync(p, "utf8");
          for (const m of text.matchAll(/action: (?:[^"\n]*\? )?"([a-z_.]+)"(?: : "([a-z_.]+)")?/g))
            for (const a of [m[1], m[2]]) if (a) actions.add(a);
          for (const m of text.matchAll(/"((?:plan|agreement)\.[a-z_.]+)"/g)) actions.add(m[1]!);
        }
      }
    };
    walk("src/services");
    walk("src/db");
    expect(actions.size).toBeGreaterThan(30);
    const en = translator("en");
    const cy = translator("cy");
    const missing = [...actions].filter((a) => kindName(en, a) === a || kindName(cy, a) === a);
    expect(missing).toEqual([]);
  });
});
