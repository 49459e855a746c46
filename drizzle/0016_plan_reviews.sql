-- Review comments on partnership plans (issue 14): a national reviewer returning or approving a plan comments on
-- its sections; comments are kept (append-only) with the plan version and the workflow step they came with.
CREATE TABLE "plan_review_comments" (
  "id" bigserial PRIMARY KEY NOT NULL,
  "plan_id" integer NOT NULL,
  "action" text NOT NULL,
  "section" text NOT NULL,
  "body" text NOT NULL,
  "author_id" integer,
  "author" text NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "plan_review_comments_plan_idx" ON "plan_review_comments" USING btree ("plan_id");
