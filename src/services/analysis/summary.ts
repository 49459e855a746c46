/**
 * The plain-language summary sentence for one area × measure × period, in English and Welsh, e.g.
 *
 *   en: "Cardiff: 7.1% (95% CI 6.5 to 7.7), significantly worse than Wales (6.2%); no significant change over the
 *        last five years."
 *   cy: "Caerdydd: 7.1% (cyfwng hyder o 95%: 6.5 i 7.7), yn arwyddocaol waeth na Chymru (6.2%); dim newid
 *        arwyddocaol dros y pum mlynedd diwethaf."
 *
 * Welsh terms follow /work/shared/reference/glossary-cy.csv (cyfwng hyder o 95%, yn arwyddocaol well/waeth na Chymru,
 * tebyg i Gymru, heb ei gymharu, dim newid arwyddocaol, yn gwella, yn gwaethygu, wedi'i atal at ddibenion
 * cyfrinachedd, ddim ar gael, fesul 1,000). Several of those are marked unverified in the glossary and, like the
 * phrases built from them here (yn cynyddu / yn gostwng, targed … wedi'i gyrraedd), need a translator's check.
 * Place names only appear before the colon (a label, which never mutates: WELSH.md §6); "Wales" appears only in
 * fixed phrases with its mutated forms written out (na Chymru, i Gymru, â Chymru).
 * Numbers use the measure's decimals, en-GB / cy-GB grouping (the same: 1,234.5), "%" with no space.
 */
import type { BilingualText, Language } from "../../domain/enums.ts";
import type { Significance, TrendDirection, TrendJudgement } from "../../stats/types.ts";
import type { AnalysisTrendReason } from "./types.ts";

/** What a summary sentence says. */
export interface SummaryInput {
  areaName: BilingualText;
  /** Label of the breakdown group (e.g. "Female"), or null for the whole population. */
  breakdownLabel: BilingualText | null;
  /** True on the Wales row itself (no comparison clause). */
  isBenchmarkArea: boolean;
  unit: string;
  multiplier: number;
  decimals: number;
  valueType: string;
  suppressed: boolean;
  value: number | null;
  lower95: number | null;
  upper95: number | null;
  benchmarkSignificance: Significance;
  benchmarkValue: number | null;
  trendDirection: TrendDirection;
  trendJudgement: TrendJudgement | null;
  trendReason: AnalysisTrendReason;
  targetValue: number | null;
  targetMet: boolean | null;
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

/** `digits` (a decimal integer string) + 1. */
function incrementDigits(digits: string): string {
  const chars = digits.split("");
  let i = chars.length - 1;
  while (i >= 0) {
    if (chars[i] === "9") {
      chars[i] = "0";
      i--;
    } else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join("");
    }
  }
  return `1${chars.join("")}`;
}

/**
 * Formats a number with fixed decimals and thousands separators: "1,234.5" (en-GB and cy-GB format numbers the same
 * way, WELSH.md §3). Rounds half away from zero on the shortest decimal form of the number (3.15 → "3.2"), exactly
 * as `Intl.NumberFormat` does, but much faster (the analysis formats millions of numbers); "-0.0" becomes "0.0".
 */
export function formatNumber(x: number, decimals: number, _lang: Language): string {
  const d = Math.min(Math.max(Math.trunc(decimals), 0), 10);
  const text = String(Math.abs(x));
  if (!Number.isFinite(x) || text.includes("e")) {
    let f = fallbackFormatters.get(d);
    if (!f) {
      f = new Intl.NumberFormat("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d });
      fallbackFormatters.set(d, f);
    }
    return f.format(x);
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
  let grouped = whole;
  if (whole.length > 3) {
    grouped = "";
    let rest = whole;
    while (rest.length > 3) {
      grouped = `,${rest.slice(-3)}${grouped}`;
      rest = rest.slice(0, -3);
    }
    grouped = rest + grouped;
  }
  const out = d > 0 ? `${grouped}.${fraction}` : grouped;
  return negative ? `-${out}` : out;
}

/** A value with its unit: "7.1%", "23.4 per 1,000" / "23.4 fesul 1,000", "1,234". */
export function formatValue(x: number, unit: string, multiplier: number, decimals: number, lang: Language): string {
  const n = formatNumber(x, decimals, lang);
  if (unit === "percentage") return `${n}%`;
  if (unit === "rate" && multiplier > 1) return n + PHRASES[lang].per(formatNumber(multiplier, 0, lang));
  return n;
}

function trendPhrase(p: Phrases, s: SummaryInput): string {
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

function sentence(lang: Language, s: SummaryInput): string {
  const p = PHRASES[lang];
  const area = s.areaName[lang] || s.areaName.en;
  const group = s.breakdownLabel ? s.breakdownLabel[lang] || s.breakdownLabel.en : null;
  const label = group ? `${area} (${group})` : area;
  if (s.suppressed) return `${label}: ${p.suppressed}.`;
  if (s.value === null) return `${label}: ${p.notAvailable}.`;
  const fmt = (x: number) => formatValue(x, s.unit, s.multiplier, s.decimals, lang);
  let text = `${label}: ${fmt(s.value)}`;
  if (s.lower95 !== null && s.upper95 !== null) {
    text += p.ci(formatNumber(s.lower95, s.decimals, lang), formatNumber(s.upper95, s.decimals, lang));
  }
  if (!s.isBenchmarkArea && s.valueType !== "count") {
    text += `, ${p.comparison[s.benchmarkSignificance]}`;
    if (s.benchmarkValue !== null) text += ` (${fmt(s.benchmarkValue)})`;
  }
  text += `; ${trendPhrase(p, s)}`;
  if (s.targetValue !== null && s.targetMet !== null) text += `; ${p.target(fmt(s.targetValue), s.targetMet)}`;
  return `${text}.`;
}

/** The summary sentence in English and Welsh. */
export function summarise(input: SummaryInput): BilingualText {
  return { en: sentence("en", input), cy: sentence("cy", input) };
}
