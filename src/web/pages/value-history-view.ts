/**
 * The revision history of one value for analysts (GET /data/history): the key chosen in the query string, and one
 * table row per revision that serves both the page and its CSV download (raw numbers and ISO times in the file,
 * formatted numbers and UK times in words on the page). Batch status is always in words.
 */
import { z } from "zod";
import { canonicalBreakdown, parseBreakdown, TOTAL_BREAKDOWN } from "../../domain/breakdown.ts";
import type { Language } from "../../domain/enums.ts";
import { esc } from "../../render/charts/svg.ts";
import { cell, type TableCell, type TableModel } from "../../render/document/table.ts";
import type { valueHistory } from "../../services/import/batches.ts";
import type { Translate } from "../i18n.ts";
import { one } from "./query-schemas.ts";
import { withQuery } from "./urls.ts";

export type Revision = Awaited<ReturnType<typeof valueHistory>>[number];

export const HISTORY_FIELDS = ["measure", "area", "period", "breakdown"] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

/** The value's key as given in the query string; each message is a locale key naming the problem. */
export const historyQuery = z.object({
  measure: one
    .optional()
    .pipe(z.string({ error: "import.history.errors.measure" }).max(100, { error: "import.history.errors.measure" })),
  area: one
    .optional()
    .pipe(
      z
        .string({ error: "import.history.errors.area" })
        .regex(/^[A-Za-z0-9]{1,20}$/, { error: "import.history.errors.area" }),
    )
    .transform((s) => s.toUpperCase()),
  period: one
    .optional()
    .pipe(z.string({ error: "import.history.errors.period" }).max(40, { error: "import.history.errors.period" })),
  breakdown: one
    .optional()
    .transform((s) => s ?? TOTAL_BREAKDOWN)
    .pipe(
      z
        .string()
        .max(400, { error: "import.history.errors.breakdown" })
        .refine((s) => parseBreakdown(s).ok, { error: "import.history.errors.breakdown" }),
    )
    .transform((s) => {
      const parsed = parseBreakdown(s);
      return parsed.ok ? canonicalBreakdown(parsed.parts) : s;
    }),
});
export type HistoryKey = z.output<typeof historyQuery>;

export type HistoryQuery =
  | { kind: "empty" }
  | { kind: "key"; key: HistoryKey }
  | { kind: "invalid"; errors: { field: HistoryField; key: string }[]; values: Record<string, string> };

/**
 * Reads the query string: nothing chosen yet (when `allowEmpty`), a complete key, or the problems with it (one per
 * field).
 */
export function parseHistoryQuery(query: unknown, allowEmpty: boolean): HistoryQuery {
  const raw = (query ?? {}) as Record<string, unknown>;
  if (allowEmpty && !HISTORY_FIELDS.some((f) => raw[f] !== undefined)) return { kind: "empty" };
  const r = historyQuery.safeParse(raw);
  if (r.success) return { kind: "key", key: r.data };
  const errors: { field: HistoryField; key: string }[] = [];
  for (const field of HISTORY_FIELDS) {
    const issue = r.error.issues.find((i) => i.path[0] === field);
    if (issue) errors.push({ field, key: issue.message });
  }
  const values = Object.fromEntries(
    HISTORY_FIELDS.map((f) => {
      const v = raw[f];
      return [f, (Array.isArray(v) ? String(v.at(-1) ?? "") : String(v ?? "")).trim()];
    }),
  );
  return { kind: "invalid", errors, values };
}

/** The page and download addresses for a key. */
export function historyUrls(lang: Language, key: HistoryKey): { page: string; csv: string } {
  const params = { measure: key.measure, area: key.area, period: key.period, breakdown: key.breakdown };
  return { page: withQuery(`/${lang}/data/history`, params), csv: withQuery(`/${lang}/data/history.csv`, params) };
}

const numberFormats = new Map<Language, Intl.NumberFormat>();
/** A stored number as it is (no rounding), with the language's separators. */
function plainNumber(n: number, lang: Language): string {
  let f = numberFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB", { maximumFractionDigits: 10 });
    numberFormats.set(lang, f);
  }
  return f.format(n);
}

/** A date and time in UK time, in words in the language ("5 July 2024 at 09:30", "5 Gorffennaf 2024 am 09:30"). */
export function ukDateTime(d: Date, lang: Language): string {
  return new Intl.DateTimeFormat(lang === "cy" ? "cy-GB" : "en-GB", {
    timeZone: "Europe/London",
    dateStyle: "long",
    timeStyle: "short",
  }).format(d);
}

function numberCell(n: number | null, lang: Language): TableCell {
  return cell(n, n === null ? "–" : plainNumber(n, lang));
}

function translated(t: Translate, key: string, fallback: string): string {
  try {
    return t(key);
  } catch {
    return fallback;
  }
}

/** The batch's status in words: draft, published (since when), embargoed until when, or rolled back. */
export function batchStatusText(
  t: Translate,
  lang: Language,
  r: Pick<Revision, "batchStatus" | "publishAt">,
  now: Date,
): string {
  if (r.batchStatus === "published" && r.publishAt) {
    const time = ukDateTime(r.publishAt, lang);
    return r.publishAt.getTime() > now.getTime()
      ? t("import.history.statusEmbargoed", { time })
      : t("import.history.statusPublished", { time });
  }
  return translated(t, `import.batches.status_${r.batchStatus}`, r.batchStatus);
}

