-- The summary sentence of an analysis row is made from the row's stored fields when it is read (issue 18): storing
-- it made up most of the analysis's time and space at scale.
ALTER TABLE "analysis_results" DROP COLUMN IF EXISTS "summary";
