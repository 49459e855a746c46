-- The data development agenda (issue 15): where each measure in development has got to (proposed → data source
-- identified → piloted → live, or dropped), with its owner, notes and the date each stage was reached; and tasks for
-- further action with an owner, a due date and a status. A measure in development without a row is "proposed".
CREATE TABLE "agenda_measures" (
	"measure_code" text PRIMARY KEY NOT NULL,
	"stage" text DEFAULT 'proposed' NOT NULL,
	"owner" text,
	"notes" jsonb,
	"stage_dates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"row_version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agenda_tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" jsonb NOT NULL,
	"owner" text NOT NULL,
	"due_date" date,
	"status" text DEFAULT 'open' NOT NULL,
	"measure_code" text,
	"completed_at" timestamp with time zone,
	"row_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
