/**
 * Fuzzing of the parsers every import and request goes through (issue 19), seeded (test/support/fuzz.ts,
 * docs/testing.md): periods of every type, plan periods, area names and codes, and the query strings of the API and
 * the pages. Never a crash: a result or the project's own refusal, with a message; what parses, parses again to
 * itself.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { csvQuery as analysisCsvQuery, compareQuery, gapsQuery, listQuery } from "../../src/api/analysis.ts";
import { jsonQuery } from "../../src/api/data.ts";
import { parseQuery } from "../../src/api/query.ts";
import { createAreaMatcher, normaliseAreaName, withAreaAliases } from "../../src/domain/area-name.ts";
import { InvalidError } from "../../src/domain/errors.ts";
import { parsePeriod } from "../../src/domain/period-parse.ts";
import { PERIOD_TYPES } from "../../src/domain/period-type.ts";
import { PlanPeriodError, parsePlanPeriod } from "../../src/domain/plans/plan-period.ts";
import { many, one, parsePageQuery } from "../../src/web/pages/query-schemas.ts";
import { fuzz, fuzzRuns } from "../support/fuzz.ts";

const RUNS = fuzzRuns(10_000);

/** Period-like text: pieces of real periods put together wrongly, and anything at all. */
const periodText = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.oneof(
          fc.constantFrom(
            "2019",
            "20",
            "2019-20",
            "Q1",
            "Q5",
            "-",
            "/",
            " ",
            "to",
            "FY",
            "AY",
            "Mar",
            "March",
            "Mawrth",
            "31",
            "00",
            "1899",
            "9999",
            "2019-02-29",
            "2020-02-29",
            "T",
            "Z",
            "w/e",
            "年",
          ),
          fc.integer({ min: -10, max: 100000 }).map(String),
        ),
        { maxLength: 5 },
      )
      .map((parts) => parts.join("")),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
);

describe("fuzzing the parsers", () => {
  it(`parses or refuses ${RUNS} periods of every type, each parse stable`, async () => {
    await fuzz(
      "periods",
      RUNS,
      fc.asyncProperty(periodText, fc.constantFrom(undefined, ...PERIOD_TYPES), async (text, type) => {
        const r = parsePeriod(text, type);
        if (!r.ok) {
          expect(r.error.trim()).not.toBe("");
          expect(r.code).toBeTruthy();
          return;
        }
        if (type) expect(r.period.type).toBe(type);
        expect(r.period.start <= r.period.end).toBe(true);
        const again = parsePeriod(r.period.code, r.period.type);
        expect(again.ok && again.period).toEqual(r.period);
      }),
    );
  }, 300_000);

  it(`parses or refuses ${RUNS} plan periods`, async () => {
    await fuzz(
      "plan periods",
      RUNS,
      fc.asyncProperty(periodText, async (text) => {
        try {
          const p = parsePlanPeriod(text);
          expect(parsePlanPeriod(p.slug).slug).toBe(p.slug);
        } catch (error) {
          if (!(error instanceof PlanPeriodError)) throw error;
          expect(error.message).toContain("");
        }
      }),
    );
  }, 300_000);

  it(`matches ${RUNS} area names and codes to one area or none`, async () => {
    const areas = withAreaAliases([
      { code: "W92000004", nameEn: "Wales", nameCy: "Cymru", aliases: [], type: "country" },
      { code: "W06000001", nameEn: "Isle of Anglesey", nameCy: "Ynys Môn", aliases: [], type: "local_authority" },
      { code: "W06000015", nameEn: "Cardiff", nameCy: "Caerdydd", aliases: [], type: "local_authority" },
      { code: "W06000014", nameEn: "Vale of Glamorgan", nameCy: "Bro Morgannwg", aliases: [], type: "local_authority" },
    ]);
    const matcher = createAreaMatcher(areas);
    const codes = new Set(areas.map((a) => a.code));
    const name = fc.oneof(
      fc.constantFrom(
        "Cardiff",
        "CARDIFF ",
        "Caerdydd",
        "The Vale of Glamorgan",
        "Bro Morgannwg",
        "Ynys Mon",
        "Isle of Anglesey County Council",
        "w06000015",
        "W0600001",
        "Wales",
        "Cymru",
        "",
      ),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "binary", maxLength: 12 }),
    );
    await fuzz(
      "area names",
      RUNS,
      fc.asyncProperty(name, fc.string({ maxLength: 3 }), async (text, noise) => {
        expect(typeof normaliseAreaName(text + noise)).toBe("string");
        const m = matcher.match(text + noise);
        if (m) expect(codes.has(m.code)).toBe(true);
      }),
    );
  }, 300_000);

  it(`parses or refuses ${RUNS} query strings of the API and the pages, naming the parameter`, async () => {
    const apiSchemas = [jsonQuery, listQuery, analysisCsvQuery, gapsQuery, compareQuery];
    const pageSchema = z.object({ measure: one, area: many, period: one, sort: one.optional() });
    const key = fc.constantFrom(
      "measure",
      "area",
      "period",
      "breakdown",
      "page",
      "pageSize",
      "sort",
      "comparator",
      "sex",
      "from",
      "to",
      "__proto__",
      "constructor",
      "",
      "measure[]",
    );
    const value = fc.oneof(
      fc.constantFrom("low-birth-weight", "W06000015", "2019-20", "1", "0", "-1", "1e9", "NaN", "", ",", ",,,", "a,b"),
      fc.string({ maxLength: 20 }),
    );
    const query = fc.dictionary(key, fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 5 });
    await fuzz(
      "query strings",
      RUNS,
      fc.asyncProperty(query, fc.nat({ max: apiSchemas.length - 1 }), async (q, i) => {
        try {
          parseQuery(apiSchemas[i]!, q);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidError);
          expect((error as InvalidError).message).toMatch(/^Invalid query string: /);
        }
        try {
          parsePageQuery(pageSchema, q, (field, v) => new InvalidError(`${field}: ${v}`));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidError);
        }
      }),
    );
  }, 300_000);
});
