import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ContentProblem, errorsOnly, formatProblem } from "../../src/ingest/content-problem.ts";
import {
  type FrameworkContent,
  type KnownFrameworkCodes,
  knownCodesOf,
} from "../../src/ingest/framework/framework-content.ts";
import { parseFrameworkText } from "../../src/ingest/framework/parse-framework-file.ts";
import { loadFrameworkContent } from "../../src/ingest/framework/read-framework-content.ts";
import { validateFramework } from "../../src/ingest/framework/validate-framework.ts";

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const frameworkDir = repo("content/framework");

let shipped: FrameworkContent;
let shippedProblems: ContentProblem[];
let known: KnownFrameworkCodes;
let tmp: string;

beforeAll(async () => {
  const loaded = await loadFrameworkContent(frameworkDir);
  shipped = loaded.content;
  shippedProblems = loaded.problems;
  known = knownCodesOf(shipped);
  tmp = await mkdtemp(join(tmpdir(), "omf-framework-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Writes a temporary content file and returns its path. */
async function tempFile(name: string, text: string): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, text, "utf8");
  return path;
}

/** A valid additional measure in the CA3 sexual-health group, as YAML lines, with fields overridable. */
function measureYaml(code: string, overrides: Record<string, string> = {}, omit: string[] = []): string {
  const fields: Record<string, string> = {
    code,
    title: `{ en: Test measure ${code}, cy: Mesur prawf ${code} }`,
    layDefinition: "{ en: A lay definition., cy: Diffiniad lleyg. }",
    technicalDefinition: "{ en: A technical definition., cy: Diffiniad technegol. }",
    numerator: "{ en: Things, cy: Pethau }",
    denominator: "{ en: People, cy: Pobl }",
    unit: "percentage",
    multiplier: "100",
    valueType: "proportion",
    polarity: "lower_is_better",
    accountability: "population_indicator",
    tier: "additional",
    group: "sexual-health",
    coreAims: "[CA3]",
    articles: "[24]",
    source: "ons-conceptions",
    frequency: "annual",
    periodType: "calendar_year",
    geographies: "[local_authority]",
    status: "live",
    ...overrides,
  };
  const lines = Object.entries(fields)
    .filter(([k]) => !omit.includes(k))
    .map(([k, v], i) => `${i === 0 ? "  - " : "    "}${k}: ${v}`);
  return lines.join("\n");
}

function expectProblem(problems: ContentProblem[], expected: Partial<ContentProblem> & { message?: unknown }) {
  const { message, ...rest } = expected;
  expect(problems).toContainEqual(
    expect.objectContaining({ ...rest, ...(message === undefined ? {} : { message: message as string }) }),
  );
}

describe("shipped framework content", () => {
  it("validates with no errors and no warnings", () => {
    expect(shippedProblems.map(formatProblem)).toEqual([]);
  });

  it("has the framework section and the seven core aims with official Welsh titles", () => {
    expect(shipped.framework).toMatchObject({ code: "wales-omf", version: "1", status: "published" });
    expect(shipped.framework?.title.en).toBe("Outcomes Measures Framework for children and young people");
    expect(shipped.framework?.title.cy).toBeTruthy();
    expect(shipped.coreAims.map((a) => a.code)).toEqual(["CA1", "CA2", "CA3", "CA4", "CA5", "CA6", "CA7"]);
    const cy = Object.fromEntries(shipped.coreAims.map((a) => [a.code, a.title.cy]));
    expect(cy.CA1).toBe("Yn cael dechrau teg mewn bywyd");
    expect(cy.CA7).toBe("Yn osgoi cael eu rhoi dan anfantais oherwydd tlodi");
    for (const aim of shipped.coreAims) expect(aim.description?.cy).toBeTruthy();
  });

  it("gives every core aim at least one high-level measure and at least one group", () => {
    for (const aim of shipped.coreAims) {
      const highLevel = shipped.measures.filter((m) => m.tier === "high_level" && m.coreAims.includes(aim.code));
      const groups = shipped.groups.filter((g) => g.coreAim === aim.code);
      expect(highLevel.length, `${aim.code} high-level measures`).toBeGreaterThanOrEqual(1);
      expect(groups.length, `${aim.code} groups`).toBeGreaterThanOrEqual(1);
    }
  });

  it("maps UNCRC articles with the confidence given in the domain research", () => {
    const link = (aim: string, article: number) =>
      shipped.coreAims.find((a) => a.code === aim)?.articles.find((l) => l.article === article)?.confidence;
    for (const a of [3, 29, 36]) expect(link("CA1", a)).toBe("confirmed");
    for (const a of [23, 28, 29, 32]) expect(link("CA2", a)).toBe("confirmed");
    for (const a of [6, 18, 19, 20, 24, 26]) expect(link("CA3", a)).toBe("confirmed");
    expect(link("CA3", 37)).toBe("unconfirmed");
    for (const a of [15, 20, 29, 31]) expect(link("CA4", a)).toBe("unconfirmed");
    for (const aim of shipped.coreAims) {
      for (const a of [2, 3, 6, 12]) expect(link(aim.code, a), `${aim.code} article ${a}`).toBe("confirmed");
    }
    const articleNumbers = new Set(shipped.articles.map((a) => a.number));
    for (const aim of shipped.coreAims) for (const l of aim.articles) expect(articleNumbers).toContain(l.article);
    for (const a of shipped.articles) expect(a.title.cy).toBeTruthy();
  });

  it("holds the whole candidate catalogue with full metadata in both languages", () => {
    expect(shipped.measures.length).toBeGreaterThanOrEqual(40);
    const codes = shipped.measures.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of [
      "low-birth-weight",
      "infant-mortality-rate",
      "breastfeeding-any-10-days",
      "breastfeeding-exclusive-10-days",
      "mmr1-by-2",
      "fully-immunised-by-4",
      "foundation-phase-outcome-indicator",
      "healthy-weight-age-4-5",
      "flying-start-children-receiving-services",
      "flying-start-hv-contacts-per-child",
      "ks4-level-2-inclusive",
      "attendance-primary",
      "attendance-secondary",
      "year-11-leavers-neet",
      "neet-16-18",
      "under-18-conception-rate",
      "self-harm-admissions-10-24",
      "sport-three-times-a-week",
      "influence-decisions",
      "children-looked-after-rate",
      "first-time-entrants-youth-justice",
      "children-relative-income-poverty-ahc",
      "children-low-income-families",
      "children-in-workless-households",
      "pupils-eligible-free-school-meals",
    ]) {
      expect(codes).toContain(code);
    }
    for (const m of shipped.measures) {
      for (const field of ["title", "layDefinition", "technicalDefinition", "rationale"] as const) {
        expect(m[field]?.cy, `${m.code}.${field}.cy`).toBeTruthy();
      }
      expect(m.owner, `${m.code}.owner`).toBeTruthy();
      if (m.status !== "retired") expect(m.nextReview, `${m.code}.nextReview`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (m.tier === "additional") expect(m.group, `${m.code}.group`).toBeTruthy();
      if (m.accountability !== "population_indicator") expect(m.group).toBe("flying-start");
    }
  });

  it("keeps a data development agenda of 3 to 5 measures", () => {
    const inDevelopment = shipped.measures.filter((m) => m.status === "in_development");
    expect(inDevelopment.length).toBeGreaterThanOrEqual(3);
    expect(inDevelopment.length).toBeLessThanOrEqual(5);
    expect(inDevelopment.map((m) => m.code)).toContain("influence-decisions");
  });

  it("aligns codes, units and period types with the sample data series", () => {
    const m = (code: string) => shipped.measures.find((x) => x.code === code);
    expect(m("low-birth-weight")).toMatchObject({
      unit: "percentage",
      periodType: "calendar_year",
      tier: "high_level",
    });
    expect(m("fully-immunised-by-4")).toMatchObject({ periodType: "financial_year", target: { value: 95 } });
    expect(m("mmr1-by-2")?.target?.value).toBe(95);
    expect(m("under-18-conception-rate")).toMatchObject({
      unit: "rate",
      multiplier: 1000,
      periodType: "calendar_year",
      disclosure: { suppressBelow: 5 },
    });
    expect(m("children-looked-after-count")).toMatchObject({
      unit: "count",
      periodType: "snapshot_date",
      disclosure: { roundTo: 5 },
    });
    expect(m("children-looked-after-rate")).toMatchObject({ multiplier: 10000, periodType: "snapshot_date" });
    expect(m("children-low-income-families")).toMatchObject({ valueType: "proportion", periodType: "financial_year" });
    expect(m("flying-start-children-receiving-services")).toMatchObject({
      valueType: "count",
      accountability: "performance_how_much",
      periodType: "financial_year",
    });
    expect(m("flying-start-hv-contacts-per-child")?.accountability).toMatch(/^performance_/);
  });

  it("records lineage where definitions changed", () => {
    const m = (code: string) => shipped.measures.find((x) => x.code === code);
    expect(m("ks4-level-2-inclusive")?.status).toBe("retired");
    expect(m("ks4-capped-9-points-score")?.lineage?.replaces).toBe("ks4-level-2-inclusive");
    expect(m("children-looked-after-rate")?.lineage?.breakInSeries).toMatch(/SSDA903/);
    expect(m("children-low-income-families")?.lineage?.replaces).toBe("children-low-income-families-hmrc");
  });
});

describe("validating framework files", () => {
  it("reports a duplicate measure code naming the file, the key and the problem", async () => {
    const file = await tempFile(
      "duplicate.yaml",
      `measures:\n${measureYaml("dup-code")}\n${measureYaml("dup-code")}\n`,
    );
    const { problems } = await loadFrameworkContent(file, known);
    const errors = errorsOnly(problems);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      file,
      key: "measures[dup-code].code",
      severity: "error",
      line: expect.any(Number),
    });
    expect(errors[0]?.message).toMatch(/^duplicate measure code "dup-code" \(first defined at measures\[0\]/);
  });

  it("reports a measure code that duplicates one in another file of the same folder", async () => {
    const dir = join(tmp, "two-files");
    await mkdir(dir);
    await writeFile(join(dir, "a.yaml"), `measures:\n${measureYaml("shared-code")}\n`);
    await writeFile(join(dir, "b.yaml"), `measures:\n${measureYaml("shared-code")}\n`);
    const { problems, files } = await loadFrameworkContent(dir, known);
    expect(files).toEqual([join(dir, "a.yaml"), join(dir, "b.yaml")]);
    expectProblem(problems, { file: join(dir, "b.yaml"), key: "measures[shared-code].code", severity: "error" });
  });

  it("reports a missing polarity as Required, formatted as one line", async () => {
    const file = await tempFile("no-polarity.yaml", `measures:\n${measureYaml("no-polarity", {}, ["polarity"])}\n`);
    const { problems, content } = await loadFrameworkContent(file, known);
    const errors = errorsOnly(problems);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file, key: "measures[no-polarity].polarity", message: "Required" });
    expect(formatProblem(errors[0]!)).toBe(`${file}: measures[no-polarity].polarity: Required`);
    expect(content.measures).toHaveLength(0);
  });

  it("names an entry by position when it has no usable code", async () => {
    const file = await tempFile(
      "no-code.yaml",
      `measures:\n${measureYaml("ok-one")}\n${measureYaml("", {}, ["code"])}\n`,
    );
    const { problems } = await loadFrameworkContent(file, known);
    expectProblem(problems, { file, key: "measures[1].code", message: "Required", severity: "error" });
  });

  it("reports an unknown core aim on a measure and on a group", async () => {
    const text = [
      "groups:",
      "  - { code: local-group, coreAim: CA9, title: { en: Local, cy: Lleol } }",
      "measures:",
      measureYaml("bad-aim", { coreAims: "[CA9]", tier: "high_level" }, ["group"]),
    ].join("\n");
    const file = await tempFile("unknown-aim.yaml", `${text}\n`);
    const { problems } = await loadFrameworkContent(file, known);
    expectProblem(problems, {
      file,
      key: "measures[bad-aim].coreAims[0]",
      message: 'unknown core aim "CA9"',
      severity: "error",
    });
    expectProblem(problems, { file, key: "groups[local-group].coreAim", message: 'unknown core aim "CA9"' });
  });

  it("reports every problem in a file at once", async () => {
    const measure = measureYaml("many-problems", {
      group: "no-such-group",
      source: "no-such-source",
      articles: "[24, 53]",
      breakdowns: "[sex, shoe_size]",
      lineage: "{ replaces: no-such-measure }",
    });
    const file = await tempFile("many.yaml", `measures:\n${measure}\n`);
    const { problems } = await loadFrameworkContent(file, known);
    const messages = errorsOnly(problems).map((p) => `${p.key}: ${p.message}`);
    expect(messages).toEqual([
      'measures[many-problems].group: unknown measure group "no-such-group"',
      'measures[many-problems].source: unknown source "no-such-source"',
      'measures[many-problems].breakdowns[1]: unknown dimension "shoe_size"',
      "measures[many-problems].articles[1]: unknown UNCRC article 53",
      'measures[many-problems].lineage.replaces: unknown measure "no-such-measure"',
    ]);
  });

  it("reports an additional measure whose group belongs to an aim it does not list", async () => {
    const file = await tempFile("wrong-aim.yaml", `measures:\n${measureYaml("wrong-aim", { coreAims: "[CA1]" })}\n`);
    const { problems } = await loadFrameworkContent(file, known);
    expectProblem(problems, {
      key: "measures[wrong-aim].group",
      message: expect.stringContaining('measure group "sexual-health" belongs to core aim CA3'),
      severity: "error",
    });
  });

  it("reports schema rules: additional measures need a group, proportions are percentages", async () => {
    const file = await tempFile(
      "schema-rules.yaml",
      `measures:\n${measureYaml("no-group", {}, ["group"])}\n${measureYaml("odd-unit", { unit: "count" })}\n`,
    );
    const { problems } = await loadFrameworkContent(file, known);
    expectProblem(problems, {
      key: "measures[no-group].group",
      message: "an additional measure must name its measure group",
    });
    expectProblem(problems, {
      key: "measures[odd-unit].unit",
      message: "a proportion is shown as a percentage or ratio",
    });
  });

  it("counts missing Welsh as a warning, not an error", async () => {
    const file = await tempFile(
      "no-welsh.yaml",
      `measures:\n${measureYaml("english-only", { title: "{ en: English only }" })}\n`,
    );
    const { problems, content } = await loadFrameworkContent(file, known);
    expect(errorsOnly(problems)).toEqual([]);
    expectProblem(problems, { file, key: "measures[english-only].title.cy", severity: "warning" });
    expect(content.measures.map((m) => m.code)).toEqual(["english-only"]);
  });

  it("explains wrong types, bad values and unknown fields", async () => {
    const file = await tempFile(
      "typos.yaml",
      [
        "framework:",
        "  code: local-framework",
        "  version: 1",
        "  status: live",
        "  title: { en: Local }",
        "measures:",
        measureYaml("typo", { polarty: "lower_is_better", multiplier: "lots" }, ["polarity"]),
      ].join("\n"),
    );
    const { problems } = await loadFrameworkContent(file, known);
    expectProblem(problems, { key: "framework.version", message: expect.stringContaining("put it in quotes") });
    expectProblem(problems, { key: "framework.status", message: "must be one of: draft, published, retired" });
    expectProblem(problems, {
      key: "measures[typo].polarty",
      message: 'unknown field "polarty" (did you mean "polarity"?)',
    });
    expectProblem(problems, { key: "measures[typo].multiplier", message: "expected number, got string" });
  });

  it("accepts only http(s) web addresses as a source url (no javascript: or data: links)", async () => {
    const source = (code: string, url: string) =>
      [
        `  - code: ${code}`,
        `    name: { en: Source ${code}, cy: Ffynhonnell ${code} }`,
        "    publisher: Somebody",
        `    url: "${url}"`,
        "    kind: survey",
      ].join("\n");
    const file = await tempFile(
      "urls.yaml",
      [
        "sources:",
        source("script-url", "javascript:alert('url')"),
        source("data-url", "data:text/html,<b>x</b>"),
        source("web-url", "https://statswales.gov.wales/Catalogue"),
      ].join("\n"),
    );
    const { problems } = await loadFrameworkContent(file, known);
    const message = "must be a web address starting with http:// or https://";
    expectProblem(problems, { file, key: "sources[script-url].url", severity: "error", message });
    expectProblem(problems, { file, key: "sources[data-url].url", severity: "error", message });
    expect(problems.filter((p) => p.key.startsWith("sources[web-url]"))).toEqual([]);
  });

  it("reports YAML syntax errors with their line", async () => {
    const file = await tempFile("broken.yaml", "measures:\n  - code: a\n    title: { en: unclosed\n");
    const { problems } = await loadFrameworkContent(file);
    expect(problems[0]).toMatchObject({ file, key: "", severity: "error", line: expect.any(Number) });
    expect(problems[0]?.message).toMatch(/^YAML syntax error/);
  });

  it("reads JSON files", async () => {
    const file = await tempFile(
      "local.json",
      JSON.stringify({ groups: [{ code: "json-group", coreAim: "CA2", title: { en: "From JSON", cy: "O JSON" } }] }),
    );
    const { problems, content } = await loadFrameworkContent(file, known);
    expect(problems).toEqual([]);
    expect(content.groups.map((g) => g.code)).toEqual(["json-group"]);
  });

  it("resolves references against known codes only when they are given", async () => {
    const file = await tempFile("needs-known.yaml", `measures:\n${measureYaml("needs-known")}\n`);
    expect(errorsOnly((await loadFrameworkContent(file, known)).problems)).toEqual([]);
    const standalone = errorsOnly((await loadFrameworkContent(file)).problems).map((p) => p.key);
    expect(standalone).toEqual([
      "measures[needs-known].coreAims[0]",
      "measures[needs-known].group",
      "measures[needs-known].source",
      "measures[needs-known].articles[0]",
    ]);
  });

  it("reports a missing path as an error", async () => {
    const { problems } = await loadFrameworkContent(join(tmp, "nowhere"));
    expect(problems).toEqual([expect.objectContaining({ message: "file or directory not found", severity: "error" })]);
  });

  it("parses text without touching the file system", () => {
    const { parsed, problems } = parseFrameworkText("articles:\n  - number: 99\n    title: { en: X }\n", "inline.yaml");
    expect(problems).toEqual([
      expect.objectContaining({ file: "inline.yaml", key: "articles[0].number", message: "must be at most 54" }),
    ]);
    expect(parsed.unparsed.articles).toEqual([{ index: 0, code: 99 }]);
    expect(validateFramework([parsed])).toEqual([]);
  });
});

describe("the documented example local measure file", () => {
  it("validates against the shipped framework with no problems", async () => {
    const { problems, content } = await loadFrameworkContent(repo("docs/examples/local-measure.yaml"), known);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(content.measures.length).toBeGreaterThanOrEqual(1);
    expect(content.groups.length).toBeGreaterThanOrEqual(1);
  });
});
