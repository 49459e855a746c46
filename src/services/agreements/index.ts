/**
 * The outcome agreements service (issue 16): schemes (versioned, editable by national administrators), agreements
 * between the Welsh Government and one local authority (a draft negotiated by national roles, then agreed by both
 * sides and immutable), each year's self-assessment of each outcome by the authority's partnership editors, national
 * moderation with a recorded reason (both assessments kept), separately judged parts of the grant, and the grant
 * payable with its explanation. Every change writes its audit entry through services/audit.ts in its transaction.
 * Drafts are read only by national roles and the authority's editors; agreed agreements are public.
 */
import type { Database, Db } from "../../db/database.ts";
import * as q from "../../db/queries/agreements.ts";
import { listActions, listPlanRows, listPriorities } from "../../db/queries/plans.ts";
import {
  type AgreementPeriod,
  AgreementPeriodError,
  type AgreementStatus,
  collaborationEvidenced,
  countingAssessment,
  isNegotiable,
  type PlanLink,
  parseAgreementPeriod,
} from "../../domain/agreements/model.ts";
import {
  ASSESSMENT_CATEGORIES,
  type AssessmentCategory,
  parseScheme,
  type Scheme,
} from "../../domain/agreements/scheme.ts";
import { computeGrant, countCategories, type GrantComputation, toPence } from "../../domain/agreements/score.ts";
import type { BilingualText, Polarity, Role } from "../../domain/enums.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../domain/errors.ts";
import type { Period } from "../../domain/period-model.ts";
import { comparePeriods } from "../../domain/period-order.ts";
import { parsePeriod } from "../../domain/period-parse.ts";
import { permissions } from "../../domain/permissions.ts";
import { type TargetStatus, targetStatus } from "../../domain/plans/turn-the-curve.ts";
import type { WorkflowAction, WorkflowState } from "../../domain/workflow.ts";
import { presetSchemes } from "../../ingest/agreements/schemes-file.ts";
import { createAuditLog } from "../audit.ts";
import type { FrameworkService, MeasureView } from "../framework-service.ts";
import type { PublicViews } from "../public/index.ts";
import { createWorkflow } from "../workflow.ts";

export interface AgreementActor {
  id: number | null;
  email: string;
  role: Role;
  areaCodes: readonly string[];
  channel: "web" | "cli" | "api" | "demo";
}

export interface AgreementRef {
  areaCode: string;
  period: string;
}

export interface NewOutcome {
  title: BilingualText;
  theme?: string | null;
  measureCodes: readonly string[];
  targets?: readonly { measureCode: string; period: string; value: number }[];
  /** The authority's own measures, by name. */
  localMeasures?: readonly string[];
  /** Priorities and actions of the authority's plan, as "priority:{id}" or "action:{id}". */
  planLinks?: readonly string[];
}

/** A priority or action of the authority's newest plan that an outcome may be linked to. */
export interface PlanChoice {
  key: string;
  link: PlanLink;
}

/** Who agreed for each side, and when (dates as YYYY-MM-DD). */
export interface AgreedBy {
  government: string;
  governmentOn: string;
  authority: string;
  authorityOn: string;
}

/** A variation of an agreed agreement: a new grant, or new terms for one outcome; always with a reason. */
export type VariationInput =
  | { kind: "grant"; grant: number; reason: string }
  | ({ kind: "outcome"; outcome: number; reason: string } & NewOutcome);

/** One authority's row of the overview across the 22 local authorities. */
export interface OverviewRow {
  areaCode: string;
  agreement: (q.AgreementRow & { schemeCode: string; schemeVersion: number }) | null;
  /** The latest year with every outcome assessed, and its result with moderation. */
  latest: YearResult | null;
  /** How many outcomes there are in each theme. */
  themes: { theme: string; outcomes: number }[];
}

/** A measure of an outcome: its latest published value for the authority against the agreed target. */
export interface OutcomeMeasureView {
  code: string;
  measure: MeasureView | null;
  latest: { period: string; value: number | null } | null;
  target: { period: string; value: number } | null;
  status: TargetStatus | null;
}

export interface AssessmentPair {
  year: string;
  self: q.AssessmentRow | null;
  moderated: q.AssessmentRow | null;
  /** Every version of both kinds, oldest first. */
  history: q.AssessmentRow[];
}

export interface OutcomeView extends q.OutcomeRow {
  measures: OutcomeMeasureView[];
  assessments: AssessmentPair[];
}

export interface YearResult {
  year: string;
  /** How many outcomes have an assessment that counts. */
  assessed: number;
  collaboration: boolean;
  judged: Record<string, number | null>;
  /** The authority's own assessments only, and with moderation (null until every outcome is assessed). */
  authority: GrantComputation | null;
  moderated: GrantComputation | null;
}

