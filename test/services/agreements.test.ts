import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../src/domain/errors.ts";
import type { AgreementActor } from "../../src/services/agreements/index.ts";
import { createServices, type Services } from "../../src/services/index.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";

const VALE = "W06000014";
const CARDIFF = "W06000015";
const national: AgreementActor = {
  id: null,
  email: "wg@gov.wales",
  role: "national_admin",
  areaCodes: [],
  channel: "cli",
};
const analyst: AgreementActor = { ...national, email: "an@gov.wales", role: "national_analyst" };
const valeEditor: AgreementActor = {
  ...national,
  email: "ed@vale.example",
  role: "partnership_editor",
  areaCodes: [VALE],
};
const cardiffEditor: AgreementActor = { ...valeEditor, email: "ed@cardiff.example", areaCodes: [CARDIFF] };
const ref = { areaCode: VALE, period: "2013-16" };

let database: Database;
let services: Services;
let measureCode: string;

beforeAll(async () => {
  database = await freshDemoDatabase();
  services = createServices({ database, analysis: "inline" });
  const view = (await services.framework.current())!;
  measureCode = view.measures.find((m) => m.tier === "high_level" && m.status === "live")!.code;
}, 300_000);
afterAll(async () => {
  await database.close();
});

const outcome = (n: number) => ({
  title: { en: `Outcome ${n}`, cy: `Canlyniad ${n}` },
  measureCodes: [measureCode],
  targets: [{ measureCode, period: "2099-00", value: 1 }],
});

