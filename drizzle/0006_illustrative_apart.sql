-- Illustrative (demo) values are their own series, never a revision of or history for real values: a real value and an
-- illustrative value of the same key may both be revision 1. A row inserted into the view is refused only when a row
-- of the same kind (real or illustrative) already has its key and revision.
CREATE OR REPLACE FUNCTION "observations_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7312001);
	IF EXISTS (SELECT 1 FROM observations o WHERE o.measure_code = NEW.measure_code AND o.area_code = NEW.area_code
			AND o.period = NEW.period AND o.breakdown = NEW.breakdown AND o.revision = NEW.revision
			AND o.illustrative = COALESCE(NEW.illustrative, false)) THEN
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
