-- Partnership plans (Results-Based Accountability). See src/db/plans-schema.ts for what each table holds.
-- Local measures are rows of "measures" owned by one partnership: "local_area_code" names it (NULL: a framework measure).
ALTER TABLE "measures" ADD COLUMN "local_area_code" text REFERENCES "areas"("code");
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"area_code" text NOT NULL REFERENCES "areas"("code"),
	"period" text NOT NULL,
	"start_year" integer NOT NULL,
	"end_year" integer NOT NULL,
	"framework_id" integer NOT NULL REFERENCES "frameworks"("id"),
	"version" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"row_version" integer DEFAULT 1 NOT NULL,
	"title" jsonb,
	"illustrative" boolean DEFAULT false NOT NULL,
	"created_by" integer REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "plans_area_period_version_uq" ON "plans" ("area_code", "period", "version");
--> statement-breakpoint
CREATE TABLE "plan_priorities" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL REFERENCES "plans"("id") ON DELETE CASCADE,
	"text" jsonb NOT NULL,
	"rationale" jsonb,
	"core_aims" text[] NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "plan_priorities_plan_idx" ON "plan_priorities" ("plan_id");
--> statement-breakpoint
CREATE TABLE "plan_measures" (
	"plan_id" integer NOT NULL REFERENCES "plans"("id") ON DELETE CASCADE,
	"measure_code" text NOT NULL,
	"kind" text NOT NULL,
	"priority_id" integer REFERENCES "plan_priorities"("id"),
	"reason" jsonb,
	"sort_order" integer DEFAULT 0 NOT NULL,
	PRIMARY KEY ("plan_id", "measure_code")
);
--> statement-breakpoint
CREATE TABLE "plan_targets" (
	"plan_id" integer NOT NULL REFERENCES "plans"("id") ON DELETE CASCADE,
	"measure_code" text NOT NULL,
	"period" text NOT NULL,
	"value" double precision NOT NULL,
	"stretch" double precision,
	PRIMARY KEY ("plan_id", "measure_code", "period")
);
--> statement-breakpoint
CREATE TABLE "narrative_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL REFERENCES "plans"("id"),
	"subject_kind" text NOT NULL,
	"subject_code" text NOT NULL,
	"section" text NOT NULL,
	"version" integer NOT NULL,
	"body" text NOT NULL,
	"items" jsonb,
	"author_id" integer REFERENCES "users"("id"),
	"author" text NOT NULL,
	"restored_from" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "narrative_versions_uq" ON "narrative_versions" ("plan_id", "subject_kind", "subject_code", "section", "version");
--> statement-breakpoint
CREATE TABLE "plan_actions" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL REFERENCES "plans"("id"),
	"subject_kind" text NOT NULL,
	"subject_code" text NOT NULL,
	"title" jsonb NOT NULL,
	"owner" text,
	"start_date" date,
	"due_date" date,
	"status" text DEFAULT 'not_started' NOT NULL,
	"created_by" integer REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "plan_actions_plan_idx" ON "plan_actions" ("plan_id");
--> statement-breakpoint
CREATE TABLE "action_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"action_id" integer NOT NULL REFERENCES "plan_actions"("id"),
	"date" date NOT NULL,
	"text" jsonb NOT NULL,
	"status_after" text NOT NULL,
	"author_id" integer REFERENCES "users"("id"),
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "action_updates_action_idx" ON "action_updates" ("action_id");
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL REFERENCES "plans"("id"),
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb,
	"priority_id" integer REFERENCES "plan_priorities"("id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "programmes_plan_code_uq" ON "programmes" ("plan_id", "code");
--> statement-breakpoint
CREATE TABLE "programme_measures" (
	"id" serial PRIMARY KEY NOT NULL,
	"programme_id" integer NOT NULL REFERENCES "programmes"("id"),
	"code" text NOT NULL,
	"title" jsonb NOT NULL,
	"quadrant" text NOT NULL,
	"unit" text NOT NULL,
	"polarity" text NOT NULL,
	"decimals" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "programme_measures_code_uq" ON "programme_measures" ("programme_id", "code");
--> statement-breakpoint
CREATE TABLE "performance_values" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"programme_measure_id" integer NOT NULL REFERENCES "programme_measures"("id"),
	"period" text NOT NULL,
	"value" double precision NOT NULL,
	"numerator" double precision,
	"denominator" double precision,
	"revision" integer NOT NULL,
	"reason" text,
	"author_id" integer REFERENCES "users"("id"),
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "performance_values_uq" ON "performance_values" ("programme_measure_id", "period", "revision");
