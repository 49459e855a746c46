import type { ContentProblem } from "../content-problem.ts";
import type { FrameworkListSection, KnownFrameworkCodes, ParsedFrameworkFile } from "./framework-content.ts";
import type { MeasureEntry } from "./framework-file-schema.ts";

type Path = readonly (string | number)[];

/** Where an entry came from. */
interface Located<T> {
  pf: ParsedFrameworkFile;
  index: number;
  entry: T;
}

const NOUN: Record<FrameworkListSection, string> = {
  coreAims: "core aim",
  articles: "UNCRC article",
  sources: "source",
  dimensions: "dimension",
  groups: "measure group",
  measures: "measure",
};

const WELSH_MISSING = 'Welsh text missing (shown as "not yet translated")';

/**
 * Cross-file checks on parsed framework content files (schema checks are done when each file is parsed).
 * Reports every problem found, not just the first:
 *
 * - errors: duplicate codes (core aims, articles, sources, dimensions, dimension values, groups, measures) and
 *   more than one `framework` section; references to an unknown core aim, group, source, dimension, article or
 *   replaced measure; a group under an unknown aim; an additional measure whose group's aim is not among its
 *   `coreAims`; a measure that replaces itself.
 * - warnings: Welsh text missing; a live measure with no source; a percentage whose multiplier is not 100; a rate
 *   with multiplier 1; a proportion or rate without numerator and denominator descriptions; a target on a measure
 *   with no polarity judgement; repeated values in a list; and, when the content includes the `framework`
 *   section (a whole framework), a core aim with no high-level measure or no group, and a group with no measures.
 *
 * References resolve against the content itself plus `known` (codes already in the database), so a single file
 * that only adds measures can be validated on its own. Entries that failed the schema still count as defined.
 */
