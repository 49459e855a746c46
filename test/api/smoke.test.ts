import { afterAll, beforeAll, expect, it } from "vitest";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";
let t: TestApp;
beforeAll(async () => { const s = performance.now(); t = await demoApp(); console.log("demo app", performance.now() - s); });
afterAll(async () => t?.close());
it("smoke", async () => {
  for (const url of ["/api/v1/", "/api/v1/measures", "/api/v1/measures/low-birth-weight", "/api/v1/areas?type=local_authority", "/api/v1/data?measure=low-birth-weight&area=W06000015", "/api/v1/periods?measure=low-birth-weight", "/api/v1/analysis?measure=low-birth-weight&pageSize=2", "/api/v1/analysis/summary", "/api/v1/analysis/compare?measure=low-birth-weight&group=W11000029", "/api/v1/data?measure=nope", "/api/v1/core-aims/CA9", "/api/v1/data?foo=1"]) {
    const r = await t.app.inject(url);
    console.log(url, r.statusCode, r.body.slice(0, 600));
  }
  expect(1).toBe(1);
});
