/**
 * POST /api/v1/imports: API tokens, raw and multipart bodies, the same summary as `omf import --json`, all or
 * nothing, and no raw values in what the public API then serves.
 */
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { createUser } from "../../src/services/accounts.ts";
import { createApiToken, listTokens, revokeToken } from "../../src/services/api-tokens.ts";
import { clearImports } from "../support/import-fixtures.ts";
import { seededApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(async () => {
  await t?.close();
});

let token: string;
beforeEach(async () => {
  await clearImports(t.database);
  await createUser(t.database.db, {
    email: "loader@example.org",
    password: "a long passphrase here",
    role: "national_analyst",
  });
  token = (await createApiToken(t.database.db, { email: "loader@example.org", name: "nightly" })).token;
});

const CSV =
  "measure_code,area_code,period,value,numerator,denominator\n" +
  "low-birth-weight,W06000015,2022,7.1,300,4225\n" +
  "under-18-conception-rate,W06000015,2021,6.0,3,500\n";

function post(body: string | Buffer, query = "", headers: Record<string, string> = {}) {
  return t.app.inject({
    method: "POST",
    url: `/api/v1/imports${query}`,
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv", ...headers },
    payload: body,
  });
}

describe("POST /api/v1/imports", () => {
  it("needs a valid token of a user who may manage data", async () => {
    const none = await t.app.inject({
      method: "POST",
      url: "/api/v1/imports",
      headers: { "content-type": "text/csv" },
      payload: CSV,
    });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: "unauthorized" });
    expect((await post(CSV, "", { authorization: "Bearer omf_forged-token-000000000000" })).statusCode).toBe(401);
    await createUser(t.database.db, {
      email: "viewer@example.org",
      password: "a long passphrase here",
      role: "viewer",
    });
    const viewer = await createApiToken(t.database.db, { email: "viewer@example.org", name: "x" });
    expect((await post(CSV, "", { authorization: `Bearer ${viewer.token}` })).statusCode).toBe(403);
    expect(await visibleObservations(t.database.db, { includeDrafts: true })).toEqual([]);
  });

  it("refuses a revoked token with 401, and only that token", async () => {
    const created = await createApiToken(t.database.db, { email: "loader@example.org", name: "to revoke" });
    const auth = { authorization: `Bearer ${created.token}` };
    expect((await post(CSV, "?dryRun=true", auth)).statusCode).toBe(200);
    expect(await revokeToken(t.database.db, created.id)).toMatchObject({
      id: created.id,
      name: "to revoke",
      email: "loader@example.org",
    });
    const refused = await post(CSV, "?dryRun=true", auth);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: "unauthorized" });
    expect((await post(CSV, "?dryRun=true")).statusCode).toBe(200);
    await expect(revokeToken(t.database.db, created.id)).rejects.toThrow(/already revoked/);
    await expect(revokeToken(t.database.db, 999_999)).rejects.toThrow(/no API token 999999/);
    const listed = await listTokens(t.database.db);
    expect(listed.find((r) => r.id === created.id)?.revokedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it("dry-runs and imports a CSV body, answering with the --json summary", async () => {
    const dry = await post(CSV, "?dryRun=true");
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ ok: true, dryRun: true, batch: null, counts: { rows: 2, new: 2 } });
    const r = await post(CSV, "?publish=true&reason=first%20load&fileName=lbw.csv");
    expect(r.statusCode).toBe(201);
    const summary = r.json();
    expect(summary).toMatchObject({ ok: true, file: "lbw.csv", batch: { status: "published" }, counts: { new: 2 } });
    expect(Object.keys(summary).sort()).toEqual(
      [
        "batch",
        "counts",
        "dryRun",
        "errorGroups",
        "errors",
        "errorsTruncated",
        "file",
        "format",
        "measures",
        "message",
        "ok",
        "revised",
        "revisedTruncated",
        "rowsPerSecond",
        "seconds",
        "warningGroups",
        "warnings",
        "warningsTruncated",
      ].sort(),
    );
    // the public data API serves the published values with disclosure control (numerator 3 < 5 is suppressed)
    const data = await t.app.inject({ url: "/api/v1/data?measure=under-18-conception-rate" });
    expect(data.statusCode).toBe(200);
    expect(data.body).toContain("suppressed");
    expect(data.body).toContain("W06000015");
    expect(data.body).not.toMatch(/"numerator":3\b/);
    expect(data.body).not.toMatch(/"value":6\b/);
    const csv = await t.app.inject({ url: "/api/v1/data.csv?measure=under-18-conception-rate" });
    expect(csv.body).not.toMatch(/,6(\.0)?,3,500/);
  });

  it("refuses a file with errors with 422, every error listed, nothing written", async () => {
    const r = await post(`${CSV}low-birth-weight,Atlantis,2022,7,7,100\nlow-birth-weight,W06000001,2022-23,7,7,100\n`);
    expect(r.statusCode).toBe(422);
    const s = r.json();
    expect(s.ok).toBe(false);
    expect(s.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [4, "unknown_area"],
      [5, "wrong_period_type"],
    ]);
    expect(await visibleObservations(t.database.db, { includeDrafts: true })).toEqual([]);
  });

  it("takes an XLSX body and a multipart form with a mapping", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Data");
    ws.addRow(["measure_code", "area_code", "period", "value", "numerator", "denominator"]);
    ws.addRow(["low-birth-weight", "W06000015", 2022, 7.1, 300, 4225]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await post(xlsx, "", {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ format: "xlsx", counts: { new: 1 } });

    const boundary = "----omf-api-test";
    const wide = "Local authority,2019,2020\nCardiff,7.0,7.2\nCaerdydd,,\n";
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="mapping"; filename="m.yaml"\r\nContent-Type: text/yaml\r\n\r\n` +
      "measure: low-birth-weight\nwide: { areaColumn: Local authority }\n\r\n" +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="wide.csv"\r\nContent-Type: text/csv\r\n\r\n${wide}\r\n--${boundary}--\r\n`;
    const m = await post(body, "?format=wide&dryRun=1", {
      "content-type": `multipart/form-data; boundary=${boundary}`,
    });
    expect(m.statusCode).toBe(200);
    expect(m.json()).toMatchObject({ ok: true, format: "wide", file: "wide.csv", counts: { rows: 2, new: 2 } });
  });

  it("explains bad options and media types", async () => {
    expect((await post(CSV, "?format=pdf")).json()).toMatchObject({ error: "bad_request" });
    expect((await post(CSV, "?publishAt=tomorrow")).statusCode).toBe(400);
    expect((await post("", "")).statusCode).toBe(400);
    expect((await post("<x/>", "", { "content-type": "application/xml" })).statusCode).toBe(415);
  });

  it("is described in the OpenAPI document", async () => {
    const doc = (await t.app.inject({ url: "/api/v1/openapi.json" })).json();
    expect(doc.paths["/api/v1/imports"].post.responses["422"]).toBeDefined();
    expect(doc.components.schemas.ImportSummary).toBeDefined();
  });
});