export function validateFramework(
  files: readonly ParsedFrameworkFile[],
  knownCodes: KnownFrameworkCodes = {},
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  // Iterables may be one-shot (generators): read each once.
  const known = {
    coreAims: [...(knownCodes.coreAims ?? [])],
    articles: [...(knownCodes.articles ?? [])],
    sources: [...(knownCodes.sources ?? [])],
    dimensions: [...(knownCodes.dimensions ?? [])],
    groups: [...(knownCodes.groups ?? [])],
    measures: [...(knownCodes.measures ?? [])],
  };
  const report = (pf: ParsedFrameworkFile, path: Path, key: string, message: string, warning = false) => {
    problems.push({
      file: pf.file,
      key,
      message,
      severity: warning ? "warning" : "error",
      line: pf.lineOf(path),
    });
  };

  const located = {
    coreAims: collect(files, "coreAims"),
    articles: collect(files, "articles"),
    sources: collect(files, "sources"),
    dimensions: collect(files, "dimensions"),
    groups: collect(files, "groups"),
    measures: collect(files, "measures"),
  };
  const keyOf = (section: FrameworkListSection, code: string | number | undefined, index: number) =>
    `${section}[${typeof code === "string" ? code : index}]`;

  // ── the framework section ──
  let frameworkFile: ParsedFrameworkFile | undefined;
  for (const pf of files) {
    if (!pf.data.framework) continue;
    if (frameworkFile) {
      report(pf, ["framework"], "framework", `the framework is already defined in ${frameworkFile.file}`);
    } else {
      frameworkFile = pf;
    }
  }

  // ── duplicates ──
  const codeOf = {
    coreAims: (e: { code: string }) => e.code,
    articles: (e: { number: number }) => e.number,
    sources: (e: { code: string }) => e.code,
    dimensions: (e: { code: string }) => e.code,
    groups: (e: { code: string }) => e.code,
    measures: (e: { code: string }) => e.code,
  };
  const defined = {} as Record<FrameworkListSection, Set<string | number>>;
  for (const section of Object.keys(located) as FrameworkListSection[]) {
    const first = new Map<string | number, { file: string; index: number }>();
    const all: Array<{ pf: ParsedFrameworkFile; index: number; code: string | number | undefined; valid: boolean }> =
      [];
    for (const pf of files) {
      for (const { index, entry } of located[section].filter((l) => l.pf === pf)) {
        all.push({ pf, index, code: (codeOf[section] as (e: unknown) => string | number)(entry), valid: true });
      }
      for (const u of pf.unparsed[section] ?? []) all.push({ pf, index: u.index, code: u.code, valid: false });
    }
    all.sort((a, b) => files.indexOf(a.pf) - files.indexOf(b.pf) || a.index - b.index);
    for (const { pf, index, code, valid } of all) {
      if (code === undefined) continue;
      const previous = first.get(code);
      if (previous && valid) {
        const field = section === "articles" ? "number" : "code";
        report(
          pf,
          [section, index, field],
          `${keyOf(section, code, index)}.${field}`,
          `duplicate ${NOUN[section]} ${field} "${code}" (first defined at ${section}[${previous.index}] in ${previous.file})`,
        );
      } else if (!previous) {
        first.set(code, { file: pf.file, index });
      }
    }
    defined[section] = new Set(first.keys());
  }

  // ── what references can resolve to ──
  const coreAimCodes = union(defined.coreAims, known.coreAims);
  const groupAim = new Map<string, string>();
  for (const g of known.groups) groupAim.set(g.code, g.coreAim);
  for (const { entry } of located.groups) groupAim.set(entry.code, entry.coreAim);
  const groupCodes = union(defined.groups, [...groupAim.keys()]);
  const sourceCodes = union(defined.sources, known.sources);
  const dimensionCodes = union(defined.dimensions, known.dimensions);
  const articleNumbers = union(defined.articles, known.articles);
  const measureCodes = union(defined.measures, known.measures);

  // ── core aims ──
  const orders = new Map<number, string>();
  for (const { pf, index, entry } of located.coreAims) {
    const key = keyOf("coreAims", entry.code, index);
    const base = ["coreAims", index] as const;
    const earlier = orders.get(entry.order);
    if (earlier)
      report(pf, [...base, "order"], `${key}.order`, `order ${entry.order} is also used by ${earlier}`, true);
    else orders.set(entry.order, entry.code);
    const seen = new Set<number>();
    entry.articles.forEach((link, i) => {
      const path = [...base, "articles", i, "article"];
      if (!articleNumbers.has(link.article)) {
        report(pf, path, `${key}.articles[${i}].article`, `unknown UNCRC article ${link.article}${hint("articles")}`);
      }
      if (seen.has(link.article)) {
        report(pf, path, `${key}.articles[${i}].article`, `article ${link.article} is listed more than once`, true);
      }
      seen.add(link.article);
    });
    welsh(entry, base, key, pf);
  }

  // ── articles, sources, dimensions ──
  for (const { pf, index, entry } of located.articles) {
    welsh(entry, ["articles", index], keyOf("articles", undefined, index), pf);
  }
  for (const { pf, index, entry } of located.sources) {
    welsh(entry, ["sources", index], keyOf("sources", entry.code, index), pf);
  }
  for (const { pf, index, entry } of located.dimensions) {
    const key = keyOf("dimensions", entry.code, index);
    const seen = new Set<string>();
    entry.values.forEach((value, i) => {
      if (seen.has(value.code)) {
        report(
          pf,
          ["dimensions", index, "values", i, "code"],
          `${key}.values[${value.code}].code`,
          `duplicate value code "${value.code}" in dimension ${entry.code}`,
        );
      }
      seen.add(value.code);
    });
    welsh(entry, ["dimensions", index], key, pf);
  }

  // ── groups ──
  for (const { pf, index, entry } of located.groups) {
    const key = keyOf("groups", entry.code, index);
    if (!coreAimCodes.has(entry.coreAim)) {
      report(
        pf,
        ["groups", index, "coreAim"],
        `${key}.coreAim`,
        `unknown core aim "${entry.coreAim}"${hint("coreAims")}`,
      );
    }
    welsh(entry, ["groups", index], key, pf);
  }

  // ── measures ──
  for (const { pf, index, entry: m } of located.measures) {
    const key = keyOf("measures", m.code, index);
    const base = ["measures", index] as const;
    const at = (field: string, i?: number) => ({
      path: i === undefined ? [...base, field] : [...base, field, i],
      key: i === undefined ? `${key}.${field}` : `${key}.${field}[${i}]`,
    });
    const err = (where: { path: Path; key: string }, message: string, warning = false) =>
      report(pf, where.path, where.key, message, warning);

    m.coreAims.forEach((aim, i) => {
      if (!coreAimCodes.has(aim)) err(at("coreAims", i), `unknown core aim "${aim}"${hint("coreAims")}`);
    });
    for (const i of repeated(m.coreAims)) err(at("coreAims", i), `"${m.coreAims[i]}" is listed more than once`, true);

    if (m.group !== undefined) {
      if (!groupCodes.has(m.group)) {
        err(at("group"), `unknown measure group "${m.group}"${hint("groups")}`);
      } else {
        const aim = groupAim.get(m.group);
        if (m.tier === "additional" && aim !== undefined && !m.coreAims.includes(aim)) {
          err(
            at("group"),
            `measure group "${m.group}" belongs to core aim ${aim}, which is not among this measure's coreAims (${m.coreAims.join(", ")})`,
          );
        }
      }
    }

    if (m.source !== undefined && !sourceCodes.has(m.source)) {
      err(at("source"), `unknown source "${m.source}"${hint("sources")}`);
    }
    if (m.source === undefined && m.status === "live") {
      err(at("source"), "a live measure should name its data source", true);
    }

    m.breakdowns.forEach((d, i) => {
      if (!dimensionCodes.has(d)) err(at("breakdowns", i), `unknown dimension "${d}"${hint("dimensions")}`);
    });
    for (const i of repeated(m.breakdowns))
      err(at("breakdowns", i), `"${m.breakdowns[i]}" is listed more than once`, true);

    m.articles.forEach((a, i) => {
      if (!articleNumbers.has(a)) err(at("articles", i), `unknown UNCRC article ${a}${hint("articles")}`);
    });
    for (const i of repeated(m.articles))
      err(at("articles", i), `article ${m.articles[i]} is listed more than once`, true);
    for (const i of repeated(m.geographies))
      err(at("geographies", i), `"${m.geographies[i]}" is listed more than once`, true);

    const replaces = m.lineage?.replaces;
    if (replaces !== undefined) {
      const where = { path: [...base, "lineage", "replaces"], key: `${key}.lineage.replaces` };
      if (replaces === m.code) err(where, "a measure cannot replace itself");
      else if (!measureCodes.has(replaces)) err(where, `unknown measure "${replaces}"`);
    }

    for (const message of statisticalWarnings(m)) err(message.where(at), message.text, true);
    welsh(m, base, key, pf);
  }

  // ── completeness of a whole framework ──
  if (frameworkFile) {
    for (const { pf, index, entry } of located.coreAims) {
      const key = keyOf("coreAims", entry.code, index);
      const hasHighLevel = located.measures.some(
        (l) => l.entry.tier === "high_level" && l.entry.coreAims.includes(entry.code),
      );
      const hasGroup = located.groups.some((l) => l.entry.coreAim === entry.code);
      if (!hasHighLevel) report(pf, ["coreAims", index], key, "this core aim has no high-level measure", true);
      if (!hasGroup) report(pf, ["coreAims", index], key, "this core aim has no measure group", true);
    }
    for (const { pf, index, entry } of located.groups) {
      if (!located.measures.some((l) => l.entry.group === entry.code)) {
        report(pf, ["groups", index], keyOf("groups", entry.code, index), "this measure group has no measures", true);
      }
    }
  }

  return problems;

  /** Suggests where the code should come from. */
  function hint(section: FrameworkListSection): string {
    const count = defined[section].size + known[section].length;
    return count === 0 ? ` (no ${NOUN[section]}s are defined: add them, or validate with the existing framework)` : "";
  }

  /** Warns about each bilingual text in the entry that has no Welsh. */
  function welsh(entry: unknown, path: Path, key: string, pf: ParsedFrameworkFile): void {
    walkBilingual(entry, [], (rel) => {
      const relKey = rel.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("");
      report(pf, [...path, ...rel], `${key}${relKey}.cy`, WELSH_MISSING, true);
    });
  }
}

