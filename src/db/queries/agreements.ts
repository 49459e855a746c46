/**
 * Queries for outcome agreements. Functions take a `Db` (a transaction is one too) and hold no rules: the agreements
 * service checks permissions and states, and writes the audit log.
 */
import { and, asc, desc, eq, inArray, max, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Scheme } from "../../domain/agreements/scheme.ts";
import type { Db } from "../database.ts";
import {
  agreementAssessments,
  agreementJudgements,
  agreementOutcomes,
  agreementSchemes,
  agreements,
  agreementTargets,
  agreementVariations,
} from "../schema.ts";

export type SchemeRow = typeof agreementSchemes.$inferSelect;
export type AgreementRow = typeof agreements.$inferSelect;
export type OutcomeRow = typeof agreementOutcomes.$inferSelect;
export type AgreementTargetRow = typeof agreementTargets.$inferSelect;
export type AssessmentRow = typeof agreementAssessments.$inferSelect;
export type JudgementRow = typeof agreementJudgements.$inferSelect;
export type VariationRow = typeof agreementVariations.$inferSelect;

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

/** Every version of a scheme, newest first. */
export async function listSchemeVersions(db: Db, code: string): Promise<SchemeRow[]> {
  return db
    .select()
    .from(agreementSchemes)
    .where(eq(agreementSchemes.code, code))
    .orderBy(desc(agreementSchemes.version));
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

/** The agreement's row locked for update within `db` (a transaction). */
export async function lockAgreementRow(db: Db, areaCode: string, period: string): Promise<AgreementRow | null> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(and(eq(agreements.areaCode, areaCode), eq(agreements.period, period)))
    .for("update");
  return row ?? null;
}

export async function setAgreementStatus(db: Db, id: number, status: string): Promise<void> {
  await db.update(agreements).set({ status }).where(eq(agreements.id, id));
}

/** Records both sides of the agreement (who and on which date). */
export async function recordAgreedBy(
  db: Db,
  id: number,
  by: { government: string; governmentOn: string; authority: string; authorityOn: string },
): Promise<AgreementRow> {
  const [row] = await db
    .update(agreements)
    .set({
      agreedByGovernment: by.government,
      governmentAgreedOn: by.governmentOn,
      agreedByAuthority: by.authority,
      authorityAgreedOn: by.authorityOn,
      agreedAt: sql`now()`,
    })
    .where(eq(agreements.id, id))
    .returning();
  return row as AgreementRow;
}

export async function setSummaryPublished(db: Db, id: number, published: boolean): Promise<void> {
  await db.update(agreements).set({ summaryPublished: published }).where(eq(agreements.id, id));
}

export async function setGrant(db: Db, id: number, grantPence: number): Promise<void> {
  await db.update(agreements).set({ grantPence }).where(eq(agreements.id, id));
}

/** Replaces an outcome's terms (title, theme, measures, links) and its targets. */
export async function replaceOutcomeTerms(
  db: Db,
  outcomeId: number,
  terms: Pick<OutcomeRow, "title" | "theme" | "measureCodes" | "localMeasures" | "planLinks">,
  targets: { measureCode: string; period: string; value: number }[],
): Promise<void> {
  await db.update(agreementOutcomes).set(terms).where(eq(agreementOutcomes.id, outcomeId));
  await db.delete(agreementTargets).where(eq(agreementTargets.outcomeId, outcomeId));
  await insertTargets(
    db,
    targets.map((t) => ({ outcomeId, ...t })),
  );
}

export async function listVariations(db: Db, agreementId: number): Promise<VariationRow[]> {
  return db
    .select()
    .from(agreementVariations)
    .where(eq(agreementVariations.agreementId, agreementId))
    .orderBy(asc(agreementVariations.number));
}

export async function insertVariation(
  db: Db,
  values: Omit<typeof agreementVariations.$inferInsert, "number" | "id" | "createdAt">,
): Promise<VariationRow> {
  const v = agreementVariations;
  const [top] = await db
    .select({ n: max(v.number) })
    .from(v)
    .where(eq(v.agreementId, values.agreementId));
  const [row] = await db
    .insert(v)
    .values({ ...values, number: Number(top?.n ?? 0) + 1 })
    .returning();
  return row as VariationRow;
}

/** Deletes an agreement and everything in it (for removing the demo's illustrative agreement). */
export async function deleteAgreement(db: Db, id: number): Promise<void> {
  const ids = (await listOutcomes(db, id)).map((o) => o.id);
  if (ids.length > 0) await db.delete(agreementAssessments).where(inArray(agreementAssessments.outcomeId, ids));
  await db.delete(agreementJudgements).where(eq(agreementJudgements.agreementId, id));
  await db.delete(agreementVariations).where(eq(agreementVariations.agreementId, id));
  await db.delete(agreementOutcomes).where(eq(agreementOutcomes.agreementId, id));
  await db.delete(agreements).where(eq(agreements.id, id));
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
  values: Omit<typeof agreementOutcomes.$inferInsert, "id">,
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