describe("outcome agreements", () => {
  it("ships the two presets as scheme version 1, and only national administrators version a scheme", async () => {
    const schemes = await services.agreements.schemes.list();
    expect(schemes.map((s) => [s.code, s.version])).toEqual([
      ["2010-13", 1],
      ["2013-16", 1],
    ]);
    const s = schemes[0]!.definition;
    await expect(services.agreements.schemes.save(analyst, s, "try")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.agreements.schemes.save(national, { ...s, outcomes: 0 }, "bad")).rejects.toBeInstanceOf(
      InvalidError,
    );
  });

  it("negotiates a draft (national roles only), hidden from the public and other authorities", async () => {
    await expect(
      services.agreements.create(valeEditor, {
        areaCode: VALE,
        period: "2013-16",
        scheme: "2013-16",
        grant: 1_000_000,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      services.agreements.create(national, { areaCode: "W92000004", period: "2013-16", scheme: "2013-16", grant: 1 }),
    ).rejects.toBeInstanceOf(InvalidError);
    const a = await services.agreements.create(national, {
      areaCode: VALE,
      period: "2013-16",
      scheme: "2013-16",
      grant: 1_000_000,
    });
    expect(a).toMatchObject({ status: "draft", grantPence: 100_000_000, startYear: 2013, endYear: 2016 });
    for (let n = 1; n <= 4; n++) await services.agreements.addOutcome(national, ref, outcome(n));
    await expect(services.agreements.agree(national, ref, { authority: "Leader" })).rejects.toMatchObject({
      code: "outcomes_missing",
    });
    await services.agreements.addOutcome(analyst, ref, outcome(5));
    await expect(services.agreements.addOutcome(national, ref, outcome(6))).rejects.toBeInstanceOf(ConflictError);
    await expect(services.agreements.get(null, ref)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.agreements.get(cardiffEditor, ref)).rejects.toBeInstanceOf(NotFoundError);
    expect((await services.agreements.get(valeEditor, ref)).outcomes).toHaveLength(5);
    expect((await services.agreements.list(null)).some((r) => r.areaCode === VALE)).toBe(false);
  });

  it("refuses self-assessment before agreement; once agreed (through the shared workflow, both sides recorded) its terms cannot change, and it is public once its summary is published", async () => {
    await expect(
      services.agreements.selfAssess(valeEditor, ref, {
        outcome: 1,
        year: "2013-14",
        category: "fully",
        evidence: "x",
      }),
    ).rejects.toMatchObject({ code: "agreement_not_agreed" });
    await expect(
      services.agreements.agree(national, ref, { authority: "Leader", authorityOn: "2013-02-30" }),
    ).rejects.toMatchObject({ code: "invalid_date" });
    await expect(services.agreements.agree(valeEditor, ref, { authority: "Leader" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const agreed = await services.agreements.agree(national, ref, {
      authority: "Leader of the council",
      authorityOn: "2013-04-02",
      government: "Minister for Local Government",
      governmentOn: "2013-04-01",
    });
    expect(agreed).toMatchObject({
      status: "agreed",
      agreedByAuthority: "Leader of the council",
      authorityAgreedOn: "2013-04-02",
      agreedByGovernment: "Minister for Local Government",
      governmentAgreedOn: "2013-04-01",
    });
    await expect(services.agreements.addOutcome(national, ref, outcome(6))).rejects.toMatchObject({
      code: "agreement_agreed",
    });
    await expect(services.agreements.agree(national, ref, { authority: "x" })).rejects.toMatchObject({
      code: "agreement_agreed",
    });
    await expect(services.agreements.get(null, ref)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.agreements.get(cardiffEditor, ref)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.agreements.publishSummary(analyst, ref, true)).rejects.toBeInstanceOf(ForbiddenError);
    await services.agreements.publishSummary(national, ref, true);
    expect((await services.agreements.get(null, ref)).agreement.status).toBe("agreed");
    const trail = await services.audit.trail("agreement", `${VALE}/2013-16`);
    expect(trail.map((e) => e.action)).toEqual([
      "agreement.create",
      ...Array(5).fill("agreement.outcome.add"),
      "submit",
      "approve",
      "agreement.publish_summary",
    ]);
    expect(trail.find((e) => e.action === "approve")?.reason).toContain("Minister for Local Government on 2013-04-01");
  });

  it("lets only the authority's editors self-assess, year by year, keeping every version", async () => {
    const assess = (actor: AgreementActor, outcomeN: number, category: string, extra: object = {}) =>
      services.agreements.selfAssess(actor, ref, {
        outcome: outcomeN,
        year: "2013-14",
        category,
        evidence: `Evidence for ${outcomeN}`,
        ...extra,
      });
    await expect(assess(cardiffEditor, 1, "fully")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(assess(analyst, 1, "fully")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      services.agreements.selfAssess(valeEditor, ref, {
        outcome: 1,
        year: "2016-17",
        category: "fully",
        evidence: "x",
      }),
    ).rejects.toThrow(/2016-17 is not a year of the agreement \(2013-14, 2014-15, 2015-16\)/);
    await expect(assess(valeEditor, 1, "excellent")).rejects.toBeInstanceOf(InvalidError);
    await expect(assess(valeEditor, 1, "fully", { evidence: "  " })).rejects.toMatchObject({ message: /evidence/ });
    await assess(valeEditor, 1, "partially");
    await assess(valeEditor, 1, "fully");
    for (const n of [2, 3, 4]) await assess(valeEditor, n, "fully");
    const partial = await services.agreements.get(null, ref);
    expect(partial.years[0]).toMatchObject({ year: "2013-14", assessed: 4, authority: null, moderated: null });
    await assess(valeEditor, 5, "partially");
    const d = await services.agreements.get(null, ref);
    expect(d.outcomes[0]!.assessments[0]!.history.map((a) => a.category)).toEqual(["partially", "fully"]);
    expect(d.outcomes[0]!.assessments[0]!.self?.version).toBe(2);
    // 4 fully (8) + 1 partially (1) = 9 of 10: Part 1 is 9/10 of £700,000; Part 2 not judged yet
    expect(d.years[0]!.moderated).toMatchObject({ points: 9, maximum: 10, grantPayable: null });
    expect(d.years[0]!.moderated!.parts[0]!.payablePence).toBe(63_000_000);
  });

  it("moderation changes the result with a recorded reason, and both assessments stay visible", async () => {
    await expect(
      services.agreements.moderate(valeEditor, ref, {
        outcome: 2,
        year: "2013-14",
        category: "partially",
        reason: "r",
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      services.agreements.moderate(national, ref, { outcome: 2, year: "2013-14", category: "partially", reason: " " }),
    ).rejects.toMatchObject({ message: /reason/ });
    await expect(
      services.agreements.moderate(national, ref, { outcome: 2, year: "2014-15", category: "partially", reason: "r" }),
    ).rejects.toMatchObject({ code: "not_assessed" });
    await services.agreements.moderate(analyst, ref, {
      outcome: 2,
      year: "2013-14",
      category: "partially",
      reason: "The evidence shows the target was not met",
    });
    await services.agreements.judgePart(national, ref, {
      year: "2013-14",
      part: "corporate_governance",
      percent: 100,
      reason: "Auditor General's report",
    });
    const d = await services.agreements.get(null, ref);
    const pair = d.outcomes[1]!.assessments[0]!;
    expect([pair.self?.category, pair.moderated?.category, pair.moderated?.reason]).toEqual([
      "fully",
      "partially",
      "The evidence shows the target was not met",
    ]);
    expect(d.years[0]!.authority).toMatchObject({ points: 9, grantPayable: 630_000 + 300_000 });
    expect(d.years[0]!.moderated).toMatchObject({ points: 8, grantPayable: 560_000 + 300_000 });
    const trail = await services.audit.trail("agreement", `${VALE}/2013-16`);
    expect(trail.find((e) => e.action === "agreement.moderate")).toMatchObject({
      reason: "The evidence shows the target was not met",
      before: { outcome: 2, category: "fully" },
      after: { outcome: 2, category: "partially" },
    });
  });

  it("keeps the scheme version an agreement was made under when the scheme is changed", async () => {
    const current = (await services.agreements.schemes.list()).find((s) => s.code === "2013-16")!;
    const next = await services.agreements.schemes.save(
      national,
      { ...current.definition, points: { fully: 2, partially: 0, unsuccessful: 0 } },
      "partially successful earns nothing from now on",
    );
    expect(next.version).toBe(2);
    const d = await services.agreements.get(null, ref);
    expect(d.schemeVersion).toBe(1);
    expect(d.scheme.points.partially).toBe(1);
    expect((await services.audit.trail("agreement_scheme", "2013-16/v2"))[0]?.reason).toBe(
      "partially successful earns nothing from now on",
    );
  });

  it("changes an agreed agreement only by variations with a reason, each keeping what it replaced", async () => {
    await expect(
      services.agreements.vary(national, ref, { kind: "grant", grant: 1_100_000, reason: " " }),
    ).rejects.toMatchObject({ code: "reason" });
    await expect(
      services.agreements.vary(valeEditor, ref, { kind: "grant", grant: 1_100_000, reason: "r" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await services.agreements.vary(national, ref, {
      kind: "grant",
      grant: 1_100_000,
      reason: "The grant for the authority was increased",
    });
    await services.agreements.vary(analyst, ref, {
      kind: "outcome",
      outcome: 3,
      reason: "The measure was replaced by a local one",
      title: { en: "Outcome 3, varied", cy: "Canlyniad 3, wedi'i amrywio" },
      measureCodes: [],
      localMeasures: ["Adults supported at home"],
    });
    const d = await services.agreements.get(null, ref);
    expect(d.agreement.grantPence).toBe(110_000_000);
    expect(d.outcomes[2]).toMatchObject({
      title: { en: "Outcome 3, varied" },
      measureCodes: [],
      localMeasures: ["Adults supported at home"],
    });
    expect(d.variations.map((v) => [v.number, v.kind, v.reason])).toEqual([
      [1, "grant", "The grant for the authority was increased"],
      [2, "outcome", "The measure was replaced by a local one"],
    ]);
    expect(d.variations[0]!.before).toEqual({ grantPence: 100_000_000 });
    expect(d.variations[1]!.before).toMatchObject({
      title: { en: "Outcome 3", cy: "Canlyniad 3" },
      measureCodes: [measureCode],
      targets: [{ measureCode, period: "2099-00", value: 1 }],
    });
    // the grant payable follows the varied grant: 8 of 10 of £770,000 plus the full £330,000 judged part
    expect(d.years[0]!.moderated).toMatchObject({ points: 8, grantPayable: 616_000 + 330_000 });
    const trail = await services.audit.trail("agreement", `${VALE}/2013-16`);
    expect(trail.filter((e) => e.action === "agreement.vary").map((e) => e.reason)).toEqual([
      "The grant for the authority was increased",
      "The measure was replaced by a local one",
    ]);
  });
});
