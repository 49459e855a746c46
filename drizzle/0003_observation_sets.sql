-- Observations are stored as observation sets: one row per import batch, measure and area (a large batch may write
-- several), holding that batch's values for the key as parallel arrays, one element per value. The `observations`
-- view unnests them into one row per value with the same columns as before, so every read is unchanged. Bulk imports
-- write sets with one binary COPY, so a million values cost a few thousand index entries instead of a million.
-- Rows stay append-only: a set is never updated or deleted.
CREATE SEQUENCE "observation_ids";
--> statement-breakpoint
SELECT setval('observation_ids', COALESCE((SELECT max(id) FROM "observations"), 0) + 1, false);
--> statement-breakpoint
CREATE TABLE "observation_sets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"batch_id" integer NOT NULL REFERENCES "import_batches"("id"),
	"measure_code" text NOT NULL,
	"area_code" text NOT NULL REFERENCES "areas"("code"),
	"illustrative" boolean DEFAULT false NOT NULL,
	"created_by" integer REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text,
	"ids" bigint[] NOT NULL,
	"period" text[] NOT NULL,
	"period_end" date[] NOT NULL,
	"breakdown" text[] NOT NULL,
	"value" double precision[] NOT NULL,
	"numerator" double precision[],
	"denominator" double precision[],
	"lower_95" double precision[],
	"upper_95" double precision[],
	"lower_998" double precision[],
	"upper_998" double precision[],
	"ci_supplied" boolean[],
	"note_codes" text[],
	"withdrawn" boolean[],
	"revision" integer[] NOT NULL,
	"replaces_id" bigint[]
);
--> statement-breakpoint
ALTER SEQUENCE "observation_ids" OWNED BY "observation_sets"."ids";
--> statement-breakpoint
INSERT INTO "observation_sets" ("batch_id", "measure_code", "area_code", "illustrative", "created_by", "created_at",
	"reason", "ids", "period", "period_end", "breakdown", "value", "numerator", "denominator", "lower_95", "upper_95",
	"lower_998", "upper_998", "ci_supplied", "note_codes", "withdrawn", "revision", "replaces_id")
SELECT "batch_id", "measure_code", "area_code", "illustrative", "created_by", min("created_at"), "reason",
	array_agg("id" ORDER BY "id"), array_agg("period" ORDER BY "id"), array_agg("period_end" ORDER BY "id"),
	array_agg("breakdown" ORDER BY "id"), array_agg("value" ORDER BY "id"), array_agg("numerator" ORDER BY "id"),
	array_agg("denominator" ORDER BY "id"), array_agg("lower_95" ORDER BY "id"), array_agg("upper_95" ORDER BY "id"),
	array_agg("lower_998" ORDER BY "id"), array_agg("upper_998" ORDER BY "id"), array_agg("ci_supplied" ORDER BY "id"),
	array_agg(array_to_string("note_codes", ',') ORDER BY "id"), array_agg("withdrawn" ORDER BY "id"),
	array_agg("revision" ORDER BY "id"), array_agg("replaces_id" ORDER BY "id")
FROM "observations"
GROUP BY "batch_id", "measure_code", "area_code", "illustrative", "created_by", "reason";
--> statement-breakpoint
DROP TABLE "observations";
--> statement-breakpoint
CREATE INDEX "observation_sets_key_idx" ON "observation_sets" USING btree ("measure_code", "area_code");
--> statement-breakpoint
CREATE INDEX "observation_sets_area_idx" ON "observation_sets" USING btree ("area_code");
--> statement-breakpoint
CREATE INDEX "observation_sets_batch_idx" ON "observation_sets" USING btree ("batch_id");
--> statement-breakpoint
CREATE VIEW "observations" AS
SELECT u."id", s."measure_code", s."area_code", u."period", u."period_end", u."breakdown", u."value", u."numerator",
	u."denominator", u."lower_95", u."upper_95", u."lower_998", u."upper_998",
	COALESCE(u."ci_supplied", false) AS "ci_supplied",
	COALESCE(string_to_array(u."note_codes", ','), '{}'::text[]) AS "note_codes",
	COALESCE(u."withdrawn", false) AS "withdrawn", s."illustrative", s."batch_id", u."revision", u."replaces_id",
	s."created_by", s."created_at", s."reason"
