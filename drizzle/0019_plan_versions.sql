-- Versions of a partnership plan (issue 14): a new version copies the plan's priorities and actions with new ids;
-- `lineage_id` names the first row a copied one descends from (null for a row written in its own version), so two
-- versions can be compared thing by thing even where a priority's text or an action's title changed.
ALTER TABLE "plan_priorities" ADD COLUMN "lineage_id" integer;
--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "lineage_id" integer;
