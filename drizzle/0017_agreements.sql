-- Outcome agreements (issue 16). See src/db/schema/agreements.ts for what each table holds.
CREATE TABLE "agreement_schemes" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"reason" text,
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_schemes_code_version_uq" ON "agreement_schemes" ("code", "version");
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" serial PRIMARY KEY NOT NULL,
	"area_code" text NOT NULL REFERENCES "areas"("code"),
	"period" text NOT NULL,
	"start_year" integer NOT NULL,
	"end_year" integer NOT NULL,
	"scheme_id" integer NOT NULL REFERENCES "agreement_schemes"("id"),
	"status" text DEFAULT 'draft' NOT NULL,
	"grant_pence" bigint NOT NULL,
	"illustrative" boolean DEFAULT false NOT NULL,
	"agreed_by_government" text,
	"agreed_by_authority" text,
	"agreed_at" timestamp with time zone,
	"created_by" integer REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreements_status_check" CHECK ("status" IN ('draft', 'agreed')),
	CONSTRAINT "agreements_grant_check" CHECK ("grant_pence" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "agreements_area_period_uq" ON "agreements" ("area_code", "period");
--> statement-breakpoint
CREATE TABLE "agreement_outcomes" (
	"id" serial PRIMARY KEY NOT NULL,
	"agreement_id" integer NOT NULL REFERENCES "agreements"("id") ON DELETE CASCADE,
	"position" integer NOT NULL,
	"title" jsonb NOT NULL,
	"theme" text,
	"measure_codes" text[] NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_outcomes_position_uq" ON "agreement_outcomes" ("agreement_id", "position");
--> statement-breakpoint
CREATE TABLE "agreement_targets" (
	"outcome_id" integer NOT NULL REFERENCES "agreement_outcomes"("id") ON DELETE CASCADE,
	"measure_code" text NOT NULL,
	"period" text NOT NULL,
	"value" double precision NOT NULL,
	PRIMARY KEY ("outcome_id", "measure_code", "period")
);
--> statement-breakpoint
CREATE TABLE "agreement_assessments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"outcome_id" integer NOT NULL REFERENCES "agreement_outcomes"("id"),
	"year" text NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"category" text NOT NULL,
	"evidence" text DEFAULT '' NOT NULL,
	"collaboration" text,
	"reason" text,
	"author_id" integer REFERENCES "users"("id"),
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreement_assessments_kind_check" CHECK ("kind" IN ('self', 'moderation')),
	CONSTRAINT "agreement_assessments_category_check" CHECK ("category" IN ('fully', 'partially', 'unsuccessful')),
	CONSTRAINT "agreement_assessments_reason_check" CHECK ("kind" = 'self' OR coalesce(btrim("reason"), '') <> '')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_assessments_uq" ON "agreement_assessments" ("outcome_id", "year", "kind", "version");
--> statement-breakpoint
CREATE INDEX "agreement_assessments_outcome_idx" ON "agreement_assessments" ("outcome_id");
--> statement-breakpoint
CREATE TABLE "agreement_judgements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"agreement_id" integer NOT NULL REFERENCES "agreements"("id"),
	"year" text NOT NULL,
	"part_key" text NOT NULL,
	"version" integer NOT NULL,
	"awarded_percent" double precision NOT NULL,
	"reason" text NOT NULL,
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_judgements_uq" ON "agreement_judgements" ("agreement_id", "year", "part_key", "version");