FROM "observation_sets" s
CROSS JOIN LATERAL unnest(s."ids", s."period", s."period_end", s."breakdown", s."value", s."numerator",
	s."denominator", s."lower_95", s."upper_95", s."lower_998", s."upper_998", s."ci_supplied", s."note_codes",
	s."withdrawn", s."revision", s."replaces_id")
	AS u("id", "period", "period_end", "breakdown", "value", "numerator", "denominator", "lower_95", "upper_95",
	"lower_998", "upper_998", "ci_supplied", "note_codes", "withdrawn", "revision", "replaces_id");
--> statement-breakpoint
ALTER VIEW "observations" ALTER COLUMN "breakdown" SET DEFAULT 'total';
--> statement-breakpoint
ALTER VIEW "observations" ALTER COLUMN "ci_supplied" SET DEFAULT false;
--> statement-breakpoint
ALTER VIEW "observations" ALTER COLUMN "note_codes" SET DEFAULT '{}'::text[];
--> statement-breakpoint
ALTER VIEW "observations" ALTER COLUMN "withdrawn" SET DEFAULT false;
--> statement-breakpoint
ALTER VIEW "observations" ALTER COLUMN "illustrative" SET DEFAULT false;
--> statement-breakpoint
ALTER VIEW "observations" ALTER COLUMN "revision" SET DEFAULT 1;
--> statement-breakpoint
ALTER VIEW "observations" ALTER COLUMN "created_at" SET DEFAULT now();
--> statement-breakpoint
-- A row inserted into the view becomes a set of one value. It takes the import lock (so that imports, which reserve
-- blocks of ids, never interleave with it), gets its id, and is refused when its key and revision already exist
-- (the view cannot carry a unique index; bulk imports guarantee the same rule by computing revisions under the lock).
CREATE FUNCTION "observations_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7312001);
	IF NEW.id IS NULL THEN
		NEW.id := nextval('observation_ids');
	END IF;
	IF EXISTS (SELECT 1 FROM observations o WHERE o.measure_code = NEW.measure_code AND o.area_code = NEW.area_code
			AND o.period = NEW.period AND o.breakdown = NEW.breakdown AND o.revision = NEW.revision) THEN
		RAISE EXCEPTION 'duplicate observation: % for %, %, % already has revision %', NEW.measure_code, NEW.area_code,
			NEW.period, NEW.breakdown, NEW.revision USING ERRCODE = 'unique_violation';
	END IF;
	INSERT INTO observation_sets (batch_id, measure_code, area_code, illustrative, created_by, created_at, reason, ids,
		period, period_end, breakdown, value, numerator, denominator, lower_95, upper_95, lower_998, upper_998,
		ci_supplied, note_codes, withdrawn, revision, replaces_id)
	VALUES (NEW.batch_id, NEW.measure_code, NEW.area_code, NEW.illustrative, NEW.created_by, NEW.created_at, NEW.reason,
		ARRAY[NEW.id], ARRAY[NEW.period], ARRAY[NEW.period_end], ARRAY[NEW.breakdown], ARRAY[NEW.value],
		ARRAY[NEW.numerator], ARRAY[NEW.denominator], ARRAY[NEW.lower_95], ARRAY[NEW.upper_95], ARRAY[NEW.lower_998],
		ARRAY[NEW.upper_998], ARRAY[NEW.ci_supplied], ARRAY[array_to_string(NEW.note_codes, ',')], ARRAY[NEW.withdrawn],
		ARRAY[NEW.revision], ARRAY[NEW.replaces_id]);
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "observations_insert" INSTEAD OF INSERT ON "observations" FOR EACH ROW EXECUTE FUNCTION "observations_insert"();
