/**
 * Words and number formats for statistics on public pages, charts and downloads, all from the locale files
 * (namespace `stats`), so the same figure reads the same everywhere in either language.
 */
import type { Language } from "../../domain/enums.ts";
import { STATUSES, type Status } from "../../render/charts/status-style.ts";
import { formatNumber, type Translate } from "../i18n.ts";

/** The measure fields that decide how values are written. */
export interface ValueSpec {
  unit: string;
  multiplier: number;
  decimals: number;
}

/** Status words against Wales or against a comparator group. */
export function statusLabels(t: Translate, against: "wales" | "group" = "wales"): Record<Status, string> {
  return Object.fromEntries(STATUSES.map((s) => [s, t(`stats.significance.${against}.${s}`)])) as Record<
    Status,
    string
  >;
}

/** Coerces a stored significance code to a chart status. */
export function toStatus(s: string | null | undefined): Status {
  return (STATUSES as readonly string[]).includes(s ?? "") ? (s as Status) : "not_compared";
}

/** Recent-trend words: judged (getting better / worse) where the measure has a better direction. */
export function trendText(t: Translate, r: { trendDirection: string; trendJudgement: string | null }): string {
  if (r.trendJudgement === "getting_better" || r.trendJudgement === "getting_worse")
    return t(`stats.trend.${r.trendJudgement}`);
  return t(`stats.trend.${r.trendDirection}`);
}

/** The trend's reason in words (why it could not be calculated, for example). */
export function trendReasonText(t: Translate, reason: string): string {
  try {
    return t(`stats.trendReason.${reason}`);
  } catch {
    return "";
  }
}

/** "Percentage", "Rate per 1,000" … */
export function unitLabel(t: Translate, lang: Language, m: ValueSpec): string {
  return t(`stats.unit.${m.unit}`, { multiplier: formatNumber(m.multiplier, lang, 0) });
}

/** Number formatter with the measure's decimal places (for axes and tables). */
export function numberFormat(lang: Language, m: Pick<ValueSpec, "decimals">): (n: number) => string {
  return (n: number) => formatNumber(n, lang, m.decimals);
}

/** A value as people read it: the measure's decimals, and "%" for percentages. */
export function displayValue(lang: Language, m: ValueSpec, v: number | null | undefined): string {
  if (v === null || v === undefined) return "";
  return `${formatNumber(v, lang, m.decimals)}${m.unit === "percentage" ? "%" : ""}`;
}

/** "6.5 to 7.7" (or empty without limits). */
export function ciText(
  t: Translate,
  lang: Language,
  m: ValueSpec,
  lower: number | null | undefined,
  upper: number | null | undefined,
): string {
  if (lower === null || lower === undefined || upper === null || upper === undefined) return "";
  return t("stats.ciRange", {
    lower: formatNumber(lower, lang, m.decimals),
    upper: formatNumber(upper, lang, m.decimals),
  });
}

/** Names of quintiles 1–5. */
export function quintileNames(t: Translate): string[] {
  return [1, 2, 3, 4, 5].map((n) => t(`stats.quintile.names.${n}`));
}

/** "Better than Wales: 3; Similar to Wales: 17; …" for chart descriptions (statuses that occur only). */
export function statusCounts(t: Translate, labels: Record<Status, string>, statuses: readonly string[]): string {
  return STATUSES.map((s) => ({ s, n: statuses.filter((x) => toStatus(x) === s).length }))
    .filter((c) => c.n > 0)
    .map((c) => t("stats.countItem", { label: labels[c.s], count: c.n }))
    .join("; ");
}
