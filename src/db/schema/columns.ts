/** Column helpers shared by the schema's tables. */
import { jsonb, timestamp } from "drizzle-orm/pg-core";
import type { BilingualText } from "../../domain/enums.ts";

export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const bilingual = (name: string) => jsonb(name).$type<BilingualText>();
