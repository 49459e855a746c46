/**
 * The audit log page for national roles (GET /audit) and its CSV (GET /audit.csv): the filters read from the query
 * string (partnership, user, kind, dates from and to, in UTC), each entry in words (when, who, kind, what it is about
 * with a link, the reason, what changed field by field, and the whole record as JSON), and the CSV's rows in the page
 * language. Kinds are named from `audit.kind.*` (an action the locale does not name yet is shown as its code).
 */
import type { AuditFilter, AuditRecord } from "../../domain/audit.ts";
import type { Language } from "../../domain/enums.ts";
import { addDays } from "../../domain/plans/actions.ts";
import { isValidIsoDate } from "../../domain/plans/dates.ts";
import { esc } from "../../render/charts/svg.ts";
import type { CellValue, DownloadColumn } from "../../render/tables/download-table.ts";
import type { Translate } from "../i18n.ts";
import { entryFieldChanges, type FieldChange } from "./plan-changes.ts";
import { minuteUtc, planAddress } from "./plan-view.ts";
import { withQuery } from "./urls.ts";

/** The filter fields of the form, in order. */
export const AUDIT_FIELDS = ["partnership", "user", "kind", "from", "to"] as const;
export type AuditField = (typeof AUDIT_FIELDS)[number];

/** What may be chosen: partnerships by area code, users by id, kinds by action. */
export interface AuditChoices {
  partnerships: ReadonlyMap<string, string>;
  users: ReadonlyMap<number, string>;
  kinds: readonly string[];
}

export type AuditQuery =
  | {
      ok: true;
      filter: AuditFilter;
      /** The filters as given (for the form and for links). */
      values: Record<AuditField, string>;
      before?: number | undefined;
      after?: number | undefined;
    }
  | { ok: false; values: Record<AuditField, string>; errors: { field: AuditField; key: string }[] };

/** The value user= takes for entries made without an account. */
export const NO_ACCOUNT = "none";

function last(v: unknown): string {
  return (Array.isArray(v) ? String(v.at(-1) ?? "") : String(v ?? "")).trim();
}

/** The page's query string: the filters (each checked against what may be chosen) and the page cursor. */
export function parseAuditQuery(query: unknown, choices: AuditChoices): AuditQuery {
  const raw = (query ?? {}) as Record<string, unknown>;
  const values = Object.fromEntries(AUDIT_FIELDS.map((f) => [f, last(raw[f])])) as Record<AuditField, string>;
  const errors: { field: AuditField; key: string }[] = [];
  const filter: AuditFilter = {};
  const partnership = values.partnership.toUpperCase();
  if (partnership) {
    if (choices.partnerships.has(partnership)) filter.areaCode = partnership;
    else errors.push({ field: "partnership", key: "audit.errors.partnership" });
  }
  if (values.user === NO_ACCOUNT) filter.userId = null;
  else if (values.user) {
    const id = /^\d{1,9}$/.test(values.user) ? Number(values.user) : Number.NaN;
    if (choices.users.has(id)) filter.userId = id;
    else errors.push({ field: "user", key: "audit.errors.user" });
  }
  if (values.kind) {
    if (choices.kinds.includes(values.kind)) filter.action = values.kind;
    else errors.push({ field: "kind", key: "audit.errors.kind" });
  }
  for (const field of ["from", "to"] as const) {
    const v = values[field];
    if (!v) continue;
    if (!isValidIsoDate(v)) errors.push({ field, key: "audit.errors.date" });
    else if (field === "from") filter.from = new Date(`${v}T00:00:00Z`);
    else filter.to = new Date(`${addDays(v, 1)}T00:00:00Z`); // the whole of the last day
  }
  if (filter.from && filter.to && filter.from >= filter.to)
    errors.push({ field: "to", key: "audit.errors.toBeforeFrom" });
  if (errors.length) return { ok: false, values, errors };
  const cursor = (v: unknown) => {
    const s = last(v);
    return /^\d{1,15}$/.test(s) ? Number(s) : undefined;
  };
  const after = cursor(raw.after);
  return { ok: true, filter, values, before: after === undefined ? cursor(raw.before) : undefined, after };
}

/** The address of the page (or its CSV) with these filters and cursor. */
export function auditUrl(
  lang: Language,
  values: Record<AuditField, string>,
  extra: { before?: number; after?: number; csv?: boolean } = {},
): string {
  return withQuery(`/${lang}/audit${extra.csv ? ".csv" : ""}`, {
    ...values,
    before: extra.before === undefined ? undefined : String(extra.before),
    after: extra.after === undefined ? undefined : String(extra.after),
  });
}

/**
 * The name of a kind of entry in the page language: `audit.kind.*`, or for a change to a plan the name its changes
 * page gives it (`plans.changes.action.*`); its code when the locale names it neither way.
 */
export function kindName(t: Translate, action: string): string {
  const keys = [`audit.kind.${action.replaceAll(".", "_")}`];
  if (action.startsWith("plan.")) keys.push(`plans.changes.action.${action.slice(5).replaceAll(".", "_")}`);
  for (const key of keys) {
    try {
      return t(key);
    } catch {
      // not this key
    }
  }
  return action;
}

