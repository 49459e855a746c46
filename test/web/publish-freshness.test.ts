/**
 * A publication or rollback shows on the very next request (issue 11 item 6: a rolled-back value stayed on the
 * measure page, the series CSV and the area profile for 60 s, until a once-a-minute timer re-analysed): the pages read
 * the stored analysis, which the publishing request brings up to date (in the analysis worker) before it answers,
 * and the cached views are dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../support/import-fixtures.ts";
import { csrfTokenFrom, seededApp, signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await seededApp();
  cookie = (await signInAs(t, "national_admin")).cookie;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const HEADER = "measure_code,area_code,period,value,numerator,denominator\n";
const MEASURE_PAGE = "/en/measures/low-birth-weight?area=W06000015";
const SERIES_CSV = "/en/measures/low-birth-weight/download?area=W06000015&part=series&format=csv";
const AREA_PAGE = "/en/areas/W06000015";

async function draft(value: number, numerator: number): Promise<number> {
  const csv = `${HEADER}low-birth-weight,W92000004,2022,6.2,1900,30645\nlow-birth-weight,W06000015,2022,${value},${numerator},4225\n`;
  const summary = await importCsv(t.database, csv);
  expect(summary.ok).toBe(true);
  return summary.batch!.id;
}

async function batchAction(id: number, action: "publish" | "rollback"): Promise<void> {
  const list = await t.app.inject({ url: "/en/data/batches", headers: { cookie } });
  const r = await t.app.inject({
    method: "POST",
    url: `/en/data/batches/${id}/${action}`,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: csrfTokenFrom(list.body) }).toString(),
  });
  expect(r.statusCode).toBe(303);
}

async function shown(): Promise<string[]> {
  return Promise.all([MEASURE_PAGE, SERIES_CSV, AREA_PAGE].map(async (url) => (await t.app.inject({ url })).body));
}

describe("publication and rollback on the next request", () => {
  it("show a published value and withdraw a rolled-back one at once on the measure page, series CSV and area profile", async () => {
    const first = await draft(7.1, 300);
    await shown(); // the views are cached before the publication
    await batchAction(first, "publish");
    for (const body of await shown()) expect(body).toContain("7.1");

    const second = await draft(12.3, 520);
    await batchAction(second, "publish");
    for (const body of await shown()) {
      expect(body).toContain("12.3");
    }
    await batchAction(second, "rollback");
    const [measure, series, area] = await shown();
    for (const body of [measure!, series!, area!]) {
      expect(body).not.toContain("12.3");
      expect(body).toContain("7.1");
    }
  }, 180_000);
});
