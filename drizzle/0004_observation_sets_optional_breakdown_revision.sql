-- Observation sets may store `breakdown` and `revision` as a NULL array, which the `observations` view reads as 'total'
-- and 1 for every value, like the optional arrays of 0003 (a NULL `note_codes`, `withdrawn`, … reads as all empty or
-- false). Why: a bulk import's binary COPY costs the server CPU per value: every array element is received, checked and
-- stored. In the common case (totals only, first revisions) neither array says anything, so an import now sends a NULL
-- field instead whenever every element would be the default. Other writers may still write full arrays: both forms are
-- valid, and sets written before this migration stay as they are.
ALTER TABLE "observation_sets" ALTER COLUMN "breakdown" DROP NOT NULL, ALTER COLUMN "revision" DROP NOT NULL;
--> statement-breakpoint
-- Same columns, names, types and order as before (so CREATE OR REPLACE keeps the view's column defaults and its
-- INSTEAD OF INSERT trigger `observations_insert`). Multi-argument unnest reads a NULL array as all NULLs, which the
-- COALESCEs turn into the defaults.
CREATE OR REPLACE VIEW "observations" AS
SELECT s."first_id" + u."k" - 1 AS "id", s."measure_code", s."area_code", u."period", u."period_end",
	COALESCE(u."breakdown", 'total') AS "breakdown",
	u."value", u."numerator", u."denominator", u."lower_95", u."upper_95", u."lower_998", u."upper_998",
	COALESCE(u."ci_supplied", false) AS "ci_supplied",
	COALESCE(string_to_array(u."note_codes", ','), '{}'::text[]) AS "note_codes",
	COALESCE(u."withdrawn", false) AS "withdrawn", s."illustrative", s."batch_id",
	COALESCE(u."revision", 1) AS "revision", u."replaces_id",
	s."created_by", s."created_at", s."reason"
FROM "observation_sets" s
CROSS JOIN LATERAL unnest(s."period", s."period_end", s."breakdown", s."value", s."numerator", s."denominator",
	s."lower_95", s."upper_95", s."lower_998", s."upper_998", s."ci_supplied", s."note_codes", s."withdrawn",
	s."revision", s."replaces_id") WITH ORDINALITY
	AS u("period", "period_end", "breakdown", "value", "numerator", "denominator", "lower_95", "upper_95",
	"lower_998", "upper_998", "ci_supplied", "note_codes", "withdrawn", "revision", "replaces_id", "k");