/** Statistical sanity warnings for a measure. */
function statisticalWarnings(m: MeasureEntry) {
  type At = (field: string) => { path: Path; key: string };
  const out: Array<{ where: (at: At) => { path: Path; key: string }; text: string }> = [];
  if (m.valueType === "proportion" && m.unit === "percentage" && m.multiplier !== 100) {
    out.push({
      where: (at) => at("multiplier"),
      text: "a percentage usually has multiplier 100 (value = numerator / denominator × 100)",
    });
  }
  if (m.unit === "rate" && m.multiplier === 1) {
    out.push({ where: (at) => at("multiplier"), text: "a rate usually has a multiplier such as 1000 (per 1,000)" });
  }
  const needsParts = ["proportion", "crude_rate", "directly_standardised_rate"].includes(m.valueType);
  if (needsParts && (m.numerator === undefined || m.denominator === undefined)) {
    out.push({
      where: (at) => at(m.numerator === undefined ? "numerator" : "denominator"),
      text: `a ${m.valueType.replaceAll("_", " ")} should describe its numerator and denominator`,
    });
  }
  if (m.target !== undefined && m.polarity === "no_judgement") {
    out.push({
      where: (at) => at("target"),
      text: "a target on a measure with polarity no_judgement cannot be judged",
    });
  }
  return out;
}

/** Calls `onMissing` with the relative path of every `{ en, cy? }` text under `value` that has no `cy`. */
function walkBilingual(value: unknown, path: (string | number)[], onMissing: (path: (string | number)[]) => void) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walkBilingual(v, [...path, i], onMissing);
    });
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  if (typeof record.en === "string" && Object.keys(record).every((k) => k === "en" || k === "cy")) {
    if (record.cy === undefined) onMissing(path);
    return;
  }
  for (const [k, v] of Object.entries(record)) walkBilingual(v, [...path, k], onMissing);
}

function collect<S extends FrameworkListSection>(
  files: readonly ParsedFrameworkFile[],
  section: S,
): Located<NonNullable<ParsedFrameworkFile["data"][S]>[number]>[] {
  const out: Located<NonNullable<ParsedFrameworkFile["data"][S]>[number]>[] = [];
  for (const pf of files) {
    const list = (pf.data[section] ?? []) as NonNullable<ParsedFrameworkFile["data"][S]>;
    list.forEach((entry, i) => {
      out.push({ pf, index: pf.indexOf.get(entry as object) ?? i, entry });
    });
  }
  return out;
}

function union<T>(a: Iterable<T>, b: Iterable<T> | undefined): Set<T> {
  const out = new Set(a);
  for (const x of b ?? []) out.add(x);
  return out;
}

/** Positions of values that already appeared earlier in the list. */
function repeated<T>(list: readonly T[]): number[] {
  const seen = new Set<T>();
  const out: number[] = [];
  list.forEach((x, i) => {
    if (seen.has(x)) out.push(i);
    seen.add(x);
  });
  return out;
}
