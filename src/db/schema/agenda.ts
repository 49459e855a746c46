/** The data development agenda (issue 15): the stage of each measure in development, and tasks for further action. */
import { date, integer, jsonb, pgTable, serial, text } from "drizzle-orm/pg-core";
import { at, bilingual, createdAt } from "./columns.ts";

/** Where a measure in development has got to; a measure in development without a row is at "proposed". */
export const agendaMeasures = pgTable("agenda_measures", {
  measureCode: text("measure_code").primaryKey(),
  /** proposed | data_source_identified | piloted | live | dropped */
  stage: text().notNull().default("proposed"),
  owner: text(),
  notes: bilingual("notes"),
  /** The date (YYYY-MM-DD) each stage was reached, by stage. */
  stageDates: jsonb("stage_dates").$type<Record<string, string>>().notNull().default({}),
  rowVersion: integer("row_version").notNull().default(1),
  updatedAt: at("updated_at").notNull().defaultNow(),
});

/** A task for further action on the agenda: who does what by when. */
export const agendaTasks = pgTable("agenda_tasks", {
  id: serial().primaryKey(),
  title: bilingual("title").notNull(),
  owner: text().notNull(),
  dueDate: date("due_date", { mode: "string" }),
  /** open | in_progress | done */
  status: text().notNull().default("open"),
  /** The measure it is about, if any. */
  measureCode: text("measure_code"),
  completedAt: at("completed_at"),
  rowVersion: integer("row_version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: at("updated_at").notNull().defaultNow(),
});
