/**
 * `omf report rights`: the children's rights report as the public sees it, as a Word document in Welsh (checked as
 * a document), bilingual, or as plain text with its tables; bad choices are refused with exit code 2.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { omfInProcess as omf } from "../support/cli.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";
import { openDocx } from "../support/docx-package.ts";

let database: Database;
let dir: string;
beforeAll(async () => {
  database = await freshDemoDatabase();
  dir = await mkdtemp(join(tmpdir(), "omf-report-"));
  const demo = await omf(["demo"], { database });
  expect(demo.code, demo.stderr).toBe(0);
}, 300_000);
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

describe("omf report rights", () => {
  it("writes the report in Welsh as a DOCX, and bilingual with Welsh first", async () => {
    const out = join(dir, "hawliau.docx");
    const r = await omf(["report", "rights", "--lang", "cy", "--format", "docx", "--out", out], { database });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("hawliau.docx");
    const d = await openDocx(await readFile(out));
    expect(d.paragraphs[0]).toEqual({ style: "Title", text: "Adroddiad hawliau plant" });
    expect(d.headings.filter((h) => h.level === 1).map((h) => h.text)).toEqual([
      "Cwmpas",
      "Fesul nod craidd",
      "Fesul erthygl CCUHP",
    ]);
    expect(d.languages).toEqual(new Set(["cy-GB"]));

    const both = join(dir, "both.docx");
    expect((await omf(["report", "rights", "--bilingual", "--out", both], { database })).code).toBe(0);
    const b = await openDocx(await readFile(both));
    expect(b.paragraphs.filter((p) => p.style === "Title").map((p) => p.text)).toEqual([
      "Adroddiad hawliau plant",
      "Children's rights report",
    ]);
  }, 120_000);

  it("prints the report as text with its tables and the published plans' quotes", async () => {
    const r = await omf(["report", "rights", "--format", "text"], { database });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Children's rights report");
    expect(lines).toContain("Core aim\tCoverage\tLive measures\tMeasures in development");
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect(lines.some((l) => l.startsWith(`${n}. `))).toBe(true);
    expect(r.stdout).toMatch(/^- Cardiff, action \(On track\): “Offer every family a visit/m);
    expect(r.stdout).not.toContain("Keep young people in learning");
  }, 120_000);

  it("writes the report as at a date, and refuses a date that is not one", async () => {
    const r = await omf(["report", "rights", "--format", "text", "--as-at", "2025-03-31"], { database });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("As at 2025-03-31: this report uses only the data and the partnership plans published");
    expect(r.stdout).toContain("No partnership plans have been published yet"); // the demo's were published today
    expect(r.stdout).not.toContain("Cardiff, action");
    const bad = await omf(["report", "rights", "--format", "text", "--as-at", "31/03/2025"], { database });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--as-at must be a real date written YYYY-MM-DD");
  }, 120_000);

  it("refuses an unknown language or format", async () => {
    const lang = await omf(["report", "rights", "--lang", "fr", "--format", "text"], { database });
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain("--lang must be one of en, cy");
    const format = await omf(["report", "rights", "--format", "pdf"], { database });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format must be one of docx, text");
  });
});
