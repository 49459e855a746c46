/**
 * A reconstruction attack on disclosure control (issue 11 items 2 and 3), over every value type the framework
 * supports. For each value type there is a measure that suppresses counts below 5 and one that rounds counts to 5.
 * Small counts go in through the real import path and are published and analysed; then everything public is read as
 * an attacker would: the measure pages (English and Welsh), the map, compare and overview pages, the area profile, the
 * series/areas/profile/map/compare/overview CSV and XLSX downloads, the JSON API and its CSV, the stored analysis (API), and `omf export` in CSV, XLSX and JSON-stat.
 *
 * - Nothing of a suppressed value may appear: not its value, counts, limits, rank, quintile or comparison.
 * - Where counts are rounded, every published figure must agree with the rounded counts: value × denominator ÷
 *   multiplier gives the rounded numerator back, not the raw one; limits are those of the rounded counts; a mean's
 *   numerator (total ÷ mean = number of people) is not published; no raw denominator, raw value, raw limit or raw
 *   total appears anywhere, in any number format.
 * - A value without the count the rule needs is refused at import (row and field named) and, if one is stored
 *   anyway (a rule added to a measure later), it is suppressed whole.
 */
import { PassThrough } from "node:stream";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roundToBase } from "../../src/domain/disclosure.ts";
import { VALUE_TYPES } from "../../src/domain/enums.ts";
import { loadFrameworkContent } from "../../src/ingest/framework/read-framework-content.ts";
import { analyseMeasures } from "../../src/services/analysis/index.ts";
import { computeLimits } from "../../src/services/analysis/limits.ts";
import { type ExportFormat, exportObservations } from "../../src/services/import/export.ts";
import { importFramework } from "../../src/services/import-framework.ts";
import { knownFrameworkCodes } from "../../src/services/seed.ts";
import { wilsonLimits } from "../../src/stats/wilson.ts";
import { importCsv, tempFile } from "../support/import-fixtures.ts";
import { seededApp, type TestApp } from "../support/test-app.ts";

const WALES = "W92000004";
const LAS = ["W06000015", "W06000011", "W06000001", "W06000002", "W06000003", "W06000004"];
const AREAS = [WALES, ...LAS];
const YEARS = ["2019", "2020", "2021", "2022", "2023"];
const DECIMALS = 4;

interface Shape {
  unit: string;
  multiplier: number;
}
const SHAPES: Record<(typeof VALUE_TYPES)[number], Shape> = {
  proportion: { unit: "percentage", multiplier: 100 },
  crude_rate: { unit: "rate", multiplier: 10000 },
  directly_standardised_rate: { unit: "rate", multiplier: 100000 },
  mean: { unit: "score", multiplier: 1 },
  count: { unit: "count", multiplier: 1 },
  ratio: { unit: "ratio", multiplier: 100 },
  supplied_ci: { unit: "percentage", multiplier: 100 },
};
type Kind = "suppress" | "round";
const RULES: Record<Kind, { suppressBelow?: number; roundTo?: number }> = {
  suppress: { suppressBelow: 5 },
  round: { roundTo: 5 },
};

interface Measure {
  code: string;
  valueType: string;
  kind: Kind;
  multiplier: number;
}
const MEASURES: Measure[] = VALUE_TYPES.flatMap((valueType) =>
  (["suppress", "round"] as const).map((kind) => ({
    code: `sdc-${valueType.replaceAll("_", "-")}-${kind}`,
    valueType,
    kind,
    multiplier: SHAPES[valueType].multiplier,
  })),
);
/** Imported with a value but no numerator before the measure had a rule; the rule is added afterwards. */
const LATE = "sdc-late-rule";

/** Not a multiple of 5, so rounding always changes it. */
const off5 = (n: number) => (n % 5 === 0 ? n + 1 : n);

/** One raw row as imported: the count the rule protects is `x` (a mean's is its number of people, `d`). */
interface RawRow {
  area: string;
  period: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  lower: number | null;
  upper: number | null;
  /** The count the rule protects. */
  count: number;
}

