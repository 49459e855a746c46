import { describe, expect, it } from "vitest";
import type { FrameworkView, MeasureView } from "../../../src/services/framework-service.ts";
import {
  filterMeasures,
  measureTitle,
  searchKey,
  sortMeasuresByTitle,
} from "../../../src/services/public/measure-catalogue.ts";

const m = (code: string, en: string, cy: string | undefined, extra: Partial<MeasureView> = {}) =>
  ({
    code,
    title: { en, cy },
    shortTitle: null,
    coreAims: ["CA1"],
    articles: [24],
    tier: "high_level",
    status: "live",
    group: null,
    ...extra,
  }) as unknown as MeasureView;

const measures = [
  m("low-birth-weight", "Low birth weight babies", "Babanod pwysau geni isel"),
  m("llaeth", "Breastfeeding", "Bwydo llaeth", { tier: "additional", coreAims: ["CA1", "CA3"], articles: [6] }),
  m("lori", "Road casualties", "Damweiniau lorïau", { coreAims: ["CA6"], status: "in_development" }),
  m("chwarae", "Play", "Chwarae", {
    coreAims: ["CA4"],
    group: { code: "play", title: { en: "Play", cy: "Chwarae" } } as never,
  }),
  m("cyfrif", "Count only", undefined, { coreAims: ["CA7"], status: "retired" }),
];
const view = { measures } as unknown as FrameworkView;

describe("measure search and filters", () => {
  it("ignores case, accents and apostrophes", () => {
    expect(searchKey("Plant’r LORÏAU")).toBe("plantr loriau");
  });

  it("finds measures by words in either language, each word matching the start of a word", () => {
    expect(filterMeasures(view, { q: "birth" }).map((x) => x.code)).toEqual(["low-birth-weight"]);
    expect(filterMeasures(view, { q: "pwysau geni" }).map((x) => x.code)).toEqual(["low-birth-weight"]);
    expect(filterMeasures(view, { q: "lori" }).map((x) => x.code)).toEqual(["lori"]);
    expect(filterMeasures(view, { q: "irth" })).toEqual([]);
  });

  it("filters by core aim, tier, group, UNCRC article and status", () => {
    expect(filterMeasures(view, { coreAim: "CA3" }).map((x) => x.code)).toEqual(["llaeth"]);
    expect(filterMeasures(view, { tier: "additional" }).map((x) => x.code)).toEqual(["llaeth"]);
    expect(filterMeasures(view, { group: "play" }).map((x) => x.code)).toEqual(["chwarae"]);
    expect(filterMeasures(view, { article: 6 }).map((x) => x.code)).toEqual(["llaeth"]);
    expect(filterMeasures(view, { statuses: ["live"] }).map((x) => x.code)).toEqual([
      "low-birth-weight",
      "llaeth",
      "chwarae",
    ]);
  });

  it("sorts titles in Welsh alphabetical order, falling back to English where there is no Welsh", () => {
    expect(sortMeasuresByTitle(measures, "cy").map((x) => measureTitle(x, "cy"))).toEqual([
      "Babanod pwysau geni isel",
      "Bwydo llaeth",
      "Count only",
      "Chwarae",
      "Damweiniau lorïau",
    ]);
  });
});