/** The name of a kind of thing (plan, import batch …), or its code. */
function entityName(t: Translate, entity: string): string {
  try {
    return t(`audit.entity.${entity}`);
  } catch {
    return entity;
  }
}

/** Where the thing an entry is about can be seen, when it has a page. */
function subjectHref(lang: Language, r: AuditRecord): string | null {
  if (r.entity === "plan") {
    const m = /^([A-Z]\d{8})\/([0-9a-z-]+)\/v\d+$/.exec(r.entityKey);
    return m ? planAddress(lang, m[1]!, m[2]!) : null;
  }
  if (r.entity === "agreement") {
    const m = /^([A-Z]\d{8})\/([0-9a-z-]+)$/.exec(r.entityKey);
    return m ? `/${lang}/agreements/${m[1]}/${m[2]}` : null;
  }
  if (r.entity === "import_batch" && /^\d+$/.test(r.entityKey)) return `/${lang}/data/batches#batch-${r.entityKey}`;
  if (r.entity === "measure") {
    const code = r.entityKey.split("/")[1];
    return code ? `/${lang}/measures/${encodeURIComponent(code)}` : null;
  }
  return null;
}

export interface AuditRow {
  id: number;
  at: string;
  who: string;
  kind: string;
  subject: string;
  href: string | null;
  partnership: string;
  reason: string;
  /** What changed, field by field, as safe HTML (English values marked lang="en"). */
  fields: string[];
  before: string | null;
  after: string | null;
}

/**
 * One field's change in words, as safe HTML: the sentence from the locale with the field, the value it was and the
 * value it became put in escaped, English values marked as such.
 */
function fieldHtml(t: Translate, f: FieldChange): string {
  const key = f.was && f.now ? "plans.changes.wasNow" : f.was ? "plans.changes.wasNone" : "plans.changes.now";
  // private-use characters stand for the values while the sentence is escaped
  const value = (v: string) => (f.english ? `<span lang="en">${esc(v)}</span>` : esc(v));
  const parts: Record<string, string> = { "\uE000": esc(f.field), "\uE001": value(f.was), "\uE002": value(f.now) };
  return esc(t(key, { field: "\uE000", was: "\uE001", now: "\uE002" })).replace(/[\uE000-\uE002]/g, (c) => parts[c]!);
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v, null, 2));

/** The page's rows: each entry in words, with its whole record kept for the details. */
export function auditRows(
  t: Translate,
  lang: Language,
  records: readonly AuditRecord[],
  partnerships: ReadonlyMap<string, string>,
  measures: ReadonlyMap<string, string>,
): AuditRow[] {
  return records.map((r) => {
    let fields: string[] = [];
    try {
      fields = entryFieldChanges(t, lang, [r], { priorities: new Map(), measures })[0]!.map((f) => fieldHtml(t, f));
    } catch {
      // a value the summary cannot put in words: the record below still shows all of it
    }
    return {
      id: r.id,
      at: minuteUtc(r.at),
      who: r.actor,
      kind: kindName(t, r.action),
      subject: `${entityName(t, r.entity)} ${r.entityKey}`,
      href: subjectHref(lang, r),
      partnership: r.areaCode ? (partnerships.get(r.areaCode) ?? r.areaCode) : "",
      reason: r.reason ?? "",
      fields,
      before: json(r.before),
      after: json(r.after),
    };
  });
}

/** The CSV's columns, headed in the page language. */
export function auditCsvColumns(t: Translate): DownloadColumn[] {
  const c = (key: string, kind: "text" | "number" = "text"): DownloadColumn => ({
    key,
    header: t(`audit.csv.${key}`),
    kind,
  });
  return [
    c("id", "number"),
    c("at"),
    c("who"),
    c("userId", "number"),
    c("kind"),
    c("kindCode"),
    c("entity"),
    c("entityKey"),
    c("partnershipCode"),
    c("partnership"),
    c("reason"),
    c("before"),
    c("after"),
  ];
}

/** One CSV row per entry: the time in ISO 8601 (UTC), codes beside their names, before and after as JSON. */
export function auditCsvRow(
  t: Translate,
  r: AuditRecord,
  partnerships: ReadonlyMap<string, string>,
): Record<string, CellValue> {
  return {
    id: r.id,
    at: r.at.toISOString(),
    who: r.actor,
    userId: r.userId,
    kind: kindName(t, r.action),
    kindCode: r.action,
    entity: entityName(t, r.entity),
    entityKey: r.entityKey,
    partnershipCode: r.areaCode,
    partnership: r.areaCode ? (partnerships.get(r.areaCode) ?? r.areaCode) : null,
    reason: r.reason,
    before: r.before === null || r.before === undefined ? null : JSON.stringify(r.before),
    after: r.after === null || r.after === undefined ? null : JSON.stringify(r.after),
  };
}
