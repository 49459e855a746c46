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
	"first_id" bigint NOT NULL,
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
ALTER SEQUENCE "observation_ids" OWNED BY "observation_sets"."first_id";
--> statement-breakpoint
INSERT INTO "observation_sets" ("batch_id", "measure_code", "area_code", "illustrative", "created_by", "created_at",
	"reason", "first_id", "period", "period_end", "breakdown", "value", "numerator", "denominator", "lower_95", "upper_95",
	"lower_998", "upper_998", "ci_supplied", "note_codes", "withdrawn", "revision", "replaces_id")
SELECT "batch_id", "measure_code", "area_code", "illustrative", "created_by", "created_at", "reason", "id",
	ARRAY["period"], ARRAY["period_end"], ARRAY["breakdown"], ARRAY["value"], ARRAY["numerator"], ARRAY["denominator"],
	ARRAY["lower_95"], ARRAY["upper_95"], ARRAY["lower_998"], ARRAY["upper_998"], ARRAY["ci_supplied"],
	ARRAY[array_to_string("note_codes", ',')], ARRAY["withdrawn"], ARRAY["revision"], ARRAY["replaces_id"]
FROM "observations" ORDER BY "id";
--> statement-breakpoint
DROP TABLE "observations";
--> statement-breakpoint
-- A set written without ids (an import's COPY) gets a block of consecutive ids from `observation_ids`: value k of the
-- set (from 1) has id first_id + k − 1. Every writer holds the import lock, so blocks never interleave.
CREATE FUNCTION "observation_sets_ids"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.first_id IS NULL THEN
		PERFORM pg_advisory_xact_lock(7312001);
		NEW.first_id := setval('observation_ids', nextval('observation_ids') + cardinality(NEW.period) - 1)
			- cardinality(NEW.period) + 1;
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "observation_sets_ids" BEFORE INSERT ON "observation_sets" FOR EACH ROW EXECUTE FUNCTION "observation_sets_ids"();
--> statement-breakpoint
-- Arrays too big to stay in the row go out of line uncompressed: compressing numbers saves little and costs more than
-- the rest of an import's COPY.
ALTER TABLE "observation_sets" ALTER COLUMN "period" SET STORAGE EXTERNAL, ALTER COLUMN "period_end" SET STORAGE EXTERNAL,
	ALTER COLUMN "breakdown" SET STORAGE EXTERNAL, ALTER COLUMN "value" SET STORAGE EXTERNAL,
	ALTER COLUMN "numerator" SET STORAGE EXTERNAL, ALTER COLUMN "denominator" SET STORAGE EXTERNAL,
	ALTER COLUMN "lower_95" SET STORAGE EXTERNAL, ALTER COLUMN "upper_95" SET STORAGE EXTERNAL,
	ALTER COLUMN "lower_998" SET STORAGE EXTERNAL, ALTER COLUMN "upper_998" SET STORAGE EXTERNAL,
	ALTER COLUMN "ci_supplied" SET STORAGE EXTERNAL, ALTER COLUMN "note_codes" SET STORAGE EXTERNAL,
	ALTER COLUMN "withdrawn" SET STORAGE EXTERNAL, ALTER COLUMN "revision" SET STORAGE EXTERNAL,
	ALTER COLUMN "replaces_id" SET STORAGE EXTERNAL;
--> statement-breakpoint
CREATE INDEX "observation_sets_key_idx" ON "observation_sets" USING btree ("measure_code", "area_code");
--> statement-breakpoint
CREATE INDEX "observation_sets_area_idx" ON "observation_sets" USING btree ("area_code");
--> statement-breakpoint
CREATE INDEX "observation_sets_batch_idx" ON "observation_sets" USING btree ("batch_id");
--> statement-breakpoint
CREATE VIEW "observations" AS
SELECT s."first_id" + u."k" - 1 AS "id", s."measure_code", s."area_code", u."period", u."period_end", u."breakdown",
	u."value", u."numerator", u."denominator", u."lower_95", u."upper_95", u."lower_998", u."upper_998",
	COALESCE(u."ci_supplied", false) AS "ci_supplied",
	COALESCE(string_to_array(u."note_codes", ','), '{}'::text[]) AS "note_codes",
	COALESCE(u."withdrawn", false) AS "withdrawn", s."illustrative", s."batch_id", u."revision", u."replaces_id",
	s."created_by", s."created_at", s."reason"
FROM "observation_sets" s
CROSS JOIN LATERAL unnest(s."period", s."period_end", s."breakdown", s."value", s."numerator", s."denominator",
	s."lower_95", s."upper_95", s."lower_998", s."upper_998", s."ci_supplied", s."note_codes", s."withdrawn",
	s."revision", s."replaces_id") WITH ORDINALITY
	AS u("period", "period_end", "breakdown", "value", "numerator", "denominator", "lower_95", "upper_95",
	"lower_998", "upper_998", "ci_supplied", "note_codes", "withdrawn", "revision", "replaces_id", "k");
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
-- A row inserted into the view becomes a set of one value. It takes the import lock (so that it never interleaves with
-- an import), gets its id from the sets' trigger, and is refused when its key and revision already exist
-- (the view cannot carry a unique index; bulk imports guarantee the same rule by computing revisions under the lock).
CREATE FUNCTION "observations_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7312001);
	IF EXISTS (SELECT 1 FROM observations o WHERE o.measure_code = NEW.measure_code AND o.area_code = NEW.area_code
			AND o.period = NEW.period AND o.breakdown = NEW.breakdown AND o.revision = NEW.revision) THEN
		RAISE EXCEPTION 'duplicate observation: % for %, %, % already has revision %', NEW.measure_code, NEW.area_code,
			NEW.period, NEW.breakdown, NEW.revision USING ERRCODE = 'unique_violation';
	END IF;
	INSERT INTO observation_sets (batch_id, measure_code, area_code, illustrative, created_by, created_at, reason,
		period, period_end, breakdown, value, numerator, denominator, lower_95, upper_95, lower_998, upper_998,
		ci_supplied, note_codes, withdrawn, revision, replaces_id)
	VALUES (NEW.batch_id, NEW.measure_code, NEW.area_code, NEW.illustrative, NEW.created_by, NEW.created_at, NEW.reason,
		ARRAY[NEW.period], ARRAY[NEW.period_end], ARRAY[NEW.breakdown], ARRAY[NEW.value],
		ARRAY[NEW.numerator], ARRAY[NEW.denominator], ARRAY[NEW.lower_95], ARRAY[NEW.upper_95], ARRAY[NEW.lower_998],
		ARRAY[NEW.upper_998], ARRAY[NEW.ci_supplied], ARRAY[array_to_string(NEW.note_codes, ',')], ARRAY[NEW.withdrawn],
		ARRAY[NEW.revision], ARRAY[NEW.replaces_id])
	RETURNING first_id INTO NEW.id;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "observations_insert" INSTEAD OF INSERT ON "observations" FOR EACH ROW EXECUTE FUNCTION "observations_insert"();
