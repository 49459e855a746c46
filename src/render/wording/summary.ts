/**
 * The plain-language summary sentence for one area × measure × period, in English and Welsh, e.g.
 *
 *   en: "Cardiff: 7.1% (95% CI 6.5 to 7.7), significantly worse than Wales (6.2%); no significant change over the
 *        last five years."
 *   cy: "Caerdydd: 7.1% (cyfwng hyder o 95%: 6.5 i 7.7), yn arwyddocaol waeth na Chymru (6.2%); dim newid
 *        arwyddocaol dros y pum mlynedd diwethaf."
 *
 * Welsh terms follow ../shared/reference/glossary-cy.csv (cyfwng hyder o 95%, yn arwyddocaol well/waeth na Chymru,
 * tebyg i Gymru, heb ei gymharu, dim newid arwyddocaol, yn gwella, yn gwaethygu, wedi'i atal at ddibenion
 * cyfrinachedd, ddim ar gael, fesul 1,000). Several of those are marked unverified in the glossary and, like the
 * phrases built from them here (yn cynyddu / yn gostwng, targed … wedi'i gyrraedd), need a translator's check.
 * Place names only appear before the colon (a label, which never mutates: WELSH.md §6); "Wales" appears only in
 * fixed phrases with its mutated forms written out (na Chymru, i Gymru, â Chymru).
 * Numbers use the measure's decimals, en-GB / cy-GB grouping (the same: 1,234.5), "%" with no space.
 */
import type { BilingualText, Language } from "../../domain/enums.ts";
import type { AnalysisResult } from "../../services/analysis/types.ts";
import type { Significance } from "../../stats/types.ts";

/** The facts a summary sentence states (an {@link AnalysisResult} has them all). */
export type SummaryFacts = Pick<
  AnalysisResult,
  | "suppressed"
  | "value"
  | "lower95"
  | "upper95"
  | "benchmarkSignificance"
  | "benchmarkValue"
  | "trendDirection"
  | "trendJudgement"
  | "trendReason"
  | "targetValue"
  | "targetMet"
>;

/** How a measure's values are written. */
export interface SummaryFormat {
  unit: string;
  multiplier: number;
  decimals: number;
  /** Counts are not compared with Wales, so their sentences have no comparison clause. */
  valueType: string;
}

/** Whose value it is: the area, the breakdown group (null for everyone), and whether it is Wales itself. */
export interface SummarySubject {
  areaName: BilingualText;
  breakdownLabel: BilingualText | null;
  /** True on the Wales row itself (no comparison clause). */
  isBenchmarkArea: boolean;
}

interface Phrases {
  ci(lower: string, upper: string): string;
  per(multiplier: string): string;
  suppressed: string;
  notAvailable: string;
  comparison: Record<Significance, string>;
  trend: {
    getting_better: string;
    getting_worse: string;
    increasing: string;
    decreasing: string;
    no_significant_change: string;
    not_enough_data_points: string;
    overlapping_periods: string;
    period_type_not_annual: string;
    cannot_be_calculated: string;
  };
  target(target: string, met: boolean): string;
}

const PHRASES: Readonly<Record<Language, Phrases>> = {
  en: {
    ci: (l, u) => ` (95% CI ${l} to ${u})`,
    per: (m) => ` per ${m}`,
    suppressed: "value suppressed to protect confidentiality",
    notAvailable: "not available",
    comparison: {
      better: "significantly better than Wales",
      worse: "significantly worse than Wales",
      higher: "significantly higher than Wales",
      lower: "significantly lower than Wales",
      similar: "similar to Wales",
      not_compared: "not compared with Wales",
    },
    trend: {
      getting_better: "improving over the last five years",
      getting_worse: "getting worse over the last five years",
      increasing: "increasing over the last five years",
      decreasing: "decreasing over the last five years",
      no_significant_change: "no significant change over the last five years",
      not_enough_data_points: "not enough data for a trend",
      overlapping_periods: "no trend is calculated for overlapping periods",
      period_type_not_annual: "no trend is calculated for monthly or quarterly data",
      cannot_be_calculated: "trend cannot be calculated",
    },
    target: (t, met) => `target of ${t} ${met ? "met" : "not met"}`,
  },
  cy: {
    ci: (l, u) => ` (cyfwng hyder o 95%: ${l} i ${u})`,
    per: (m) => ` fesul ${m}`,
    suppressed: "gwerth wedi'i atal at ddibenion cyfrinachedd",
    notAvailable: "ddim ar gael",
    comparison: {
      better: "yn arwyddocaol well na Chymru",
      worse: "yn arwyddocaol waeth na Chymru",
      higher: "yn arwyddocaol uwch na Chymru",
      lower: "yn arwyddocaol is na Chymru",
      similar: "tebyg i Gymru",
      not_compared: "heb ei gymharu â Chymru",
    },
    trend: {
      getting_better: "yn gwella dros y pum mlynedd diwethaf",
      getting_worse: "yn gwaethygu dros y pum mlynedd diwethaf",
      increasing: "yn cynyddu dros y pum mlynedd diwethaf",
      decreasing: "yn gostwng dros y pum mlynedd diwethaf",
      no_significant_change: "dim newid arwyddocaol dros y pum mlynedd diwethaf",
      not_enough_data_points: "dim digon o ddata i gyfrifo tuedd",
      overlapping_periods: "ni chyfrifir tuedd ar gyfer cyfnodau sy'n gorgyffwrdd",
      period_type_not_annual: "ni chyfrifir tuedd ar gyfer data misol neu chwarterol",
      cannot_be_calculated: "ni ellir cyfrifo'r duedd",
    },
    target: (t, met) => `targed o ${t} ${met ? "wedi'i gyrraedd" : "heb ei gyrraedd"}`,
  },
};

