/**
 * The page model of a plan's changes (`…/edit/history`): every audited change to the plan, newest first, with who
 * made it, when, what was done and, field by field, what it was before and what it became. Made from the audit
 * entries the plans service writes with each change (their `before` and `after`), so a replaced priority text, reason,
 * target or status can always be read back.
 */
import type { AuditRecord } from "../../domain/audit.ts";
import type { Language } from "../../domain/enums.ts";
import { ACTION_STATUSES } from "../../domain/plans/actions.ts";
import { PLAN_STATUSES } from "../../domain/plans/model.ts";
import type { Translate } from "../../render/wording/translate.ts";
import { inLanguage, minuteUtc } from "./plan-view.ts";

/** One field of a change: its label and its value before and after ("" when it had none). */
export interface FieldChange {
  field: string;
  was: string;
  now: string;
  /** The values are the English side of bilingual text (to be marked lang="en" on a Welsh page). */
  english?: true;
}

export interface ChangeRow {
  at: string;
  who: string;
  what: string;
  fields: FieldChange[];
}

/** Fields that say which thing changed: shown first, and even when an edit left them as they were. */
const IDENTITY_FIELDS = [
  "areaCode",
  "period",
  "measureCode",
  "subjectCode",
  "section",
  "code",
  "name",
  "text",
  "title",
] as const;
const IDENTITY: ReadonlySet<string> = new Set(IDENTITY_FIELDS);

/** The fields shown, in this order; the rest of an entry (ids, sort orders, framework ids) is kept but not shown. */
const FIELDS = [
  ...IDENTITY_FIELDS,
  "description",
  "rationale",
  "coreAims",
  "coreAim",
  "layDefinition",
  "unit",
  "polarity",
  "valueType",
  "periodType",
  "multiplier",
  "decimals",
  "quadrant",
  "priorityId",
  "reason",
  "owner",
  "startDate",
  "dueDate",
  "status",
  "value",
  "numerator",
  "denominator",
  "revision",
  "version",
] as const;

type Names = { priorities: ReadonlyMap<number, string>; measures: ReadonlyMap<string, string> };

function isBilingual(v: unknown): v is { en: string; cy?: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { en?: unknown }).en === "string";
}

/** A stored value in words: bilingual text in the page language, codes by their names, enums translated. */
function shownValue(key: string, v: unknown, t: Translate, lang: Language, names: Names): string {
  if (v === null || v === undefined || v === "") return "";
  if (isBilingual(v)) return inLanguage(v, lang);
  if (Array.isArray(v)) return v.map((x) => shownValue(key, x, t, lang, names)).join(", ");
  const s = String(v);
  switch (key) {
    case "priorityId":
      return names.priorities.get(Number(v)) ?? s;
    case "measureCode":
    case "subjectCode": {
      const title = names.measures.get(s);
      return title ? `${title} (${s})` : s;
    }
    case "status":
      if ((ACTION_STATUSES as readonly string[]).includes(s)) return t(`plans.action.${s}`);
      return (PLAN_STATUSES as readonly string[]).includes(s) ? t(`plans.status.${s}`) : s;
    case "valueType":
      return t(`measures.page.methods.${s}`);
    case "section":
      return t(`plans.section.${s}`);
    case "quadrant":
      return t(`plans.quadrant.${s}`);
    case "unit":
      return t(`enums.unit.${s}`);
    case "polarity":
      return t(`enums.polarity.${s}`);
    default:
      return typeof v === "object" ? JSON.stringify(v) : s;
  }
}

/** A labelled value of an entry; `identity` when it says which thing changed. */
interface Shown {
  value: string;
  identity: boolean;
  english?: true;
}