function rawRow(m: Measure, a: number, p: number): RawRow {
  const area = AREAS[a]!;
  const period = YEARS[p]!;
  const wales = a === 0;
  // protected counts: suppress measures put 0..4 in the first authority (all suppressed) and 5.. elsewhere
  const small = m.kind === "suppress" ? (a === 1 ? p : 5 + 3 * a + p) : off5(17 + 3 * a + p);
  const x = wales ? off5((m.kind === "round" ? 1003 : 2003) + 7 * p) : small;
  const d = off5((m.kind === "round" ? 23456 : 12345) + 1111 * a + 37 * p);
  const mult = m.multiplier;
  switch (m.valueType) {
    case "count":
      return { area, period, value: x, numerator: x, denominator: null, lower: null, upper: null, count: x };
    case "mean": {
      // the count protected is the number of people (denominator); the numerator is their total score
      const people = Math.max(x, 1);
      const mean = 301.1234 + a + p / 7 + (m.kind === "round" ? 50 : 0);
      const half = (1.96 * 40) / Math.sqrt(people);
      return {
        area,
        period,
        value: mean,
        numerator: mean * people,
        denominator: people,
        lower: mean - half,
        upper: mean + half,
        count: people,
      };
    }
    case "supplied_ci":
    case "directly_standardised_rate": {
      // a survey estimate, or a single-stratum standardised rate, with supplied limits (Wilson-shaped here: any
      // supplied shape computed from the raw counts pins them)
      const w = wilsonLimits(x, d, 0.95);
      return {
        area,
        period,
        value: (x / d) * mult,
        numerator: x,
        denominator: d,
        lower: w.lower * mult,
        upper: w.upper * mult,
        count: x,
      };
    }
    default:
      return { area, period, value: (x / d) * mult, numerator: x, denominator: d, lower: null, upper: null, count: x };
  }
}

const rawRows = new Map<string, RawRow[]>();
const key = (area: string, period: string) => `${area}|${period}`;

function frameworkYaml(lateRule: boolean): string {
  const lines = ["measures:"];
  const add = (code: string, valueType: string, shape: Shape, disclosure: string | null) => {
    lines.push(
      `  - code: ${code}`,
      `    title: { en: Disclosure test ${code}, cy: Prawf datgelu ${code} }`,
      "    layDefinition: { en: A lay definition., cy: Diffiniad lleyg. }",
      "    technicalDefinition: { en: A technical definition., cy: Diffiniad technegol. }",
      "    numerator: { en: Things, cy: Pethau }",
      "    denominator: { en: People, cy: Pobl }",
      `    unit: ${shape.unit}`,
      `    multiplier: ${shape.multiplier}`,
      `    decimals: ${DECIMALS}`,
      `    valueType: ${valueType}`,
      "    polarity: lower_is_better",
      "    accountability: population_indicator",
      "    tier: additional",
      "    group: sexual-health",
      "    coreAims: [CA3]",
      "    articles: [24]",
      "    source: ons-conceptions",
      "    frequency: annual",
      "    periodType: calendar_year",
      "    geographies: [country, local_authority]",
      "    status: live",
      ...(disclosure ? [`    disclosure: ${disclosure}`] : []),
    );
  };
  for (const m of MEASURES) {
    add(m.code, m.valueType, SHAPES[m.valueType as keyof typeof SHAPES], JSON.stringify(RULES[m.kind]));
  }
  add(LATE, "proportion", SHAPES.proportion, lateRule ? "{ suppressBelow: 5 }" : null);
  return lines.join("\n");
}

async function loadFramework(t: TestApp, lateRule: boolean) {
  const { content, problems } = await loadFrameworkContent(
    tempFile(frameworkYaml(lateRule), ".yaml"),
    await knownFrameworkCodes(t.database.db),
  );
  expect(problems.filter((p) => p.severity === "error")).toEqual([]);
  await importFramework(t.database.db, content, { name: "test" });
}