const fallbackFormatters = new Map<number, Intl.NumberFormat>();
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/** `digits` (a decimal integer string) + 1. */
function incrementDigits(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57) i--; // trailing "9"s carry
  if (i < 0) return `1${"0".repeat(digits.length)}`;
  return digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + "0".repeat(digits.length - 1 - i);
}

/**
 * Formats a number with fixed decimals and thousands separators: "1,234.5" (en-GB and cy-GB format numbers the same
 * way, WELSH.md §3). Rounds half away from zero on the shortest decimal form of the number (3.15 → "3.2"), exactly
 * as `Intl.NumberFormat` does, but much faster (the analysis formats millions of numbers); "-0.0" becomes "0.0".
 */
export function formatNumber(x: number, decimals: number, _lang: Language): string {
  const d = Math.min(Math.max(Math.trunc(decimals), 0), 10);
  // Fast path: scale and round when the result is far from a rounding tie (the common case).
  const scaled = Math.abs(x) * POW10[d]!;
  if (scaled < 1e12) {
    const floor = Math.floor(scaled);
    const fraction = scaled - floor;
    if (Math.abs(fraction - 0.5) > 1e-3) {
      const n = fraction > 0.5 ? floor + 1 : floor;
      let digits = String(n);
      if (digits.length <= d) digits = "0".repeat(d + 1 - digits.length) + digits;
      const whole = digits.slice(0, digits.length - d);
      const out = d > 0 ? `${group(whole)}.${digits.slice(digits.length - d)}` : group(whole);
      return x < 0 && n !== 0 ? `-${out}` : out;
    }
  }
  const text = String(Math.abs(x));
  if (!Number.isFinite(x) || text.includes("e")) {
    let f = fallbackFormatters.get(d);
    if (!f) {
      f = new Intl.NumberFormat("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d });
      fallbackFormatters.set(d, f);
    }
    const s = f.format(x);
    return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
  }
  const dot = text.indexOf(".");
  let whole = dot < 0 ? text : text.slice(0, dot);
  let fraction = dot < 0 ? "" : text.slice(dot + 1);
  if (fraction.length > d) {
    const roundUp = fraction.charCodeAt(d) >= 53; // "5"
    fraction = fraction.slice(0, d);
    if (roundUp) {
      const bumped = incrementDigits(whole + fraction);
      whole = bumped.slice(0, bumped.length - d);
      fraction = bumped.slice(bumped.length - d);
    }
  } else {
    fraction = fraction.padEnd(d, "0");
  }
  const negative = x < 0 && /[1-9]/.test(whole + fraction);
  const out = d > 0 ? `${group(whole)}.${fraction}` : group(whole);
  return negative ? `-${out}` : out;
}

/** Thousands separators for a string of digits: "1234567" → "1,234,567". */
function group(whole: string): string {
  if (whole.length <= 3) return whole;
  let grouped = "";
  let rest = whole;
  while (rest.length > 3) {
    grouped = `,${rest.slice(-3)}${grouped}`;
    rest = rest.slice(0, -3);
  }
  return rest + grouped;
}

const suffixes = new Map<string, string>();

/** Adds the unit to a formatted number: "7.1%", "23.4 per 1,000" / "23.4 fesul 1,000", "1,234". */
function withUnit(n: string, unit: string, multiplier: number, lang: Language): string {
  if (unit === "percentage") return `${n}%`;
  if (unit !== "rate" || !(multiplier > 1)) return n;
  const key = `${lang}|${multiplier}`;
  let suffix = suffixes.get(key);
  if (suffix === undefined) {
    suffix = PHRASES[lang].per(formatNumber(multiplier, 0, lang));
    suffixes.set(key, suffix);
  }
  return n + suffix;
}

/** A value with its unit: "7.1%", "23.4 per 1,000" / "23.4 fesul 1,000", "1,234". */
export function formatValue(x: number, unit: string, multiplier: number, decimals: number, lang: Language): string {
  return withUnit(formatNumber(x, decimals, lang), unit, multiplier, lang);
}

function trendPhrase(p: Phrases, s: SummaryFacts): string {
  if (s.trendDirection === "increasing" || s.trendDirection === "decreasing") {
    return s.trendJudgement ? p.trend[s.trendJudgement] : p.trend[s.trendDirection];
  }
  if (s.trendDirection === "no_significant_change") return p.trend.no_significant_change;
  switch (s.trendReason) {
    case "not_enough_data_points":
    case "overlapping_periods":
    case "period_type_not_annual":
      return p.trend[s.trendReason];
    default:
      return p.trend.cannot_be_calculated;
  }
}

/** The numbers of a sentence, formatted once (they are the same in both languages). */
interface FormattedNumbers {
  value: string | null;
  lower: string | null;
  upper: string | null;
  benchmark: string | null;
  target: string | null;
}

function sentence(lang: Language, s: SummaryFacts, f: SummaryFormat, who: SummarySubject, n: FormattedNumbers): string {
  const p = PHRASES[lang];
  const area = who.areaName[lang] || who.areaName.en;
  const group = who.breakdownLabel ? who.breakdownLabel[lang] || who.breakdownLabel.en : null;
  const label = group ? `${area} (${group})` : area;
  if (s.suppressed) return `${label}: ${p.suppressed}.`;
  if (n.value === null) return `${label}: ${p.notAvailable}.`;
  // Parts joined once: a flat string, not a rope of concatenations (millions are kept in memory at England scale).
  const parts = [label, ": ", withUnit(n.value, f.unit, f.multiplier, lang)];
  if (n.lower !== null && n.upper !== null) parts.push(p.ci(n.lower, n.upper));
  if (!who.isBenchmarkArea && f.valueType !== "count") {
    parts.push(", ", p.comparison[s.benchmarkSignificance]);
    if (n.benchmark !== null) parts.push(" (", withUnit(n.benchmark, f.unit, f.multiplier, lang), ")");
  }
  parts.push("; ", trendPhrase(p, s));
  if (n.target !== null && s.targetMet !== null) {
    parts.push("; ", p.target(withUnit(n.target, f.unit, f.multiplier, lang), s.targetMet));
  }
  parts.push(".");
  return parts.join("");
}

// The benchmark and the target are the same number for every area of a period (thousands of sentences in a row), so
// the last one of each is formatted once: formatNumber is a pure function of (x, decimals).
const sharedX = [Number.NaN, Number.NaN];
const sharedDecimals = [-1, -1];
const sharedText = ["", ""];

function formatShared(x: number, decimals: number, slot: 0 | 1): string {
  if (!Object.is(sharedX[slot], x) || sharedDecimals[slot] !== decimals) {
    sharedX[slot] = x;
    sharedDecimals[slot] = decimals;
    sharedText[slot] = formatNumber(x, decimals, "en");
  }
  return sharedText[slot]!;
}

/** The summary sentence in English and Welsh. */
export function summarise(facts: SummaryFacts, format: SummaryFormat, subject: SummarySubject): BilingualText {
  const show = !facts.suppressed && facts.value !== null;
  const d = format.decimals;
  const n: FormattedNumbers = {
    value: show ? formatNumber(facts.value!, d, "en") : null,
    lower: show && facts.lower95 !== null ? formatNumber(facts.lower95, d, "en") : null,
    upper: show && facts.upper95 !== null ? formatNumber(facts.upper95, d, "en") : null,
    benchmark: show && facts.benchmarkValue !== null ? formatShared(facts.benchmarkValue, d, 0) : null,
    target: show && facts.targetValue !== null ? formatShared(facts.targetValue, d, 1) : null,
  };
  return { en: sentence("en", facts, format, subject, n), cy: sentence("cy", facts, format, subject, n) };
}
