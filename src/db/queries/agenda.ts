/** SQL of the data development agenda (issue 15): measures' stages and tasks for further action. */
import { asc, eq, sql } from "drizzle-orm";
import type { BilingualText } from "../../domain/enums.ts";
import type { Db } from "../database.ts";
import { agendaMeasures, agendaTasks } from "../schema.ts";

export type AgendaMeasureRow = typeof agendaMeasures.$inferSelect;
export type AgendaTaskRow = typeof agendaTasks.$inferSelect;

export async function listAgendaMeasures(db: Db): Promise<AgendaMeasureRow[]> {
  return db.select().from(agendaMeasures).orderBy(asc(agendaMeasures.measureCode));
}

/** A measure's agenda row, locked for update within a transaction; undefined when it has none yet. */
export async function lockAgendaMeasure(tx: Db, code: string): Promise<AgendaMeasureRow | undefined> {
  const [row] = await tx.select().from(agendaMeasures).where(eq(agendaMeasures.measureCode, code)).for("update");
  return row;
}

/** Writes a measure's agenda row (creating it when it has none), one row version further on. */
export async function saveAgendaMeasure(
  tx: Db,
  row: Pick<AgendaMeasureRow, "measureCode" | "stage" | "owner" | "notes" | "stageDates">,
): Promise<void> {
  const values = {
    measureCode: row.measureCode,
    stage: row.stage,
    owner: row.owner,
    notes: row.notes,
    stageDates: row.stageDates,
    updatedAt: new Date(),
  };
  await tx
    .insert(agendaMeasures)
    .values(values)
    .onConflictDoUpdate({
      target: agendaMeasures.measureCode,
      set: { ...values, rowVersion: sql`${agendaMeasures.rowVersion} + 1` },
    });
}

export async function listAgendaTasks(db: Db): Promise<AgendaTaskRow[]> {
  return db
    .select()
    .from(agendaTasks)
    .orderBy(sql`${agendaTasks.status} = 'done'`, sql`${agendaTasks.dueDate} NULLS LAST`, asc(agendaTasks.id));
}

export async function lockAgendaTask(tx: Db, id: number): Promise<AgendaTaskRow | undefined> {
  const [row] = await tx.select().from(agendaTasks).where(eq(agendaTasks.id, id)).for("update");
  return row;
}

export interface AgendaTaskValues {
  title: BilingualText;
  owner: string;
  dueDate: string | null;
  status: string;
  measureCode: string | null;
  completedAt: Date | null;
}

export async function insertAgendaTask(tx: Db, values: AgendaTaskValues): Promise<AgendaTaskRow> {
  const [row] = await tx.insert(agendaTasks).values(values).returning();
  return row!;
}

export async function updateAgendaTask(tx: Db, id: number, values: AgendaTaskValues): Promise<AgendaTaskRow> {
  const [row] = await tx
    .update(agendaTasks)
    .set({ ...values, updatedAt: new Date(), rowVersion: sql`${agendaTasks.rowVersion} + 1` })
    .where(eq(agendaTasks.id, id))
    .returning();
  return row!;
}
