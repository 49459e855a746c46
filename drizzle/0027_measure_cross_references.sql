-- A measure's codes in other national frameworks (National Strategic Indicators, the 2006 child poverty indicators,
-- social services performance measures): [{ "framework": "nsi", "code": "EDU/002i" }].
ALTER TABLE "measures" ADD COLUMN "cross_references" jsonb DEFAULT '[]'::jsonb NOT NULL;
