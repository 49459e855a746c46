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
import {
  type AgreementPeriod,
  AgreementPeriodError,
  type AgreementStatus,
  collaborationEvidenced,
  countingAssessment,
  parseAgreementPeriod,
} from "../../domain/agreements/model.ts";
import {
  ASSESSMENT_CATEGORIES,
  type AssessmentCategory,
  parseScheme,
  type Scheme,
} from "../../domain/agreements/scheme.ts";
import { computeGrant, countCategories, type GrantComputation, toPence } from "../../domain/agreements/score.ts";
import type { BilingualText, Role } from "../../domain/enums.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../domain/errors.ts";
import type { Period } from "../../domain/period-model.ts";
import { comparePeriods } from "../../domain/period-order.ts";
import { parsePeriod } from "../../domain/period-parse.ts";
import { permissions } from "../../domain/permissions.ts";
import { type TargetStatus, targetStatus } from "../../domain/plans/turn-the-curve.ts";
import type { Polarity } from "../../domain/enums.ts";
import { presetSchemes } from "../../ingest/agreements/schemes-file.ts";
import { createAuditLog } from "../audit.ts";
import type { FrameworkService, MeasureView } from "../framework-service.ts";
import type { PublicViews } from "../public/index.ts";

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

function mayRead(actor: AgreementActor | null, a: q.AgreementRow): boolean {
  if (a.status === "agreed") return true;
  return isNational(actor) || (actor !== null && permissions.canEditArea(actor, a.areaCode));
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
      throw new ConflictError(`the agreement ${agreementKey(row)} is agreed: its terms cannot be changed`, {
        code: "agreement_agreed",
      });
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

  return {
    ensurePresets,

    schemes: {
      /** The latest version of each scheme. */
      async list(): Promise<q.SchemeRow[]> {
        await ensurePresets();
        return q.listCurrentSchemes(db);
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
      const en = clean(input.title.en);
      if (!en) throw new InvalidError("enter the outcome's title", { details: { field: "title" } });
      const byCode = (await framework.current())?.measuresByCode ?? new Map();
      const codes = [...new Set(input.measureCodes.map((c) => c.trim()).filter(Boolean))];
      for (const c of codes)
        if (!byCode.has(c)) throw new InvalidError(`there is no measure ${c}`, { details: { field: "measureCodes" } });
      for (const t of input.targets ?? []) {
        if (!codes.includes(t.measureCode))
          throw new InvalidError(`a target names ${t.measureCode}, which is not a measure of the outcome`, {
            details: { field: "targets" },
          });
        if (!Number.isFinite(t.value))
          throw new InvalidError(`the target for ${t.measureCode} ${t.period} is not a number`, {
            details: { field: "targets" },
          });
      }
      return audited(actor, { action: "agreement.outcome.add", entityKey: agreementKey(row) }, async (tx) => {
        const outcome = await q.insertOutcome(tx, {
          agreementId: row.id,
          position: existing.length + 1,
          title: clean(input.title.cy) ? { en, cy: clean(input.title.cy) } : { en },
          theme: clean(input.theme) || null,
          measureCodes: codes,
        });
        await q.insertTargets(
          tx,
          (input.targets ?? []).map((t) => ({
            outcomeId: outcome.id,
            measureCode: t.measureCode,
            period: t.period,
            value: t.value,
          })),
        );
        return {
          result: outcome,
          after: { position: outcome.position, title: outcome.title, measures: codes, targets: input.targets ?? [] },
        };
      });
    },

    /** Both sides agree (recorded by a national role); the agreement must have all its outcomes. */
    async agree(actor: AgreementActor, ref: AgreementRef, by: { authority: string }): Promise<q.AgreementRow> {
      requireNational(actor, "agree agreements");
      const row = await load(ref, actor);
      refuseIfAgreed(row);
      const { scheme } = await schemeOf(row);
      const n = (await q.listOutcomes(db, row.id)).length;
      if (n !== scheme.outcomes)
        throw new ConflictError(
          `the agreement has ${n} of the ${scheme.outcomes} outcomes scheme ${scheme.code} asks for`,
          {
            code: "outcomes_missing",
          },
        );
      const authority = clean(by.authority);
      if (!authority) throw new InvalidError("name who agreed for the authority", { details: { field: "authority" } });
      return audited(actor, { action: "agreement.agree", entityKey: agreementKey(row) }, async (tx) => {
        const agreed = await q.markAgreed(tx, row.id, { government: actorName(actor), authority });
        if (!agreed)
          throw new ConflictError("the agreement was agreed by someone else meanwhile", { code: "agreement_agreed" });
        return { result: agreed, before: { status: row.status }, after: { status: "agreed", authority } };
      });
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
      const row = await load(ref, actor);
      const { scheme, version } = await schemeOf(row);
      const period = periodOf(row.period);
      const outcomes = await q.listOutcomes(db, row.id);
      const ids = outcomes.map((o) => o.id);
      const [targets, assessments, judgements] = await Promise.all([
        q.listTargets(db, ids),
        q.listAssessments(db, ids),
        q.listJudgements(db, row.id),
      ]);
      const measures = await measureViews(row, outcomes, targets);
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
        scheme,
        schemeVersion: version,
        period,
        outcomes: views,
        years: yearResults(scheme, row, period, views, judgements),
      };
    },
  };
}

export type AgreementsService = ReturnType<typeof createAgreementsService>;
