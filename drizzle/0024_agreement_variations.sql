-- Outcome agreements, second increment (issue 16): agreeing through the shared workflow (draft, submitted for
-- agreement, returned, agreed), both sides' dates, the administrator's choice to publish an agreement's summary,
-- outcomes linked to local measures and to the authority's plan, and variations of an agreed agreement (each with
-- its reason and what it replaced).
ALTER TABLE "agreements" DROP CONSTRAINT "agreements_status_check";
--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_status_check" CHECK ("status" IN ('draft', 'submitted', 'returned', 'agreed'));
--> statement-breakpoint
ALTER TABLE "agreements" ADD COLUMN "government_agreed_on" date;
--> statement-breakpoint
ALTER TABLE "agreements" ADD COLUMN "authority_agreed_on" date;
--> statement-breakpoint
ALTER TABLE "agreements" ADD COLUMN "summary_published" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "agreement_outcomes" ADD COLUMN "local_measures" text[] DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE "agreement_outcomes" ADD COLUMN "plan_links" jsonb DEFAULT '[]'::jsonb NOT NULL;
--> statement-breakpoint
CREATE TABLE "agreement_variations" (
	"id" serial PRIMARY KEY NOT NULL,
	"agreement_id" integer NOT NULL REFERENCES "agreements"("id") ON DELETE CASCADE,
	"number" integer NOT NULL,
	"kind" text NOT NULL,
	"outcome_position" integer,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"reason" text NOT NULL,
	"author_id" integer REFERENCES "users"("id"),
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreement_variations_kind_check" CHECK ("kind" IN ('grant', 'outcome')),
	CONSTRAINT "agreement_variations_reason_check" CHECK (btrim("reason") <> '')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_variations_uq" ON "agreement_variations" ("agreement_id", "number");