/** An entry's `before` or `after` as labelled values; a list of targets becomes one target and stretch per period. */
function fieldsOf(value: unknown, t: Translate, lang: Language, names: Names): Map<string, Shown> {
  const out = new Map<string, Shown>();
  if (typeof value !== "object" || value === null) return out;
  const o = value as Record<string, unknown>;
  for (const key of FIELDS) {
    if (!(key in o)) continue;
    const label = t(`plans.changes.field.${key}`);
    const v = o[key];
    if (isBilingual(v)) {
      // each language on its own, so a change to either shows on both pages; the page's own one says which thing
      const own = lang === "cy" && v.cy ? "cy" : "en";
      out.set(t("plans.edit.inEnglish", { label }), {
        value: v.en,
        identity: IDENTITY.has(key) && own === "en",
        english: true,
      });
      out.set(t("plans.edit.inWelsh", { label }), { value: v.cy ?? "", identity: IDENTITY.has(key) && own === "cy" });
    } else out.set(label, { value: shownValue(key, v, t, lang, names), identity: IDENTITY.has(key) });
  }
  const targets = Array.isArray(o.targets) ? o.targets : Array.isArray(value) ? value : [];
  for (const row of targets as { period?: unknown; value?: unknown; stretch?: unknown }[]) {
    if (typeof row?.period !== "string") continue;
    const shown = (v: unknown) => ({ value: shownValue("value", v, t, lang, names), identity: false });
    out.set(t("plans.changes.targetFor", { period: row.period }), shown(row.value));
    out.set(t("plans.changes.stretchFor", { period: row.period }), shown(row.stretch));
  }
  return out;
}

/**
 * The fields of one change: for an edit, those that changed and those that say which thing it was (as `now` only
 * when unchanged); for an addition or a removal, those it had.
 */
function fieldChanges(before: Map<string, Shown>, after: Map<string, Shown>, edited: boolean): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(field)?.value ?? "";
    const now = after.get(field)?.value ?? "";
    const identity = Boolean(before.get(field)?.identity || after.get(field)?.identity);
    const english = before.get(field)?.english ?? after.get(field)?.english;
    const change = (c: FieldChange): FieldChange => (english ? { ...c, english } : c);
    if (was === now) {
      if (was !== "" && (identity || !edited))
        out.push(change({ field, was: edited ? "" : was, now: edited ? now : "" }));
      continue;
    }
    out.push(change({ field, was, now }));
  }
  return out;
}

/** The names that make entries readable: priorities by id and measures by code, from every entry and the plan now. */
function namesFrom(records: readonly AuditRecord[], lang: Language, current: Names): Names {
  const priorities = new Map<number, string>();
  for (const r of [...records].reverse())
    for (const side of [r.before, r.after]) {
      const o = side as { id?: unknown; text?: unknown } | null;
      if (r.action.startsWith("plan.priority.") && typeof o?.id === "number" && isBilingual(o.text))
        priorities.set(o.id, inLanguage(o.text, lang));
    }
  for (const [id, text] of current.priorities) priorities.set(id, text);
  return { priorities, measures: current.measures };
}

/** Rows of the changes page from the plan's audit entries (newest first). */
export function planChangeRows(
  t: Translate,
  lang: Language,
  records: readonly AuditRecord[],
  current: Names,
): ChangeRow[] {
  const fields = entryFieldChanges(t, lang, records, current);
  return records.map((r, i) => {
    const action = r.action.replace(/^plan\./, "").replaceAll(".", "_");
    return {
      at: minuteUtc(r.at),
      who: r.actor.replace(/^(web|api):/, ""),
      what: t(`plans.changes.action.${action}`),
      fields: fields[i]!,
    };
  });
}

/** For each audit entry, what changed field by field, in words (the changes page and the audit log page). */
export function entryFieldChanges(
  t: Translate,
  lang: Language,
  records: readonly AuditRecord[],
  current: Names,
): FieldChange[][] {
  const names = namesFrom(records, lang, current);
  return records.map((r) =>
    fieldChanges(
      fieldsOf(r.before, t, lang, names),
      fieldsOf(r.after, t, lang, names),
      r.before !== null && r.after !== null,
    ),
  );
}
