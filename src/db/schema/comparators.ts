/** User-defined comparator groups ("statistical neighbours") and their members. */
import { boolean, integer, pgTable, primaryKey, serial, text } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { bilingual, createdAt } from "./columns.ts";
import { areas } from "./geography.ts";

/** User-defined comparator groups ("statistical neighbours"). */
export const comparatorGroups = pgTable("comparator_groups", {
  id: serial().primaryKey(),
  code: text().notNull().unique(),
  name: bilingual("name").notNull(),
  ownerUserId: integer("owner_user_id").references(() => users.id),
  isPublic: boolean("is_public").notNull().default(true),
  createdAt: createdAt(),
});

export const comparatorGroupMembers = pgTable(
  "comparator_group_members",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => comparatorGroups.id, { onDelete: "cascade" }),
    areaCode: text("area_code")
      .notNull()
      .references(() => areas.code),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.areaCode] })],
);