export interface AgreementDetail {
  agreement: q.AgreementRow & { status: AgreementStatus };
  variations: q.VariationRow[];
  scheme: Scheme;
  schemeVersion: number;
  period: AgreementPeriod;
  outcomes: OutcomeView[];
  years: YearResult[];
}

const NATIONAL: readonly Role[] = ["national_admin", "national_analyst"];
const isNational = (actor: AgreementActor | null) => actor !== null && NATIONAL.includes(actor.role);

function actorName(actor: AgreementActor): string {
  return `${actor.channel}:${actor.email}`;
}

export function agreementKey(a: Pick<q.AgreementRow, "areaCode" | "period">): string {
  return `${a.areaCode}/${a.period}`;
}

/** The public reads an agreed agreement whose summary a national administrator published; national roles read all;
 * an authority's editors read their own. */
function mayRead(actor: AgreementActor | null, a: q.AgreementRow): boolean {
  if (a.status === "agreed" && a.summaryPublished) return true;
  return isNational(actor) || (actor !== null && permissions.canEditArea(actor, a.areaCode));
}

/** The agreement's status as a state of the shared workflow (agreed is its approved state) and back. */
const toWorkflowState = (status: string): WorkflowState =>
  status === "agreed" ? "approved" : (status as WorkflowState);
const fromWorkflowState = (state: WorkflowState): string => (state === "approved" ? "agreed" : state);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function checkDate(value: string, field: string): string {
  const v = clean(value);
  const d = new Date(`${v}T00:00:00Z`);
  if (!DATE.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v)
    throw new InvalidError(`${field}: ${v || "(empty)"} is not a date such as 2013-04-01`, {
      code: "invalid_date",
      details: { field },
    });
  return v;
}

function requireNational(actor: AgreementActor, what: string): void {
  if (!isNational(actor)) throw new ForbiddenError(`${actor.email} may not ${what}: national roles only`);
}

function periodOf(slug: string): AgreementPeriod {
  try {
    return parseAgreementPeriod(slug);
  } catch (error) {
    if (error instanceof AgreementPeriodError)
      throw new InvalidError(error.message, { code: "invalid_period", details: { field: "period" } });
    throw error;
  }
}

function clean(text: string | null | undefined): string {
  return (text ?? "").trim();
}

function latestOf(values: { period: string; value: number | null }[]): { period: string; value: number | null } | null {
  let best: { row: { period: string; value: number | null }; p: Period } | null = null;
  for (const row of values) {
    const parsed = parsePeriod(row.period);
    if (!parsed.ok) continue;
    if (!best || comparePeriods(parsed.period, best.p) > 0) best = { row, p: parsed.period };
  }
  return best?.row ?? null;
}

