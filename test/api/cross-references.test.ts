/**
 * Cross-references to other national frameworks (issue 15): the framework content gives measures their codes in the
 * National Strategic Indicators, the 2006 child poverty indicators and the social services measures, only those
 * DOMAIN.md §3 confirms; the JSON API shows them and finds "the OMF measure that is NSI EDU/002i"; the measure page
 * shows them in English and Welsh and the measures search finds a measure by them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await demoApp();
}, 300_000);
afterAll(async () => {
  await t.close();
});

const json = async (url: string) => {
  const r = await t.app.inject({ url });
  return { status: r.statusCode, body: r.json() as { data: Record<string, unknown>[] | Record<string, unknown> } };
};

describe("cross-references to other national frameworks", () => {
  it("ships the confirmed codes in the framework content, and no recalled ones", async () => {
    const view = (await t.app.services.framework.current())!;
    const refs = Object.fromEntries(
      view.measures.filter((m) => m.crossReferences.length).map((m) => [m.code, m.crossReferences]),
    );
    expect(refs).toEqual({
      "ks2-core-subject-indicator": [{ framework: "nsi", code: "EDU/003" }],
      "left-education-without-qualification": [{ framework: "nsi", code: "EDU/002i" }],
      "looked-after-qualification-points-score": [{ framework: "nsi", code: "SCC/037" }],
      "under-18-conception-rate": [{ framework: "child_poverty_2006", code: "12" }],
      "ks3-welsh-first-language": [{ framework: "nsi", code: "EDU/006ii" }],
      "looked-after-three-placements": [
        { framework: "nsi", code: "SCC/004" },
        { framework: "social_services", code: "CH/043" },
      ],
      "overcrowded-households-with-children": [{ framework: "child_poverty_2006", code: "19" }],
      "children-in-workless-households": [{ framework: "child_poverty_2006", code: "22" }],
    });
    // recalled, not confirmed (DOMAIN.md §3.3): never shipped
    const all = Object.values(refs).flatMap((r) => r.map((x) => x.code));
    for (const recalled of ["EDU/016a", "EDU/016b", "EDU/017", "SCC/033f"]) expect(all).not.toContain(recalled);
  });

  it("are in the JSON API, and the API finds the OMF measure that is NSI EDU/002i", async () => {
    const one = await json("/api/v1/measures/left-education-without-qualification");
    expect((one.body.data as Record<string, unknown>).crossReferences).toEqual([
      { framework: "nsi", code: "EDU/002i" },
    ]);
    for (const q of ["EDU/002i", "edu/002I", "nsi:EDU/002i"]) {
      const found = await json(`/api/v1/measures?reference=${encodeURIComponent(q)}`);
      expect(found.status).toBe(200);
      expect((found.body.data as { code: string }[]).map((m) => m.code)).toEqual([
        "left-education-without-qualification",
      ]);
    }
    // EDU/002ii is another indicator (pupils in care): not a match for EDU/002i, and not in the framework
    expect((await json("/api/v1/measures?reference=EDU/002ii")).body.data).toEqual([]);
    expect((await json("/api/v1/measures?reference=child_poverty_2006:22")).body.data).toMatchObject([
      { code: "children-in-workless-households" },
    ]);
    expect((await json("/api/v1/measures?reference=social_services:EDU/002i")).body.data).toEqual([]);
  });

  it("are on the measure page in English and Welsh, and the measures search finds a measure by its code", async () => {
    for (const [lang, words] of [
      [
        "en",
        [
          "In other national frameworks",
          "National Strategic Indicator SCC/004",
          "Social services performance measure CH/043",
        ],
      ],
      [
        "cy",
        [
          "Mewn fframweithiau cenedlaethol eraill",
          "Dangosydd Strategol Cenedlaethol SCC/004",
          "Mesur perfformiad gwasanaethau cymdeithasol CH/043",
        ],
      ],
    ] as const) {
      const page = await t.app.inject({ url: `/${lang}/measures/looked-after-three-placements` });
      expect(page.statusCode).toBe(200);
      for (const w of words) expect(page.body).toContain(w);
      const search = await t.app.inject({ url: `/${lang}/measures?q=${encodeURIComponent("EDU/002i")}` });
      expect(search.statusCode).toBe(200);
      expect(search.body).toContain(`href="/${lang}/measures/left-education-without-qualification"`);
      expect(search.body).not.toContain(`href="/${lang}/measures/low-birth-weight"`);
    }
    const none = await t.app.inject({ url: "/en/measures/low-birth-weight" });
    expect(none.body).not.toContain('id="cross-references"');
  });
});
