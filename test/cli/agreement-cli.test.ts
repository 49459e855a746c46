/**
 * `omf agreement score` prints the grant computation of a scheme without the web or a database (words, or JSON with
 * at least points, maximum, successful and grantPayable); `omf demo` adds one illustrative agreement under the
 * 2013–16 preset, shown by `omf agreement list` and on its public page in English and Welsh; `omf demo --remove`
 * removes it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { createServices } from "../../src/services/index.ts";
import { buildApp } from "../../src/web/app.ts";
import { omfInProcess as omf } from "../support/cli.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";

describe("omf agreement score", () => {
  it("prints the arithmetic of the issue's example and the full grant", async () => {
    const r = await omf(
      "agreement score --scheme 2010-13 --fully 6 --partially 3 --unsuccessful 1 --collaboration yes --grant 1254000".split(
        " ",
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(
      "6 fully (18) + 3 partially (6) + 1 unsuccessful (1) = 25 of 30; 9 of 10 successful; collaboration evidenced: full grant £1,254,000",
    );
    expect(r.stdout).toContain("do not state the points");
  });

  it("gives JSON with points, maximum, successful and grantPayable; pro rata without collaboration", async () => {
    const r = await omf(
      "agreement score --scheme 2010-13 --fully 6 --partially 3 --unsuccessful 1 --collaboration no --grant 1254000 --json".split(
        " ",
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ points: 25, maximum: 30, successful: 9, grantPayable: 1_045_000, rule: "pro_rata" });
  });

  it("judges Part 2 of 2013–16 when told, and explains in Welsh", async () => {
    const r = await omf(
      "agreement score --scheme 2013-16 --fully 5 --grant 1000000 --judged corporate_governance=50 --lang cy".split(
        " ",
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Grant i'w dalu: £850,000 o £1,000,000.");
  });

  it("refuses inconsistent input with one line naming the problem", async () => {
    const r = await omf("agreement score --scheme 2010-13 --fully 6 --grant 5".split(" "));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("omf: the assessments add up to 6 outcomes; scheme 2010-13 has 10\n");
    const s = await omf("agreement score --scheme 1999-02 --fully 6 --grant 5".split(" "));
    expect(s.stderr).toContain("no scheme 1999-02 (known: 2010-13, 2013-16)");
  });
});

describe("the demo agreement", () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDemoDatabase();
  }, 300_000);
  afterAll(async () => {
    await database.close();
  });

  it("is added once by omf demo, listed, and shown to the public in English and Welsh", async () => {
    const first = await omf(["demo"], { database });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("added 1 illustrative outcome agreement");
    expect((await omf(["demo"], { database })).stdout).toContain("demo agreement already loaded");
    const list = JSON.parse((await omf(["agreement", "list", "--json"], { database })).stdout);
    expect(list).toMatchObject([
      { authority: "W06000014", period: "2013-16", scheme: "2013-16/v1", status: "agreed", illustrative: true },
    ]);

    const app = await buildApp({ services: createServices({ database, analysis: "inline" }) });
    try {
      const en = await app.inject({ url: "/en/agreements/W06000014/2013-16" });
      expect(en.statusCode).toBe(200);
      // 3 fully (6) + 1 partially (1) + 1 moderated to unsuccessful (0) = 7 of 10: 7/10 × £877,800 + £376,200
      expect(en.body).toContain(
        "3 fully (6) + 1 partially (1) + 1 unsuccessful (0) = 7 of 10; 4 of 5 successful: pro rata £614,460",
      );
      expect(en.body).toContain("Grant payable: £990,660 of £1,254,000.");
      expect(en.body).toContain("On the authority&#39;s own assessments, before moderation:");
      expect(en.body).toContain("Illustrative");
      expect(en.body).toContain("Not changed by moderation");
      const cy = await app.inject({ url: "/cy/agreements/W06000014/2013-16" });
      expect(cy.statusCode).toBe(200);
      expect(cy.body).toContain("Cytundeb canlyniadau");
      expect(cy.body).toContain("Llwyddiannus yn rhannol");
      expect(cy.body).toContain("Grant i&#39;w dalu: £990,660 o £1,254,000.");
      const listPage = await app.inject({ url: "/cy/agreements" });
      expect(listPage.statusCode).toBe(200);
      expect(listPage.body).toContain("/cy/agreements/W06000014/2013-16");
      expect((await app.inject({ url: "/en/agreements/W06000015/2013-16" })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("is removed by omf demo --remove with everything in it, audited", async () => {
    const r = await omf(["demo", "--remove"], { database });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("removed 1 illustrative outcome agreement");
    expect(JSON.parse((await omf(["agreement", "list", "--json"], { database })).stdout)).toEqual([]);
    const services = createServices({ database, analysis: "inline" });
    expect((await services.audit.trail("agreement", "illustrative")).map((e) => e.action)).toEqual([
      "agreement.demo.remove",
    ]);
  });
});
