import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DsrFrequencyRow, type DsrRow, dsr } from "../../src/stats/dsr.ts";

const ESP2013 = [
  5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
];

const area = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 100, max: 100000 })), {
    minLength: 19,
    maxLength: 19,
  })
  .map((bands) =>
    bands.map(([count, population], i): DsrRow => ({ count, population, standardPopulation: ESP2013[i]! })),
  );

describe("dsr (METHODS §5)", () => {
  it("limits bracket the value when published", () => {
    fc.assert(
      fc.property(area, fc.constantFrom(0.95, 0.998), (rows, c) => {
        const r = dsr(rows, { confidence: c });
        if (r.suppressed) return r.value === null;
        return r.lower! <= r.value! && r.value! <= r.upper!;
      }),
    );
  });
  it("99.8% limits are wider than 95% limits", () => {
    fc.assert(
      fc.property(area, (rows) => {
        const a = dsr(rows);
        const b = dsr(rows, { confidence: 99.8 });
        fc.pre(!a.suppressed);
        return b.lower! < a.lower! && b.upper! > a.upper!;
      }),
    );
  });
  it("limits narrow when counts and populations scale up together", () => {
    fc.assert(
      fc.property(area, fc.integer({ min: 2, max: 20 }), (rows, k) => {
        const small = dsr(rows);
        fc.pre(!small.suppressed);
        const large = dsr(rows.map((r) => ({ ...r, count: (r.count ?? 0) * k, population: r.population * k })));
        return large.upper! - large.lower! < small.upper! - small.lower!;
      }),
    );
  });
  it("suppresses a total count below 10 and treats missing counts as 0", () => {
    const rows: DsrRow[] = ESP2013.map((w, i) => ({
      count: i === 0 ? null : i < 10 ? 1 : 0,
      population: 1000,
      standardPopulation: w,
    }));
    const r = dsr(rows);
    expect(r).toMatchObject({
      value: null,
      lower: null,
      upper: null,
      totalCount: 9,
      suppressed: true,
      method: "Dobson",
    });
    rows[18] = { ...rows[18]!, count: 1 };
    expect(dsr(rows)).toMatchObject({ totalCount: 10, suppressed: false });
  });
  it("with every individual having one event, the non-independent method equals the independent one", () => {
    fc.assert(
      fc.property(area, (rows) => {
        const frequencyRows: DsrFrequencyRow[] = rows.map((r, i) => ({ ...r, ageBand: `band${i}`, eventFrequency: 1 }));
        const a = dsr(rows);
        const b = dsr(frequencyRows, { independentEvents: false });
        if (a.suppressed) return b.suppressed;
        return (
          Math.abs(a.value! - b.value!) <= 1e-12 * a.value! &&
          Math.abs(a.lower! - b.lower!) <= 1e-12 * a.value! &&
          b.method === "Dobson, with confidence adjusted for non-independent events"
        );
      }),
    );
  });
  it("repeat events widen the interval relative to treating them as independent", () => {
    const base = ESP2013.map((w, i) => ({ population: 1000, standardPopulation: w, ageBand: `b${i}` }));
    const rows: DsrFrequencyRow[] = [
      ...base.map((b) => ({ ...b, eventFrequency: 1, count: 10 })),
      ...base.map((b) => ({ ...b, eventFrequency: 3, count: 5 })),
    ];
    const independent = dsr(base.map((b) => ({ ...b, count: 25 })));
    const adjusted = dsr(rows, { independentEvents: false });
    expect(adjusted.value).toBeCloseTo(independent.value!, 9);
    expect(adjusted.totalCount).toBe(independent.totalCount);
    expect(adjusted.totalPopulation).toBe(19000);
    expect(adjusted.upper! - adjusted.lower!).toBeGreaterThan(independent.upper! - independent.lower!);
  });
  it("throws for bad inputs, naming the argument", () => {
    const ok: DsrRow = { count: 10, population: 100, standardPopulation: 5000 };
    expect(() => dsr([])).toThrow(/non-empty/);
    expect(() => dsr([{ ...ok, count: -1 }])).toThrow(/rows\[0\]\.count must be >= 0/);
    expect(() => dsr([{ ...ok, population: 0 }])).toThrow(/rows\[0\]\.population must be > 0/);
    expect(() => dsr([{ ...ok, standardPopulation: -1 }])).toThrow(/standardPopulation must be >= 0/);
    expect(() => dsr([{ ...ok, standardPopulation: 0 }])).toThrow(/must not sum to 0/);
    expect(() => dsr([{ ...ok, count: Number.NaN }])).toThrow(/rows\[0\]\.count must be a finite number/);
    expect(() => dsr([ok], { multiplier: 0 })).toThrow(/multiplier/);
    expect(() =>
      dsr(
        [
          { ...ok, ageBand: "0-4", eventFrequency: 1 },
          { ...ok, population: 99, ageBand: "0-4", eventFrequency: 2 },
        ],
        { independentEvents: false },
      ),
    ).toThrow(/different population/);
  });
});
