/**
 * The national roll-up of partnerships' choices (issue 14): /{lang}/plans/choices shows where each of the 22
 * partnerships' plans stands, the additional measures chosen (with a partnerships × measures matrix as CSV/XLSX), the
 * local measures added and the priorities by core aim; /{lang}/plans/choices/{code} shows who chose one measure and
 * why. The public sees published plans only: a draft plan's choices never appear. Expectations come from the plans
 * themselves (read through the plans service), not from fixed values.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inLanguage } from "../../src/web/pages/plan-view.ts";
import { demoPlanPeriod, seedDemoPlans } from "../../src/services/plans/demo.ts";
import { planRollup } from "../../src/services/plans/rollup.ts";
import { parse } from "csv-parse/sync";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
const CARDIFF = "W06000015";
const GWYNEDD = "W06000002";
const SWANSEA = "W06000011";
const PERIOD = demoPlanPeriod();

beforeAll(async () => {
  t = await demoApp();
  await seedDemoPlans(t.app.services.plans);
}, 300_000);
afterAll(async () => {
  await t.close();
});

const get = async (url: string) => {
  const r = await t.app.inject({ method: "GET", url });
  return { status: r.statusCode, body: r.body, type: r.headers["content-type"], raw: r.rawPayload };
};
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("the roll-up of partnerships' choices", () => {
  it("is built from the published plans only: a draft plan and its choices are not in the public roll-up", async () => {
    const r = await planRollup(t.app.services.plans, null, {});
    expect(r.periods).toEqual([PERIOD]);
    expect(r.plans.map((p) => p.areaCode).sort()).toEqual([GWYNEDD, CARDIFF].sort());
    expect(r.plans.every((p) => p.status === "published")).toBe(true);
    const all = r.additional.flatMap((m) => m.chosenBy.map((c) => c.areaCode));
    expect(all).not.toContain(SWANSEA);
    // every published plan's additional measures are counted once, with the plan's reason
    for (const p of r.plans) {
      const d = await t.app.services.plans.get(null, p);
      for (const s of d.measures.filter((x) => x.kind === "additional")) {
        const m = r.additional.find((x) => x.measureCode === s.measureCode);
        expect(m?.chosenBy.filter((c) => c.areaCode === p.areaCode)).toHaveLength(1);
        expect(m?.chosenBy.find((c) => c.areaCode === p.areaCode)?.reason).toEqual(s.reason);
      }
    }
    // most chosen first
    const counts = r.additional.map((m) => m.chosenBy.length);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(r.prioritiesByAim.length).toBeGreaterThan(0);
  });

  it("shows in English where each partnership's plan stands, the measures chosen and the priorities by core aim", async () => {
    const r = await get("/en/plans/choices");
    expect(r.status).toBe(200);
    const page = text(r.body);
    expect(page).toContain("Partnerships' choices across Wales");
    expect(page).toContain(`Plans for ${PERIOD} by partnership (2 of 22 shown)`);
    expect(page).toMatch(/Cardiff Published/);
    expect(page).toMatch(/Gwynedd Published/);
    expect(page).toMatch(/Swansea No plan shown/);
    expect(r.body).toContain(`href="/en/plans/${CARDIFF}/${PERIOD}"`);
    expect(r.body).not.toContain(`href="/en/plans/${SWANSEA}/`);
    const rollup = await planRollup(t.app.services.plans, null, {});
    for (const m of rollup.additional) {
      expect(r.body).toContain(`href="/en/plans/choices/${m.measureCode}?period=${PERIOD}"`);
      expect(page).toContain(m.title ? inLanguage(m.title, "en") : m.measureCode);
    }
    expect(page).toContain("Priorities by core aim");
    for (const g of rollup.prioritiesByAim) {
      for (const p of g.priorities) expect(page).toContain(inLanguage(p.text, "en"));
    }
    // the matrix: a row per partnership, with a table alternative's caption and downloads
    expect(r.body).toContain('id="choices-matrix"');
    expect((r.body.split('id="choices-matrix"')[1] ?? "").split("</table>")[0]!.match(/<tr /g)).toHaveLength(23);
    expect(r.body).toContain(`/en/plans/choices?format=csv`);
    expect(r.body).toContain(`/en/plans/choices?format=xlsx`);
  });

  it("is in Welsh under /cy", async () => {
    const r = await get("/cy/plans/choices");
    expect(r.status).toBe(200);
    const page = text(r.body);
    expect(page).toContain("Dewisiadau partneriaethau ledled Cymru");
    expect(page).toContain("Blaenoriaethau fesul nod craidd");
    expect(page).toMatch(/Caerdydd Cyhoeddwyd/);
    expect(page).toMatch(/Abertawe Dim cynllun i'w ddangos/);
    expect(page).not.toContain("Partnerships' choices");
  });

  it("downloads the matrix as CSV with a row per partnership and the reason in each chosen cell", async () => {
    const rollup = await planRollup(t.app.services.plans, null, {});
    const r = await get("/en/plans/choices?format=csv");
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/csv/);
    const rows = parse(r.body, { bom: true, relax_column_count: true }) as string[][];
    const header = rows.findIndex((row) => row[0] === "Partnership");
    expect(header).toBeGreaterThanOrEqual(0);
    expect(rows[header]![1]).toBe("Area code");
    const body = rows.slice(header + 1).filter((row) => /^W06/.test(row[1] ?? ""));
    expect(body).toHaveLength(22);
    const m = rollup.additional[0]!;
    const col = rows[header]!.indexOf(m.title ? inLanguage(m.title, "en") : m.measureCode);
    expect(col).toBeGreaterThan(1);
    const cardiff = body.find((row) => row[1] === CARDIFF)!;
    const choice = m.chosenBy.find((c) => c.areaCode === CARDIFF);
    if (choice?.reason) expect(cardiff[col]).toBe(inLanguage(choice.reason, "en"));
    expect(body.find((row) => row[1] === SWANSEA)![col]).toBe("");
    const x = await get("/cy/plans/choices?format=xlsx");
    expect(x.status).toBe(200);
    expect(x.raw.subarray(0, 2).toString()).toBe("PK");
  });

  it("shows who chose one measure, for which priority and why; an unknown measure is not found, a bad period refused", async () => {
    const rollup = await planRollup(t.app.services.plans, null, {});
    const m = rollup.additional[0]!;
    const r = await get(`/en/plans/choices/${m.measureCode}`);
    expect(r.status).toBe(200);
    const page = text(r.body);
    for (const c of m.chosenBy) {
      expect(r.body).toContain(`href="/en/plans/${c.areaCode}/${c.period}/measures/${m.measureCode}"`);
      if (c.reason) expect(page).toContain(inLanguage(c.reason, "en"));
      if (c.priority) expect(page).toContain(inLanguage(c.priority, "en"));
    }
    expect((await get(`/cy/plans/choices/${m.measureCode}`)).body).toContain("Pwy a ddewisodd");
    expect((await get("/en/plans/choices/NOPE999")).status).toBe(404);
    expect((await get("/en/plans/choices?period=1999-2000")).status).toBe(400);
  });
});
