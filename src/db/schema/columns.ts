/** Column helpers shared by the schema's tables. */
import { jsonb, timestamp } from "drizzle-orm/pg-core";
import type { BilingualText } from "../../domain/enums.ts";

/** A timestamp with time zone, read as a Date. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const bilingual = (name: string) => jsonb(name).$type<BilingualText>();
