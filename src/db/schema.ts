/**
 * The one PostgreSQL schema (PostgreSQL 15 compatible), used by both drivers: embedded PGlite and node-postgres.
 * Migrations in /drizzle are generated from it with `npm run db:generate`. The tables are defined by area in
 * src/db/schema/ (framework, geography, comparators, data, accounts, analysis, plans); this file gathers them.
 */

export * from "./schema/accounts.ts";
export * from "./schema/agenda.ts";
export * from "./schema/agreements.ts";
export * from "./schema/analysis.ts";
export * from "./schema/comparators.ts";
export * from "./schema/data.ts";
export * from "./schema/framework.ts";
export * from "./schema/geography.ts";
export * from "./schema/plans.ts";