const cell = (x: number | null) => (x === null ? "" : String(x));

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
  await loadFramework(t, false);
  const lines = ["measure_code,area_code,period,value,numerator,denominator,lower_ci,upper_ci"];
  for (const m of MEASURES) {
    const rows: RawRow[] = [];
    for (let a = 0; a < AREAS.length; a++) for (let p = 0; p < YEARS.length; p++) rows.push(rawRow(m, a, p));
    rawRows.set(m.code, rows);
    for (const r of rows) {
      lines.push(
        [m.code, r.area, r.period, r.value, r.numerator, r.denominator, r.lower, r.upper]
          .map((v) => cell(v as number | null))
          .join(","),
      );
    }
  }
  // a value with its denominator but no numerator, on a measure that has no rule yet
  lines.push(`${LATE},W06000015,2023,1.6207455429497568,,1234,,`);
  const summary = await importCsv(t.database, `${lines.join("\n")}\n`, { publish: true });
  expect(summary.errors).toEqual([]);
  await loadFramework(t, true); // the rule arrives after the value
  await analyseMeasures(t.database.db, undefined, { force: true });
}, 600_000);
afterAll(async () => {
  await t?.close();
});

/** What the public must not learn about one measure: per key, suppressed or not; numbers that must not appear. */
function secrets(m: Measure) {
  const suppressed = new Set<string>();
  const forbidden: number[] = [];
  for (const r of rawRows.get(m.code)!) {
    if (m.kind === "suppress" && r.count < 5) {
      suppressed.add(key(r.area, r.period));
      forbidden.push(r.value, ...[r.numerator, r.denominator, r.lower, r.upper].filter((n) => n !== null));
    } else if (m.kind === "round") {
      if (m.valueType !== "count" && m.valueType !== "mean") forbidden.push(r.value);
      forbidden.push(...[r.lower, r.upper].filter((n) => n !== null));
      if (r.denominator !== null && m.valueType !== "mean") forbidden.push(r.denominator);
      if (m.valueType === "mean") forbidden.push(r.numerator as number); // the total: total ÷ mean = people
      if (r.area === WALES && m.valueType !== "mean") forbidden.push(r.numerator as number);
    }
  }
  // integers below 1,000 are everywhere on a page (years, ranks): they are checked field by field instead
  return { suppressed, forbidden: forbidden.filter((n) => !Number.isInteger(n) || n >= 1000) };
}

/**
 * Every number written in a text, with the decimals it was written with (thousands separators removed). Digits that
 * continue a word (a CSP nonce, a CSRF token, an asset hash, an area code) are part of an identifier, not a number.
 */
function numbersIn(text: string): { n: number; decimals: number }[] {
  const out: { n: number; decimals: number }[] = [];
  const words = text.replace(/[A-Za-z0-9+/_=-]{20,}/g, " "); // nonces, tokens and hashes are identifiers
  for (const token of words.match(/(?<![A-Za-z0-9_])\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?/gi) ?? []) {
    const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(token) ? token.replaceAll(",", "") : token.split(",")[0]!;
    const n = Number(plain);
    if (!Number.isFinite(n)) continue;
    const decimals = /e/i.test(plain) ? 15 : (plain.split(".")[1]?.length ?? 0);
    out.push({ n, decimals });
  }
  return out;
}

/** Fails when the text holds one of the forbidden numbers, written with the measure's decimals or more (or as an integer). */
function expectNoForbidden(where: string, text: string, forbidden: readonly number[], published: readonly number[]) {
  const found = numbersIn(text);
  const near = (n: number, decimals: number, f: number) =>
    Math.abs(n - f) <= 0.5 * 10 ** -decimals + 1e-9 * Math.abs(f);
  // a number shown rounded to the measure's decimals that a published (checked) figure also rounds to reveals nothing
  const explained = (n: number, decimals: number) =>
    decimals <= DECIMALS && published.some((f) => near(n, decimals, f));
  for (const f of forbidden) {
    const hit = found.find(({ n, decimals }) =>
      Number.isInteger(f)
        ? decimals === 0 && n === f && !published.includes(f)
        : decimals >= DECIMALS && near(n, decimals, f) && !explained(n, decimals),
    );
    expect(hit, `${where}: ${f} can be read (as ${hit?.n})`).toBeUndefined();
  }
}