describe("POST /api/v1/imports refuses hostile and awkward files with a clear 422 (issue 11 items 5, 7, 8, 16)", () => {
  const HEADER = "measure_code,area_code,period,value,numerator,denominator\n";

  const apiTemp = () => readdirSync(tmpdir()).filter((n) => n.startsWith("omf-api-import-"));

  async function refused(body: string | Buffer, code: string, type = "text/csv") {
    const before = apiTemp();
    const r = await post(body, "?dryRun=true", { "content-type": type });
    // the request's temporary folder is gone (removed as the response is sent)
    await expect.poll(() => apiTemp().filter((n) => !before.includes(n)), { timeout: 5000 }).toEqual([]);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(422);
    expect(r.body.length).toBeLessThan(4000);
    const s = r.json();
    expect(s.ok).toBe(false);
    expect(s.errors.map((e: { code: string }) => e.code)).toEqual([code]);
    return s.errors[0].message as string;
  }

  it("a 40 MB single line and a 50 KB cell, echoing only an excerpt", async () => {
    expect(await refused(`${HEADER}${"x".repeat(40 * 1024 * 1024)}\n`, "row_too_long")).toMatch(/too long/);
    const cell = await refused(`${HEADER}low-birth-weight,${"Q".repeat(50_000)},2022,7,7,100\n`, "cell_too_long");
    expect(cell).not.toContain("Q".repeat(100));
  }, 120_000);

  it("CR-only line endings, a header without rows and Windows-1252 text", async () => {
    expect(await refused(`${CSV}`.replaceAll("\n", "\r"), "cr_line_endings")).toContain("carriage return");
    expect(await refused(HEADER, "no_rows")).toContain("no rows of data");
    const cp1252 = Buffer.concat([
      Buffer.from(`${HEADER}low-birth-weight,W06000015,2022,7,7,10`),
      Buffer.from([0x92, 0x0a]),
    ]);
    expect(await refused(cp1252, "not_utf8")).toMatch(/line 2, byte [\d,]+ \(0x92.*Windows-1252/);
  });

  it("a damaged workbook is a 422, not a server error", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Data").addRow(["measure_code", "area_code", "period", "value"]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    for (let i = 0; i < 30; i++) bytes[300 + i * 61] = 0x5a;
    const type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    expect(await refused(bytes, "xlsx_damaged", type)).toContain("the workbook is damaged");
  });
});
