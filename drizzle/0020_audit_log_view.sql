-- The audit log page (issue 14): national roles read the log newest first, filtered by partnership, user, kind and
-- date. Each entry names the partnership it is about ("area_code": a plan's or an agreement's area; NULL for data and
-- framework changes, which are about all of Wales), and indexes serve each filter in the order the page reads
-- (newest first: by time, then id).
ALTER TABLE "audit_log" ADD COLUMN "area_code" text;
--> statement-breakpoint
UPDATE "audit_log" SET "area_code" = split_part("entity_key", '/', 1)
  WHERE "entity" IN ('plan', 'agreement') AND "entity_key" ~ '^[A-Z][0-9]{8}/';
--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at", "id");
--> statement-breakpoint
CREATE INDEX "audit_log_area_idx" ON "audit_log" USING btree ("area_code", "at", "id");
--> statement-breakpoint
CREATE INDEX "audit_log_user_idx" ON "audit_log" USING btree ("user_id", "at", "id");
--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action", "at", "id");
--> statement-breakpoint
-- Audit rows are never changed or deleted: the database refuses an UPDATE or DELETE of one, whoever asks.
CREATE FUNCTION "audit_log_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log rows cannot be changed or deleted (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_immutable" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_immutable"();
