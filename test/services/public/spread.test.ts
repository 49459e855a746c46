import { describe, expect, it } from "vitest";
import type { AnalysisResult } from "../../../src/services/analysis/index.ts";
import { quantileOf, spreadOf } from "../../../src/services/public/area-profile-data.ts";

describe("spread of areas for the spine chart", () => {
  it("interpolates quantiles like R type 7 / Excel PERCENTILE.INC", () => {
    expect(quantileOf([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileOf([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantileOf([5], 0.5)).toBe(5);
    expect(quantileOf([], 0.5)).toBeNull();
  });

  it("uses local authorities with a published value only", () => {
    const r = (areaType: string, value: number | null, suppressed = false) =>
      ({ areaType, value, suppressed }) as unknown as AnalysisResult;
    expect(
      spreadOf([
        r("country", 100),
        r("local_authority", 1),
        r("local_authority", 9),
        r("local_authority", 50, true),
        r("local_authority", null),
        r("local_authority", 5),
      ]),
    ).toEqual({ min: 1, max: 9, q25: 3, q75: 7 });
  });
});