export function createAgreementsService(deps: {
  database: Database;
  framework: FrameworkService;
  publicViews: PublicViews;
}) {
  const { database, framework, publicViews } = deps;
  const db = database.db;

  /** Loads the shipped presets into the database the first time they are needed. */
  async function ensurePresets(): Promise<void> {
    for (const scheme of presetSchemes().values()) {
      if (await q.findScheme(db, scheme.code)) continue;
      await db.transaction(async (tx) => {
        const row = await q.insertSchemeVersion(tx as Db, {
          definition: scheme,
          reason: "shipped preset",
          author: "seed",
        });
        await createAuditLog(tx as Db).record({
          userId: null,
          actor: "seed",
          action: "agreement_scheme.create",
          entity: "agreement_scheme",
          entityKey: `${row.code}/v${row.version}`,
          after: scheme,
        });
      });
    }
  }

  async function load(ref: AgreementRef, actor: AgreementActor | null): Promise<q.AgreementRow> {
    const row = await q.findAgreementRow(db, ref.areaCode.trim().toUpperCase(), ref.period.trim());
    if (!row || !mayRead(actor, row)) throw new NotFoundError(`no agreement for ${ref.areaCode} ${ref.period}`);
    return row;
  }

  async function schemeOf(row: q.AgreementRow): Promise<{ scheme: Scheme; version: number }> {
    const s = await q.findSchemeById(db, row.schemeId);
    if (!s) throw new Error(`agreement ${agreementKey(row)} names a missing scheme ${row.schemeId}`);
    return { scheme: s.definition, version: s.version };
  }

  /** Runs a change in a transaction with its audit entry. */
  async function audited<T>(
    actor: AgreementActor,
    entry: { action: string; entityKey: string; reason?: string | null },
    run: (tx: Db) => Promise<{ result: T; before?: unknown; after?: unknown }>,
  ): Promise<T> {
    return db.transaction(async (t) => {
      const tx = t as Db;
      const { result, before, after } = await run(tx);
      await createAuditLog(tx).record({
        userId: actor.id,
        actor: actorName(actor),
        action: entry.action,
        entity: "agreement",
        entityKey: entry.entityKey,
        before,
        after,
        reason: entry.reason ?? null,
      });
      return result;
    });
  }

  function refuseIfAgreed(row: q.AgreementRow): void {
    if (row.status === "agreed")
      throw new ConflictError(
        `the agreement ${agreementKey(row)} is agreed: its terms cannot be changed; make a variation with its reason`,
        { code: "agreement_agreed" },
      );
    if (!isNegotiable(row.status))
      throw new ConflictError(`the agreement ${agreementKey(row)} is submitted for agreement: return it to change it`, {
        code: "agreement_submitted",
      });
  }

  /** The priorities and actions of the authority's newest plan (any state), to link outcomes to. */
  async function planChoicesOf(areaCode: string): Promise<PlanChoice[]> {
    const plan = (await listPlanRows(db, { areaCode })).sort(
      (a, b) => b.startYear - a.startYear || b.version - a.version,
    )[0];
    if (!plan) return [];
    const label = `${plan.period} v${plan.version}`;
    const [priorities, actions] = await Promise.all([listPriorities(db, plan.id), listActions(db, plan.id)]);
    return [
      ...priorities.map((p) => ({
        key: `priority:${p.id}`,
        link: { kind: "priority" as const, id: p.id, plan: label, title: p.text },
      })),
      ...actions.map((a) => ({
        key: `action:${a.id}`,
        link: { kind: "action" as const, id: a.id, plan: label, title: a.title },
      })),
    ];
  }

  /** Validates an outcome's terms: its title, framework measures, targets, local measures and plan links. */
  async function outcomeTerms(areaCode: string, input: NewOutcome) {
    const en = clean(input.title.en);
    if (!en) throw new InvalidError("enter the outcome's title", { code: "title", details: { field: "title" } });
    const byCode = (await framework.current())?.measuresByCode ?? new Map();
    const codes = [...new Set(input.measureCodes.map((c) => c.trim()).filter(Boolean))];
    for (const c of codes)
      if (!byCode.has(c))
        throw new InvalidError(`there is no measure ${c}`, { code: "measure", details: { field: "measureCodes" } });
    const localMeasures = [...new Set((input.localMeasures ?? []).map((m) => m.trim()).filter(Boolean))];
    for (const t of input.targets ?? []) {
      if (!codes.includes(t.measureCode))
        throw new InvalidError(`a target names ${t.measureCode}, which is not a measure of the outcome`, {
          code: "target_measure",
          details: { field: "targets" },
        });
      if (!Number.isFinite(t.value))
        throw new InvalidError(`the target for ${t.measureCode} ${t.period} is not a number`, {
          code: "target_value",
          details: { field: "targets" },
        });
    }
    const wanted = [...new Set((input.planLinks ?? []).map((k) => k.trim()).filter(Boolean))];
    const choices = wanted.length > 0 ? await planChoicesOf(areaCode) : [];
    const planLinks = wanted.map((k) => {
      const found = choices.find((c) => c.key === k);
      if (!found)
        throw new InvalidError(`${k} is not a priority or action of the authority's plan`, {
          code: "plan_link",
          details: { field: "planLinks" },
        });
      return found.link;
    });
    return {
      title: clean(input.title.cy) ? { en, cy: clean(input.title.cy) } : { en },
      theme: clean(input.theme) || null,
      measureCodes: codes,
      localMeasures,
      planLinks,
      targets: (input.targets ?? []).map((t) => ({ measureCode: t.measureCode, period: t.period, value: t.value })),
    };
  }

  /** A transition of the agreement through the shared workflow (services/workflow.ts writes the state and audit). */
  async function transition(
    tx: Db,
    actor: AgreementActor,
    row: q.AgreementRow,
    action: WorkflowAction,
    reason: string | undefined,
    effect?: (tx: Db) => Promise<void>,
  ): Promise<void> {
    await createWorkflow<q.AgreementRow>(tx, {
      entity: "agreement",
      store: {
        async load(t) {
          const locked = await q.lockAgreementRow(t, row.areaCode, row.period);
          return locked ? { state: toWorkflowState(locked.status), subject: locked } : null;
        },
        save: (t, _key, state) => q.setAgreementStatus(t, row.id, fromWorkflowState(state)),
      },
      may: () => isNational(actor),
      effect: effect ? (t) => effect(t) : undefined,
    }).transition({ key: agreementKey(row), action, user: actor, actor: actorName(actor), reason });
  }

  /** Refuses to put forward or agree an agreement without all the scheme's outcomes. */
  async function checkComplete(row: q.AgreementRow): Promise<void> {
    const { scheme } = await schemeOf(row);
    const n = (await q.listOutcomes(db, row.id)).length;
    if (n !== scheme.outcomes)
      throw new ConflictError(
        `the agreement has ${n} of the ${scheme.outcomes} outcomes scheme ${scheme.code} asks for`,
        {
          code: "outcomes_missing",
        },
      );
  }

  async function outcomeAt(row: q.AgreementRow, position: number): Promise<q.OutcomeRow> {
    const o = (await q.listOutcomes(db, row.id)).find((x) => x.position === position);
    if (!o) throw new InvalidError(`the agreement has no outcome ${position}`, { details: { field: "outcome" } });
    return o;
  }

  function checkYear(row: q.AgreementRow, year: string): void {
    const p = periodOf(row.period);
    if (!p.years.includes(year))
      throw new InvalidError(`${year} is not a year of the agreement (${p.years.join(", ")})`, {
        details: { field: "year" },
      });
  }

  function checkCategory(category: string): AssessmentCategory {
    if (!(ASSESSMENT_CATEGORIES as readonly string[]).includes(category))
      throw new InvalidError(`${category} is not one of ${ASSESSMENT_CATEGORIES.join(", ")}`, {
        details: { field: "category" },
      });
    return category as AssessmentCategory;
  }

  async function measureViews(row: q.AgreementRow, outcomes: q.OutcomeRow[], targets: q.AgreementTargetRow[]) {
    const byCode = (await framework.current())?.measuresByCode ?? new Map<string, MeasureView>();
    const out = new Map<number, OutcomeMeasureView[]>();
    for (const o of outcomes) {
      const views: OutcomeMeasureView[] = [];
      for (const code of o.measureCodes) {
        const measure = byCode.get(code) ?? null;
        const rows = measure ? await publicViews.data.rows(code) : [];
        const latest = latestOf(
          rows
            .filter((r) => r.areaCode === row.areaCode && r.breakdown === "total")
            .map((r) => ({ period: r.period, value: r.value })),
        );
        const mine = targets.filter((t) => t.outcomeId === o.id && t.measureCode === code);
        const target =
          (latest && mine.find((t) => t.period === latest.period)) ??
          latestOf(mine.map((t) => ({ period: t.period, value: t.value })));
        const status =
          latest && latest.value !== null && target && target.value !== null && measure
            ? targetStatus(latest.value, target.value, measure.polarity as Polarity)
            : null;
        views.push({
          code,
          measure,
          latest,
          target: target && target.value !== null ? { period: target.period, value: target.value } : null,
          status,
        });
      }
      out.set(o.id, views);
    }
    return out;
  }

  function yearResults(
    scheme: Scheme,
    row: q.AgreementRow,
    period: AgreementPeriod,
    outcomes: OutcomeView[],
    judgements: q.JudgementRow[],
  ): YearResult[] {
    return period.years.map((year) => {
      const pairs = outcomes.map((o) => o.assessments.find((a) => a.year === year) ?? null);
      const counting = pairs.map((p) => (p ? countingAssessment(p.self, p.moderated) : null));
      const selfOnly = pairs.map((p) => p?.self ?? null);
      const judged: Record<string, number | null> = {};
      for (const part of scheme.parts)
        if (part.key !== "outcomes") {
          const last = judgements.filter((j) => j.year === year && j.partKey === part.key).at(-1);
          judged[part.key] = last ? last.awardedPercent : null;
        }
      const compute = (list: (q.AssessmentRow | null)[]) =>
        outcomes.length === scheme.outcomes && list.every((a) => a !== null)
          ? computeGrant(scheme, {
              counts: countCategories(list.map((a) => (a as q.AssessmentRow).category as AssessmentCategory)),
              collaboration: collaborationEvidenced(list as q.AssessmentRow[]),
              grant: row.grantPence / 100,
              judged,
            })
          : null;
      return {
        year,
        assessed: counting.filter((a) => a !== null).length,
        collaboration: collaborationEvidenced(counting),
        judged,
        authority: compute(selfOnly),
        moderated: compute(counting),
      };
    });
  }

  /** An agreement with everything in it; `withMeasures` adds each measure's latest value against its target. */
  async function detail(row: q.AgreementRow, withMeasures: boolean): Promise<AgreementDetail> {
    const { scheme, version } = await schemeOf(row);
    const period = periodOf(row.period);
    const outcomes = await q.listOutcomes(db, row.id);
    const ids = outcomes.map((o) => o.id);
    const [targets, assessments, judgements, variations] = await Promise.all([
      q.listTargets(db, ids),
      q.listAssessments(db, ids),
      q.listJudgements(db, row.id),
      q.listVariations(db, row.id),
    ]);
    const measures = withMeasures ? await measureViews(row, outcomes, targets) : new Map<number, never[]>();
    const views: OutcomeView[] = outcomes.map((o) => {
      const mine = assessments.filter((a) => a.outcomeId === o.id);
      const years = period.years.filter((y) => mine.some((a) => a.year === y));
      return {
        ...o,
        measures: measures.get(o.id) ?? [],
        assessments: years.map((year) => {
          const history = mine.filter((a) => a.year === year);
          return {
            year,
            self: history.filter((a) => a.kind === "self").at(-1) ?? null,
            moderated: history.filter((a) => a.kind === "moderation").at(-1) ?? null,
            history,
          };
        }),
      };
    });
    return {
      agreement: row as q.AgreementRow & { status: AgreementStatus },
      variations,
      scheme,
      schemeVersion: version,
      period,
      outcomes: views,
      years: yearResults(scheme, row, period, views, judgements),
    };
  }

  return {
    ensurePresets,

    schemes: {
      /** The latest version of each scheme. */
      async list(): Promise<q.SchemeRow[]> {
        await ensurePresets();
        return q.listCurrentSchemes(db);
      },
      /** Every version of a scheme, newest first (empty when there is no such scheme). */
      async versions(code: string): Promise<q.SchemeRow[]> {
        await ensurePresets();
        return q.listSchemeVersions(db, code);
      },
      /** Saves a new version of a scheme (national administrators); agreements keep the version they were made under. */
      async save(actor: AgreementActor, input: unknown, reason: string): Promise<q.SchemeRow> {
        if (actor.role !== "national_admin")
          throw new ForbiddenError(`${actor.email} may not change schemes: national administrators only`);
        const parsed = parseScheme(input);
        if (!parsed.ok)
          throw new InvalidError(`the scheme is not valid: ${parsed.problems.join("; ")}`, {
            details: { problems: parsed.problems },
          });
        if (!clean(reason)) throw new InvalidError("give the reason for the change", { details: { field: "reason" } });
        await ensurePresets();
        return db.transaction(async (t) => {
          const tx = t as Db;
          const before = await q.findScheme(tx, parsed.scheme.code);
          const row = await q.insertSchemeVersion(tx, {
            definition: parsed.scheme,
            reason: clean(reason),
            author: actorName(actor),
          });
          await createAuditLog(tx).record({
            userId: actor.id,
            actor: actorName(actor),
            action: before ? "agreement_scheme.version" : "agreement_scheme.create",
            entity: "agreement_scheme",
            entityKey: `${row.code}/v${row.version}`,
            before: before?.definition,
            after: parsed.scheme,
            reason: clean(reason),
          });
          return row;
        });
      },
    },

    /** The agreements the reader may see: agreed ones by everyone, drafts by national roles and their own editors. */
    async list(
      actor: AgreementActor | null,
    ): Promise<(q.AgreementRow & { schemeCode: string; schemeVersion: number })[]> {
      const rows = (await q.listAgreementRows(db)).filter((r) => mayRead(actor, r));
      const out = [];
      for (const r of rows) {
        const s = await q.findSchemeById(db, r.schemeId);
        out.push({ ...r, schemeCode: s?.code ?? "", schemeVersion: s?.version ?? 0 });
      }
      return out;
    },

    /** Creates a draft agreement (national roles) under the latest version of a scheme. */
    async create(
      actor: AgreementActor,
      input: { areaCode: string; period: string; scheme: string; grant: number; illustrative?: boolean },
    ): Promise<q.AgreementRow> {
      requireNational(actor, "create agreements");
      const areaCode = input.areaCode.trim().toUpperCase();
      const period = periodOf(input.period);
      const area = (await publicViews.areas()).byCode.get(areaCode);
      if (area?.type !== "local_authority")
        throw new InvalidError(`${areaCode} is not a local authority code such as W06000015`, {
          details: { field: "areaCode" },
        });
      if (!Number.isFinite(input.grant) || input.grant < 0)
        throw new InvalidError(`${input.grant} is not a grant in pounds`, { details: { field: "grant" } });
      await ensurePresets();
      const scheme = await q.findScheme(db, input.scheme.trim());
      if (!scheme) throw new InvalidError(`there is no scheme ${input.scheme}`, { details: { field: "scheme" } });
      if (await q.findAgreementRow(db, areaCode, period.slug))
        throw new ConflictError(`${areaCode} already has an agreement for ${period.slug}`, {
          code: "agreement_exists",
        });
      return audited(actor, { action: "agreement.create", entityKey: `${areaCode}/${period.slug}` }, async (tx) => {
        const row = await q.insertAgreementRow(tx, {
          areaCode,
          period: period.slug,
          startYear: period.startYear,
          endYear: period.endYear,
          schemeId: scheme.id,
          grantPence: toPence(input.grant),
          illustrative: input.illustrative ?? false,
          createdBy: actor.id,
        });
        return { result: row, after: { scheme: `${scheme.code}/v${scheme.version}`, grantPence: row.grantPence } };
      });
    },

    /** Adds an outcome to a draft (national roles), with its measures and targets. */
    async addOutcome(actor: AgreementActor, ref: AgreementRef, input: NewOutcome): Promise<q.OutcomeRow> {
      requireNational(actor, "change agreements");
      const row = await load(ref, actor);
      refuseIfAgreed(row);
      const { scheme } = await schemeOf(row);
      const existing = await q.listOutcomes(db, row.id);
      if (existing.length >= scheme.outcomes)
        throw new ConflictError(`scheme ${scheme.code} has ${scheme.outcomes} outcomes; the agreement has them all`, {
          code: "too_many_outcomes",
        });
      const terms = await outcomeTerms(row.areaCode, input);
      return audited(actor, { action: "agreement.outcome.add", entityKey: agreementKey(row) }, async (tx) => {
        const { targets, ...rest } = terms;
        const outcome = await q.insertOutcome(tx, { agreementId: row.id, position: existing.length + 1, ...rest });
        await q.insertTargets(
          tx,
          targets.map((t) => ({ outcomeId: outcome.id, ...t })),
        );
        return { result: outcome, after: { position: outcome.position, ...terms } };
      });
    },

    /** Puts a draft (or returned) agreement forward for agreement (national roles; shared workflow). */
    async submit(actor: AgreementActor, ref: AgreementRef): Promise<void> {
      requireNational(actor, "submit agreements");
      const row = await load(ref, actor);
      await checkComplete(row);
      await db.transaction(async (t) => transition(t as Db, actor, row, "submit", undefined));
    },

    /** Returns a submitted agreement to negotiation, with the reason (national roles; shared workflow). */
    async returnForChanges(actor: AgreementActor, ref: AgreementRef, reason: string): Promise<void> {
      requireNational(actor, "return agreements");
      const row = await load(ref, actor);
      if (!clean(reason))
        throw new InvalidError("say what should change", { code: "reason", details: { field: "reason" } });
      await db.transaction(async (t) => transition(t as Db, actor, row, "return", clean(reason)));
    },

    /**
     * Records that both sides agreed (who for the Welsh Government and for the authority, and on which dates), through
     * the shared workflow: a draft is submitted and agreed in one transaction. The agreement must have all its
     * outcomes; from then on its terms change only by variations.
     */
    async agree(
      actor: AgreementActor,
      ref: AgreementRef,
      by: { authority: string; government?: string; authorityOn?: string; governmentOn?: string },
    ): Promise<q.AgreementRow> {
      requireNational(actor, "agree agreements");
      const row = await load(ref, actor);
      if (row.status === "agreed") refuseIfAgreed(row);
      await checkComplete(row);
      const today = new Date().toISOString().slice(0, 10);
      const sides: AgreedBy = {
        government: clean(by.government) || actorName(actor),
        governmentOn: checkDate(by.governmentOn ?? today, "governmentOn"),
        authority: clean(by.authority),
        authorityOn: checkDate(by.authorityOn ?? today, "authorityOn"),
      };
      if (!sides.authority)
        throw new InvalidError("name who agreed for the authority", {
          code: "authority",
          details: { field: "authority" },
        });
      return db.transaction(async (t) => {
        const tx = t as Db;
        if (row.status !== "submitted") await transition(tx, actor, row, "submit", undefined);
        let agreed: q.AgreementRow | null = null;
        await transition(
          tx,
          actor,
          row,
          "approve",
          `agreed for the Welsh Government by ${sides.government} on ${sides.governmentOn} and for the authority by ${sides.authority} on ${sides.authorityOn}`,
          async (t2) => {
            agreed = await q.recordAgreedBy(t2, row.id, sides);
          },
        );
        return agreed as unknown as q.AgreementRow;
      });
    },

    /** Publishes (or withdraws) an agreed agreement's summary to the public (national administrators). */
    async publishSummary(actor: AgreementActor, ref: AgreementRef, published: boolean): Promise<void> {
      if (actor.role !== "national_admin")
        throw new ForbiddenError(`${actor.email} may not publish agreements: national administrators only`);
      const row = await load(ref, actor);
      if (row.status !== "agreed")
        throw new ConflictError("only an agreed agreement is published", { code: "agreement_not_agreed" });
      await audited(
        actor,
        {
          action: published ? "agreement.publish_summary" : "agreement.withdraw_summary",
          entityKey: agreementKey(row),
        },
        async (tx) => {
          await q.setSummaryPublished(tx, row.id, published);
          return { result: undefined, before: { published: row.summaryPublished }, after: { published } };
        },
      );
    },

    /**
     * A variation of an agreed agreement (national roles): a new grant, or new terms for one outcome, with its
     * reason; what it replaced is kept with it and shown on the agreement's page.
     */
    async vary(actor: AgreementActor, ref: AgreementRef, input: VariationInput): Promise<q.VariationRow> {
      requireNational(actor, "vary agreements");
      const row = await load(ref, actor);
      if (row.status !== "agreed")
        throw new ConflictError("only an agreed agreement is varied; change a draft directly", {
          code: "agreement_not_agreed",
        });
      const reason = clean(input.reason);
      if (!reason)
        throw new InvalidError("give the reason for the variation", { code: "reason", details: { field: "reason" } });
      if (input.kind === "grant") {
        if (!Number.isFinite(input.grant) || input.grant < 0)
          throw new InvalidError(`${input.grant} is not a grant in pounds`, {
            code: "grant",
            details: { field: "grant" },
          });
        const grantPence = toPence(input.grant);
        return audited(actor, { action: "agreement.vary", entityKey: agreementKey(row), reason }, async (tx) => {
          const before = { grantPence: row.grantPence };
          const after = { grantPence };
          await q.setGrant(tx, row.id, grantPence);
          const v = await q.insertVariation(tx, {
            agreementId: row.id,
            kind: "grant",
            outcomePosition: null,
            before,
            after,
            reason,
            authorId: actor.id,
            author: actorName(actor),
          });
          return { result: v, before, after: { ...after, variation: v.number } };
        });
      }
      const outcome = await outcomeAt(row, input.outcome);
      const terms = await outcomeTerms(row.areaCode, input);
      const oldTargets = (await q.listTargets(db, [outcome.id])).map((t) => ({
        measureCode: t.measureCode,
        period: t.period,
        value: t.value,
      }));
      return audited(actor, { action: "agreement.vary", entityKey: agreementKey(row), reason }, async (tx) => {
        const before = {
          title: outcome.title,
          theme: outcome.theme,
          measureCodes: outcome.measureCodes,
          localMeasures: outcome.localMeasures,
          planLinks: outcome.planLinks,
          targets: oldTargets,
        };
        const { targets, ...rest } = terms;
        await q.replaceOutcomeTerms(tx, outcome.id, rest, targets);
        const v = await q.insertVariation(tx, {
          agreementId: row.id,
          kind: "outcome",
          outcomePosition: outcome.position,
          before,
          after: terms,
          reason,
          authorId: actor.id,
          author: actorName(actor),
        });
        return { result: v, before, after: { ...terms, variation: v.number } };
      });
    },

    /** Removes every illustrative agreement (the demo's) and everything in it (national administrators; audited). */
    async removeIllustrative(actor: AgreementActor): Promise<{ agreements: number }> {
      if (actor.role !== "national_admin")
        throw new ForbiddenError("only an administrator removes the demo agreements");
      const rows = (await q.listAgreementRows(db)).filter((r) => r.illustrative);
      if (rows.length === 0) return { agreements: 0 };
      await audited(actor, { action: "agreement.demo.remove", entityKey: "illustrative" }, async (tx) => {
        for (const r of rows) await q.deleteAgreement(tx, r.id);
        return { result: undefined, before: { agreements: rows.map(agreementKey) } };
      });
      return { agreements: rows.length };
    },

    /** The priorities and actions of the authority's newest plan, to link an agreement's outcomes to. */
    async planChoices(actor: AgreementActor, ref: AgreementRef): Promise<PlanChoice[]> {
      const row = await load(ref, actor);
      return planChoicesOf(row.areaCode);
    },

    /** The authority's self-assessment of one outcome for one year (a new version; earlier ones are kept). */
    async selfAssess(
      actor: AgreementActor,
      ref: AgreementRef,
      input: { outcome: number; year: string; category: string; evidence: string; collaboration?: string | null },
    ): Promise<q.AssessmentRow> {
      const row = await load(ref, actor);
      if (!permissions.canEditArea(actor, row.areaCode))
        throw new ForbiddenError(`${actor.email} may not assess the agreement of ${row.areaCode}`);
      if (row.status !== "agreed")
        throw new ConflictError("only an agreed agreement is assessed", { code: "agreement_not_agreed" });
      checkYear(row, input.year);
      const category = checkCategory(input.category);
      const evidence = clean(input.evidence);
      if (!evidence) throw new InvalidError("give the evidence for the assessment", { details: { field: "evidence" } });
      const outcome = await outcomeAt(row, input.outcome);
      return audited(actor, { action: "agreement.self_assess", entityKey: agreementKey(row) }, async (tx) => {
        const a = await q.insertAssessment(tx, {
          outcomeId: outcome.id,
          year: input.year,
          kind: "self",
          category,
          evidence,
          collaboration: clean(input.collaboration) || null,
          reason: null,
          authorId: actor.id,
          author: actorName(actor),
        });
        return { result: a, after: { outcome: outcome.position, year: a.year, category, version: a.version } };
      });
    },

    /** National moderation of one outcome's assessment for a year, with its reason; the authority's is kept. */
    async moderate(
      actor: AgreementActor,
      ref: AgreementRef,
      input: { outcome: number; year: string; category: string; reason: string; collaboration?: string | null },
    ): Promise<q.AssessmentRow> {
      requireNational(actor, "moderate assessments");
      const row = await load(ref, actor);
      if (row.status !== "agreed")
        throw new ConflictError("only an agreed agreement is assessed", { code: "agreement_not_agreed" });
      checkYear(row, input.year);
      const category = checkCategory(input.category);
      const reason = clean(input.reason);
      if (!reason) throw new InvalidError("give the reason for the moderation", { details: { field: "reason" } });
      const outcome = await outcomeAt(row, input.outcome);
      const all = await q.listAssessments(db, [outcome.id]);
      const self = all.filter((a) => a.year === input.year && a.kind === "self").at(-1);
      if (!self)
        throw new ConflictError(`outcome ${input.outcome} has no self-assessment for ${input.year} to moderate`, {
          code: "not_assessed",
        });
      return audited(actor, { action: "agreement.moderate", entityKey: agreementKey(row), reason }, async (tx) => {
        const a = await q.insertAssessment(tx, {
          outcomeId: outcome.id,
          year: input.year,
          kind: "moderation",
          category,
          evidence: "",
          collaboration: input.collaboration === undefined ? self.collaboration : clean(input.collaboration) || null,
          reason,
          authorId: actor.id,
          author: actorName(actor),
        });
        return {
          result: a,
          before: { outcome: outcome.position, year: input.year, category: self.category },
          after: { outcome: outcome.position, year: input.year, category, version: a.version },
        };
      });
    },

    /** Judges a separately judged part (e.g. corporate governance) for a year: the per cent of it awarded. */
    async judgePart(
      actor: AgreementActor,
      ref: AgreementRef,
      input: { year: string; part: string; percent: number; reason: string },
    ): Promise<q.JudgementRow> {
      requireNational(actor, "judge parts of the grant");
      const row = await load(ref, actor);
      if (row.status !== "agreed")
        throw new ConflictError("only an agreed agreement is assessed", { code: "agreement_not_agreed" });
      checkYear(row, input.year);
      const { scheme } = await schemeOf(row);
      if (!scheme.parts.some((p) => p.key === input.part && p.key !== "outcomes"))
        throw new InvalidError(`scheme ${scheme.code} has no separately judged part ${input.part}`, {
          details: { field: "part" },
        });
      if (!Number.isFinite(input.percent) || input.percent < 0 || input.percent > 100)
        throw new InvalidError(`${input.percent} is not a per cent from 0 to 100`, { details: { field: "percent" } });
      const reason = clean(input.reason);
      if (!reason) throw new InvalidError("give the reason for the judgement", { details: { field: "reason" } });
      return audited(actor, { action: "agreement.judge", entityKey: agreementKey(row), reason }, async (tx) => {
        const j = await q.insertJudgement(tx, {
          agreementId: row.id,
          year: input.year,
          partKey: input.part,
          awardedPercent: input.percent,
          reason,
          author: actorName(actor),
        });
        return { result: j, after: { year: j.year, part: j.partKey, percent: j.awardedPercent, version: j.version } };
      });
    },

    /** An agreement with its scheme, outcomes, measures against targets, assessments and each year's grant. */
    async get(actor: AgreementActor | null, ref: AgreementRef): Promise<AgreementDetail> {
      return detail(await load(ref, actor), true);
    },

    /**
     * The overview of one period across the local authorities: national roles get a row for each of the 22 (with
     * or without an agreement); others a row for each agreement they may read (the public: published summaries).
     * Each row has the agreement, its latest year with every outcome assessed, and its outcomes by theme.
     */
    async overview(
      actor: AgreementActor | null,
      wanted?: string,
    ): Promise<{ periods: string[]; period: string | null; rows: OverviewRow[] }> {
      const readable = await this.list(actor);
      const periods = [...new Set(readable.map((r) => r.period))].sort().reverse();
      const period = wanted && periods.includes(wanted) ? wanted : (periods[0] ?? null);
      const areas = [...(await publicViews.areas()).byCode.values()]
        .filter((a) => a.type === "local_authority")
        .map((a) => a.code)
        .sort();
      const rows: OverviewRow[] = [];
      for (const areaCode of areas) {
        const agreement = readable.find((r) => r.areaCode === areaCode && r.period === period) ?? null;
        if (!agreement) {
          if (isNational(actor)) rows.push({ areaCode, agreement: null, latest: null, themes: [] });
          continue;
        }
        const d = await detail(agreement, false);
        const themes = new Map<string, number>();
        for (const o of d.outcomes) themes.set(o.theme ?? "", (themes.get(o.theme ?? "") ?? 0) + 1);
        rows.push({
          areaCode,
          agreement,
          latest: d.years.filter((y) => y.moderated !== null).at(-1) ?? null,
          themes: [...themes].map(([theme, outcomes]) => ({ theme, outcomes })),
        });
      }
      return { periods, period, rows };
    },
  };
}

export type AgreementsService = ReturnType<typeof createAgreementsService>;