/** The table of revisions, oldest first. */
export function historyTable(revisions: readonly Revision[], lang: Language, t: Translate, now: Date): TableModel {
  const revisionById = new Map(revisions.map((r) => [r.id, r.revision]));
  const columns: TableModel["columns"] = [
    { key: "revision", header: t("import.history.revision"), kind: "number", decimals: 0, numeric: true },
    { key: "value", header: t("stats.value"), kind: "number", numeric: true },
    { key: "numerator", header: t("stats.numerator"), kind: "number", numeric: true },
    { key: "denominator", header: t("stats.denominator"), kind: "number", numeric: true },
    { key: "ci", header: t("stats.ci95"), kind: "text", pageOnly: true },
    { key: "lower", header: t("stats.lower"), kind: "number", downloadOnly: true },
    { key: "upper", header: t("stats.upper"), kind: "number", downloadOnly: true },
    { key: "notes", header: t("stats.notes"), kind: "text" },
    { key: "withdrawn", header: t("import.history.withdrawn"), kind: "text" },
    { key: "batch", header: t("import.history.batch"), kind: "number", decimals: 0 },
    { key: "file", header: t("import.history.file"), kind: "text", downloadOnly: true },
    { key: "status", header: t("import.history.status"), kind: "text" },
    { key: "who", header: t("import.history.who"), kind: "text" },
    { key: "when", header: t("import.history.when"), kind: "text" },
    { key: "reason", header: t("import.history.reason"), kind: "text" },
    { key: "replaces", header: t("import.history.replaces"), kind: "number", decimals: 0 },
  ];
  const rows = revisions.map((r): Record<string, TableCell> => {
    const ci =
      r.lower95 !== null && r.upper95 !== null
        ? t("stats.ciRange", { lower: plainNumber(r.lower95, lang), upper: plainNumber(r.upper95, lang) })
        : "–";
    const notes = r.noteCodes.map((c) => translated(t, `stats.noteCodes.${c}`, c));
    const batchText = t("import.history.batchN", { id: r.batchId });
    const fileText =
      r.batchFormat === "rollback" ? t("import.batches.rollbackOf") : r.fileName ? r.fileName : r.batchFormat;
    const batchHtml = `<a class="govuk-link" href="/${lang}/data/batches#batch-${r.batchId}">${esc(batchText)}</a><br><span class="govuk-body-s">${esc(fileText)}</span>`;
    const replaced = r.replacesId === null ? null : (revisionById.get(r.replacesId) ?? null);
    const withdrawn = r.withdrawn ? t("import.history.yes") : t("import.history.no");
    // a rollback's reason is written by the system, in English
    const reasonHtml = r.reason && r.batchFormat === "rollback" ? `<span lang="en">${esc(r.reason)}</span>` : undefined;
    return {
      revision: cell(r.revision, String(r.revision)),
      value: numberCell(r.value, lang),
      numerator: numberCell(r.numerator, lang),
      denominator: numberCell(r.denominator, lang),
      ci: cell(null, ci),
      lower: cell(r.lower95),
      upper: cell(r.upper95),
      notes: cell(notes.length ? r.noteCodes.join(";") : null, notes.length ? notes.join("; ") : "–"),
      withdrawn: cell(withdrawn),
      batch: { raw: r.batchId, text: batchText, html: batchHtml },
      file: cell(r.batchFormat === "rollback" ? null : r.fileName),
      status: cell(batchStatusText(t, lang, r, now)),
      who: cell(r.createdBy, r.createdBy ?? t("import.history.unknownUser")),
      when: cell(r.createdAt.toISOString(), ukDateTime(r.createdAt, lang)),
      reason: cell(r.reason, r.reason ?? "–", reasonHtml),
      replaces: cell(
        replaced,
        replaced === null
          ? r.replacesId === null
            ? t("import.history.replacesNothing")
            : "–"
          : t("import.history.replacesRevision", { revision: replaced }),
      ),
    };
  });
  return { id: "history-table", caption: t("import.history.caption"), columns, rows, rowHeader: "revision" };
}

interface Named {
  code: string;
  name: string;
  /** True when the name is shown in English on a Welsh page (no Welsh yet). */
  english: boolean;
}

/** The options of the measure and area selects; a code in the query that is not listed is kept as an option. */
export function historyChoices(
  measures: readonly Named[],
  areas: readonly Named[],
  chosen: { measure?: string | undefined; area?: string | undefined },
  t: Translate,
): { measures: SelectItem[]; areas: SelectItem[] } {
  const items = (list: readonly Named[], value: string | undefined, empty: string): SelectItem[] => {
    const out: SelectItem[] = [{ value: "", text: empty, selected: !value }];
    for (const n of list) {
      out.push({
        value: n.code,
        text: `${n.name} (${n.code})`,
        selected: n.code === value,
        ...(n.english ? { attributes: { lang: "en" } } : {}),
      });
    }
    if (value && !list.some((n) => n.code === value)) out.push({ value, text: value, selected: true });
    return out;
  };
  return {
    measures: items(measures, chosen.measure, t("import.history.chooseMeasure")),
    areas: items(areas, chosen.area?.toUpperCase(), t("import.history.chooseArea")),
  };
}

export interface SelectItem {
  value: string;
  text: string;
  selected: boolean;
  attributes?: Record<string, string>;
}

/** The key in words, for the summary list above the table. */
export function keyLabels(
  key: HistoryKey,
  names: { measure: Named | undefined; area: Named | undefined },
  t: Translate,
): { measure: string; area: string; period: string; breakdown: string; measureEnglish: boolean; areaEnglish: boolean } {
  return {
    measure: names.measure ? `${names.measure.name} (${key.measure})` : key.measure,
    measureEnglish: names.measure?.english ?? false,
    area: names.area ? `${names.area.name} (${key.area})` : key.area,
    areaEnglish: names.area?.english ?? false,
    period: key.period,
    breakdown: key.breakdown === TOTAL_BREAKDOWN ? t("stats.total") : key.breakdown,
  };
}
