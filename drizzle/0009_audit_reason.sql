-- The audit log records why a change was made (the reason given with an import, a rollback or a workflow step).
ALTER TABLE "audit_log" ADD COLUMN "reason" text;