async function get(url: string): Promise<{ text: string; body: Buffer; type: string }> {
  const r = await t.app.inject({ url });
  expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
  return { text: r.body, body: r.rawPayload, type: String(r.headers["content-type"]) };
}

/** The text of every cell of every sheet of a workbook. */
async function xlsxText(body: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((row) => {
      row.eachCell((c) => {
        out.push(typeof c.value === "number" ? String(c.value) : String(c.text));
      });
    }),
  );
  return out.join("\n");
}

async function exported(code: string, format: ExportFormat): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (d: Buffer) => chunks.push(d));
  const ended = new Promise((resolve) => out.on("end", resolve));
  await exportObservations(t.database, out, { format, measureCodes: [code] });
  if (!out.writableEnded) out.end();
  await ended;
  return Buffer.concat(chunks);
}

interface PublicRow {
  area: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998?: number | null;
  upper998?: number | null;
}
const num = (s: string | undefined) => (s === undefined || s === "" ? null : Number(s));

const NUMBER_FIELDS = ["value", "numerator", "denominator", "lower95", "upper95", "lower998", "upper998"] as const;
/** The numbers of published rows already checked field by field (and the Wales and parent values of analysis rows). */
function publishedNumbers(rows: Record<string, unknown>[]): number[] {
  const out: number[] = [];
  for (const r of rows) {
    for (const f of NUMBER_FIELDS) if (typeof r[f] === "number") out.push(r[f] as number);
    for (const b of [r.wales, r.parent] as ({ value?: unknown } | undefined)[]) {
      if (typeof b?.value === "number") out.push(b.value);
    }
  }
  return out;
}
const publishedByMeasure = new Map<string, number[]>();

/** Field-by-field checks of one published row. */
function expectSafeRow(m: Measure, where: string, row: PublicRow, suppressed: ReadonlySet<string>) {
  const label = `${where} ${m.code} ${row.area} ${row.period}`;
  const raw = rawRows.get(m.code)!.find((r) => r.area === row.area && r.period === row.period)!;
  if (suppressed.has(key(row.area, row.period))) {
    for (const field of NUMBER_FIELDS) {
      expect(row[field] ?? null, `${label}: ${field} of a suppressed value`).toBeNull();
    }
    return;
  }
  expect(row.value, `${label}: value`).not.toBeNull();
  if (m.kind !== "round") return;
  for (const field of ["numerator", "denominator"] as const) {
    const v = row[field];
    if (v !== null) expect(v % 5, `${label}: ${field} ${v} is rounded`).toBe(0);
  }
  const value = row.value as number;
  switch (m.valueType) {
    case "count":
      expect(value % 5, `${label}: count`).toBe(0);
      break;
    case "mean":
      expect(row.numerator, `${label}: a mean's total is withheld`).toBeNull();
      expect(row.denominator).toBe(roundToBase(raw.denominator as number, 5));
      break;
    default: {
      // the attack: value × denominator ÷ multiplier
      const recovered = (value * (row.denominator as number)) / m.multiplier;
      expect(recovered, `${label}: value × denominator ÷ multiplier`).toBeCloseTo(row.numerator as number, 6);
      expect(Math.round(recovered), `${label}: gives back the raw count`).not.toBe(raw.numerator);
    }
  }
}

/** Analysis rows: suppressed ones carry nothing; limits are those of the published (rounded) counts. */
function expectSafeAnalysis(m: Measure, rows: Record<string, unknown>[], suppressed: ReadonlySet<string>) {
  for (const r of rows) {
    const label = `analysis ${m.code} ${r.area} ${r.period}`;
    if (suppressed.has(key(r.area as string, r.period as string))) {
      expect(r.suppressed, label).toBe(true);
      for (const f of ["value", "lower95", "upper95", "lower998", "upper998", "rank", "quintile", "comparisonMethod"]) {
        expect(r[f] ?? null, `${label}: ${f}`).toBeNull();
      }
      for (const benchmark of [r.wales, r.parent] as { significance: string | null }[]) {
        expect([null, "not_compared"], `${label}: comparison`).toContain(benchmark.significance);
      }
      continue;
    }
    if (m.kind !== "round") continue;
    const expected = computeLimits(m.valueType, m.multiplier, {
      value: r.value as number,
      numerator: r.numerator as number | null,
      denominator: r.denominator as number | null,
      lower95: null,
      upper95: null,
      lower998: null,
      upper998: null,
    });
    for (const f of ["lower95", "upper95", "lower998", "upper998"] as const) {
      const got = r[f] as number | null;
      if (expected[f] === null) expect(got, `${label}: ${f}`).toBeNull();
      else expect(got, `${label}: ${f} from the rounded counts`).toBeCloseTo(expected[f], 9);
    }
  }
}

