/**
 * Queries for outcome agreements. Functions take a `Db` (a transaction is one too) and hold no rules: the agreements
 * service checks permissions and states, and writes the audit log.
 */
import { and, asc, desc, eq, inArray, max, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Scheme } from "../../domain/agreements/scheme.ts";
import type { BilingualText } from "../../domain/enums.ts";
import type { Db } from "../database.ts";
import {
  agreementAssessments,
  agreementJudgements,
  agreementOutcomes,
  agreementSchemes,
  agreements,
  agreementTargets,
} from "../schema.ts";

export type SchemeRow = typeof agreementSchemes.$inferSelect;
export type AgreementRow = typeof agreements.$inferSelect;
export type OutcomeRow = typeof agreementOutcomes.$inferSelect;
export type AgreementTargetRow = typeof agreementTargets.$inferSelect;
export type AssessmentRow = typeof agreementAssessments.$inferSelect;
export type JudgementRow = typeof agreementJudgements.$inferSelect;

/** The latest version of each scheme, by code. */
export async function listCurrentSchemes(db: Db): Promise<SchemeRow[]> {
  const rows = await db
    .select()
    .from(agreementSchemes)
    .orderBy(asc(agreementSchemes.code), desc(agreementSchemes.version));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.code) && seen.add(r.code));
}

export async function findScheme(db: Db, code: string, version?: number): Promise<SchemeRow | null> {
  const where =
    version === undefined
      ? eq(agreementSchemes.code, code)
      : and(eq(agreementSchemes.code, code), eq(agreementSchemes.version, version));
  const [row] = await db.select().from(agreementSchemes).where(where).orderBy(desc(agreementSchemes.version)).limit(1);
  return row ?? null;
}

export async function findSchemeById(db: Db, id: number): Promise<SchemeRow | null> {
  const [row] = await db.select().from(agreementSchemes).where(eq(agreementSchemes.id, id));
  return row ?? null;
}

export async function insertSchemeVersion(
  db: Db,
  input: { definition: Scheme; reason: string | null; author: string },
): Promise<SchemeRow> {
  const s = agreementSchemes;
  const version = await nextVersion(db, s, s.version, eq(s.code, input.definition.code));
  const [row] = await db
    .insert(s)
    .values({ code: input.definition.code, version, ...input })
    .returning();
  return row as SchemeRow;
}

export async function listAgreementRows(db: Db): Promise<AgreementRow[]> {
  return db.select().from(agreements).orderBy(asc(agreements.period), asc(agreements.areaCode));
}

export async function findAgreementRow(db: Db, areaCode: string, period: string): Promise<AgreementRow | null> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(and(eq(agreements.areaCode, areaCode), eq(agreements.period, period)));
  return row ?? null;
}

export async function insertAgreementRow(db: Db, values: typeof agreements.$inferInsert): Promise<AgreementRow> {
  const [row] = await db.insert(agreements).values(values).returning();
  return row as AgreementRow;
}

/** Marks a draft agreed; returns null when it was not a draft any more (someone agreed it first). */
export async function markAgreed(
  db: Db,
  id: number,
  by: { government: string; authority: string },
): Promise<AgreementRow | null> {
  const [row] = await db
    .update(agreements)
    .set({ status: "agreed", agreedByGovernment: by.government, agreedByAuthority: by.authority, agreedAt: sql`now()` })
    .where(and(eq(agreements.id, id), eq(agreements.status, "draft")))
    .returning();
  return row ?? null;
}

export async function listOutcomes(db: Db, agreementId: number): Promise<OutcomeRow[]> {
  return db
    .select()
    .from(agreementOutcomes)
    .where(eq(agreementOutcomes.agreementId, agreementId))
    .orderBy(asc(agreementOutcomes.position));
}

export async function insertOutcome(
  db: Db,
  values: { agreementId: number; position: number; title: BilingualText; theme: string | null; measureCodes: string[] },
): Promise<OutcomeRow> {
  const [row] = await db.insert(agreementOutcomes).values(values).returning();
  return row as OutcomeRow;
}

export async function insertTargets(db: Db, rows: AgreementTargetRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(agreementTargets).values(rows);
}

export async function listTargets(db: Db, outcomeIds: readonly number[]): Promise<AgreementTargetRow[]> {
  if (outcomeIds.length === 0) return [];
  return db
    .select()
    .from(agreementTargets)
    .where(inArray(agreementTargets.outcomeId, [...outcomeIds]));
}

/** Every assessment of the outcomes, oldest first (the current one of each kind is the last). */
export async function listAssessments(db: Db, outcomeIds: readonly number[]): Promise<AssessmentRow[]> {
  if (outcomeIds.length === 0) return [];
  return db
    .select()
    .from(agreementAssessments)
    .where(inArray(agreementAssessments.outcomeId, [...outcomeIds]))
    .orderBy(asc(agreementAssessments.year), asc(agreementAssessments.outcomeId), asc(agreementAssessments.version));
}

/** The next version number of an append-only history: one more than the highest `version` where `where` holds. */
async function nextVersion(db: Db, table: PgTable, version: AnyPgColumn, where: SQL | undefined): Promise<number> {
  const [top] = await db
    .select({ v: max(version) })
    .from(table)
    .where(where);
  return Number(top?.v ?? 0) + 1;
}

export async function insertAssessment(
  db: Db,
  values: Omit<typeof agreementAssessments.$inferInsert, "version" | "id" | "createdAt">,
): Promise<AssessmentRow> {
  const a = agreementAssessments;
  const version = await nextVersion(
    db,
    a,
    a.version,
    and(eq(a.outcomeId, values.outcomeId), eq(a.year, values.year), eq(a.kind, values.kind)),
  );
  const [row] = await db
    .insert(a)
    .values({ ...values, version })
    .returning();
  return row as AssessmentRow;
}

export async function listJudgements(db: Db, agreementId: number): Promise<JudgementRow[]> {
  return db
    .select()
    .from(agreementJudgements)
    .where(eq(agreementJudgements.agreementId, agreementId))
    .orderBy(asc(agreementJudgements.year), asc(agreementJudgements.version));
}

export async function insertJudgement(
  db: Db,
  values: Omit<typeof agreementJudgements.$inferInsert, "version" | "id" | "createdAt">,
): Promise<JudgementRow> {
  const j = agreementJudgements;
  const version = await nextVersion(
    db,
    j,
    j.version,
    and(eq(j.agreementId, values.agreementId), eq(j.year, values.year), eq(j.partKey, values.partKey)),
  );
  const [row] = await db
    .insert(j)
    .values({ ...values, version })
    .returning();
  return row as JudgementRow;
}
