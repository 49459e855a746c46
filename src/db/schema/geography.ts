/** Areas, their aliases and their time-versioned memberships of groupings. */
import { date, index, integer, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { bilingual } from "./columns.ts";

export const areas = pgTable(
  "areas",
  {
    code: text().primaryKey(),
    name: bilingual("name").notNull(),
    type: text().notNull(),
    parentCode: text("parent_code"),
    sortOrder: integer("sort_order").notNull().default(0),
    validFrom: date("valid_from", { mode: "string" }),
    validTo: date("valid_to", { mode: "string" }),
  },
  (t) => [index("areas_type_idx").on(t.type)],
);

/** Retired codes and spelling variants that resolve to an area on import. */
export const areaAliases = pgTable(
  "area_aliases",
  {
    id: serial().primaryKey(),
    areaCode: text("area_code")
      .notNull()
      .references(() => areas.code),
    alias: text().notNull(),
    kind: text().notNull(),
  },
  (t) => [uniqueIndex("area_aliases_alias_uq").on(t.alias)],
);

/** Time-versioned membership of an area in a grouping (health board, consortium, region ...). */
export const areaMemberships = pgTable(
  "area_memberships",
  {
    id: serial().primaryKey(),
    groupingCode: text("grouping_code")
      .notNull()
      .references(() => areas.code),
    areaCode: text("area_code")
      .notNull()
      .references(() => areas.code),
    validFrom: date("valid_from", { mode: "string" }),
    validTo: date("valid_to", { mode: "string" }),
  },
  (t) => [index("area_memberships_area_idx").on(t.areaCode)],
);