describe("a reconstruction attack on every value type finds no protected count", () => {
  it.for(MEASURES.map((m) => [m.code, m] as const))("%s", async ([, m]) => {
    const { suppressed, forbidden } = secrets(m);
    expect(suppressed.size > 0 || m.kind === "round").toBe(true);
    const texts: [string, string][] = [];

    // the JSON API and its CSV
    const api = JSON.parse((await get(`/api/v1/data?measure=${m.code}&pageSize=1000`)).text);
    expect(api.data).toHaveLength(AREAS.length * YEARS.length);
    for (const o of api.data) expectSafeRow(m, "api", o, suppressed);
    texts.push(["api", JSON.stringify(api)]);
    texts.push(["api csv", (await get(`/api/v1/data.csv?measure=${m.code}`)).text]);

    // the stored analysis
    const analysis = JSON.parse((await get(`/api/v1/analysis?measure=${m.code}&period=all&pageSize=1000`)).text);
    expect(analysis.data).toHaveLength(AREAS.length * YEARS.length);
    expectSafeAnalysis(m, analysis.data, suppressed);
    for (const r of analysis.data) expectSafeRow(m, "analysis", r, suppressed);
    texts.push(["analysis", JSON.stringify(analysis)]);
    texts.push(["analysis csv", (await get(`/api/v1/analysis.csv?measure=${m.code}&period=all`)).text]);

    // pages and downloads, in English and Welsh
    for (const lang of ["en", "cy"]) {
      for (const area of [LAS[0], LAS[1], WALES]) {
        texts.push([`${lang} measure page ${area}`, (await get(`/${lang}/measures/${m.code}?area=${area}`)).text]);
        for (const part of ["series", "areas"]) {
          const base = `/${lang}/measures/${m.code}/download?area=${area}&part=${part}`;
          texts.push([`${lang} ${part} csv ${area}`, (await get(`${base}&format=csv`)).text]);
          texts.push([`${lang} ${part} xlsx ${area}`, await xlsxText((await get(`${base}&format=xlsx`)).body)]);
        }
      }
      for (const year of YEARS) {
        const base = `/${lang}/measures/${m.code}/download?period=${year}&part=areas`;
        texts.push([`${lang} areas csv ${year}`, (await get(`${base}&format=csv`)).text]);
        const map = `/${lang}/map?measure=${m.code}&period=${year}`;
        texts.push([`${lang} map ${year}`, (await get(map)).text]);
        texts.push([`${lang} map csv ${year}`, (await get(`${map}&format=csv`)).text]);
      }
      const compare = `/${lang}/compare?measure=${m.code}&areas=${LAS[0]}&areas=${LAS[1]}&areas=${LAS[2]}`;
      texts.push([`${lang} compare`, (await get(compare)).text]);
      texts.push([`${lang} compare csv`, (await get(`${compare}&format=csv`)).text]);
    }

    // omf export
    const csv = (await exported(m.code, "csv")).toString("utf8");
    for (const r of parse(csv.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[]) {
      expectSafeRow(
        m,
        "export csv",
        {
          area: r.area_code!,
          period: r.period!,
          value: num(r.value),
          numerator: num(r.numerator),
          denominator: num(r.denominator),
          lower95: num(r.lower_ci),
          upper95: num(r.upper_ci),
        },
        suppressed,
      );
    }
    texts.push(["export csv", csv]);
    texts.push(["export xlsx", await xlsxText(await exported(m.code, "xlsx"))]);
    texts.push(["export json", (await exported(m.code, "json")).toString("utf8")]);

    const published = publishedNumbers([...api.data, ...analysis.data]);
    publishedByMeasure.set(m.code, published);
    for (const [where, text] of texts) expectNoForbidden(where, text, forbidden, published);
  });

  it("leaves no protected count on the area profiles, the overview and their downloads", async () => {
    const forbidden = MEASURES.flatMap((m) => secrets(m).forbidden);
    const published = MEASURES.flatMap((m) => publishedByMeasure.get(m.code) ?? []);
    expect(publishedByMeasure.size).toBe(MEASURES.length); // filled by the tests above
    for (const lang of ["en", "cy"]) {
      const overview = `/${lang}/overview?tier=all`;
      expectNoForbidden(overview, (await get(overview)).text, forbidden, published);
      expectNoForbidden(`${overview} csv`, (await get(`${overview}&format=csv`)).text, forbidden, published);
      for (const area of [LAS[0], LAS[1], WALES]) {
        const page = `/${lang}/areas/${area}?tier=all`;
        expectNoForbidden(page, (await get(page)).text, forbidden, published);
        const base = `/${lang}/areas/${area}/download?tier=all&part=profile`;
        expectNoForbidden(`${base} csv`, (await get(`${base}&format=csv`)).text, forbidden, published);
        const xlsx = await xlsxText((await get(`${base}&format=xlsx`)).body);
        expectNoForbidden(`${base} xlsx`, xlsx, forbidden, published);
      }
    }
  });

  it("suppresses whole a stored value that lacks the numerator its measure's rule now needs", async () => {
    const api = JSON.parse((await get(`/api/v1/data?measure=${LATE}`)).text);
    expect(api.data).toEqual([
      expect.objectContaining({ area: "W06000015", value: null, numerator: null, denominator: null, suppressed: true }),
    ]);
    const analysis = JSON.parse((await get(`/api/v1/analysis?measure=${LATE}`)).text);
    expect(analysis.data).toEqual([expect.objectContaining({ value: null, rank: null, suppressed: true })]);
    for (const url of [
      `/en/measures/${LATE}?area=W06000015`,
      `/en/measures/${LATE}/download?part=areas&format=csv`,
      `/api/v1/data.csv?measure=${LATE}`,
      "/en/areas/W06000015?tier=all",
    ]) {
      const text = (await get(url)).text;
      expect(text, url).not.toMatch(/1\.62\d|1,234|1234/);
    }
  });
});

describe("a value without the count its measure's rule needs is refused at import", () => {
  it("names the row and the field, and writes nothing", async () => {
    const before = JSON.parse((await get("/api/v1/data?measure=sdc-proportion-suppress&pageSize=1000")).text);
    const summary = await importCsv(
      t.database,
      [
        "measure_code,area_code,period,value,numerator,denominator,note_code",
        "sdc-proportion-suppress,W06000015,2024,1.6207455429497568,,1234", // issue 11 item 2
        "sdc-crude-rate-round,W06000015,2024,7.2476,17,", // no denominator to recompute the rate from
        "sdc-mean-suppress,W06000015,2024,301.5,1206,", // a mean's protected count is its number of people
        "sdc-count-round,W06000015,2024,17,,", // a count carries its own count: fine
        "sdc-proportion-suppress,W06000011,2024,,,1234,x", // no value: nothing to protect
      ].join("\n"),
      { publish: true },
    );
    expect(summary.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: "numerator",
        code: "disclosure_count_missing",
        message: expect.stringMatching(
          /^numerator is empty, but measure sdc-proportion-suppress suppresses values whose numerator is below 5, so each value needs its numerator/,
        ),
      }),
      expect.objectContaining({
        row: 3,
        column: "denominator",
        code: "disclosure_count_missing",
        message: expect.stringContaining("rounded to the nearest 5"),
      }),
      expect.objectContaining({
        row: 4,
        column: "denominator",
        code: "disclosure_count_missing",
        message: expect.stringContaining("whose denominator (the number of people) is below 5"),
      }),
    ]);
    const after = JSON.parse((await get("/api/v1/data?measure=sdc-proportion-suppress&pageSize=1000")).text);
    expect(after.data).toEqual(before.data);
  });
});
