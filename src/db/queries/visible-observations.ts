/**
 * THE query for reading observation values. Every public page, API response and export reads data through
 * {@link visibleObservations} or {@link iterateVisibleObservations}, so the visibility and disclosure rules live in one
 * place:
 *
 * - For each key (measure, area, period, breakdown) the reader sees the latest revision among the rows whose batch is
 *   visible to them; a latest row that is `withdrawn` hides the key.
 * - Public (the default), optionally as at a time t (default now): the batch was published by t, i.e.
 *   `publish_at <= t` and status `published`, or status `rolled_back` (a batch published and later rolled back stays
 *   part of what was public before its rollback; the rollback batch's newer revisions supersede it from then on).
 * - Analysts (`includeDrafts: true`): every batch that is not rolled back, drafts and embargoed batches included.
 * - Illustrative (demo) values of a measure are withdrawn as soon as the reader sees any real value of that measure.
 * - Disclosure control (each measure's suppress/round rule) is applied to every public read. Raw values are returned
 *   only when a caller asks for `disclosure: "raw"` together with `includeDrafts` (analyst tools, never public output).
 * - In public reads `revision` is the **public** revision number ({@link publicRevisions}): how many different
 *   contents of the value the public has been shown up to this one, so revisions that were never public (drafts,
 *   embargoed batches rolled back before their time) and a rollback restoring what the public already saw do not
 *   count. Analysts see the stored revision numbers.
 */
import { and, asc, desc, eq, inArray, lte, ne, or, type SQL, sql } from "drizzle-orm";
import { type DisclosureRule, discloseObservation } from "../../domain/disclosure.ts";
import type { Observation } from "../../domain/observation.ts";
import type { Db } from "../database.ts";
import { importBatches, measures, observationSets, observations } from "../schema.ts";

export interface VisibleObservationOptions {
  /** Public view as it was at this time (default: now). Ignored with `includeDrafts`. */
  asAt?: Date | undefined;
  /** Analyst view: include drafts and embargoed batches (never for public output). */
  includeDrafts?: boolean | undefined;
  measureCodes?: readonly string[] | undefined;
  areaCodes?: readonly string[] | undefined;
  periods?: readonly string[] | undefined;
  /** One canonical breakdown ("total", "sex=female") or several; all breakdowns when absent. */
  breakdown?: string | readonly string[] | undefined;
  /** "apply" (default) applies each measure's disclosure rule; "raw" is allowed only with `includeDrafts`. */
  disclosure?: "apply" | "raw" | undefined;
}

/** The visible revision of an observation: the canonical {@link Observation} with its id, revision and batch. */
export interface VisibleObservation extends Observation {
  id: number;
  noteCodes: string[];
  revision: number;
  batchId: number;
  batchStatus: string;
  publishAt: Date | null;
}

function visibilityCondition(options: VisibleObservationOptions): SQL {
  if (options.includeDrafts) return ne(importBatches.status, "rolled_back");
  const t = options.asAt ?? new Date();
  return and(
    or(eq(importBatches.status, "published"), eq(importBatches.status, "rolled_back")),
    sql`${importBatches.publishAt} IS NOT NULL`,
    lte(importBatches.publishAt, t),
  )!;
}

/**
 * Illustrative (demo) values are their own thing, never a revision of or history for real data: a measure's
 * illustrative values are visible only while the reader sees no real (non-illustrative) value of that measure. Once
 * real data are visible for a measure (published, or a draft for analysts), its illustrative values are withdrawn
 * everywhere that reads through this module: pages, the API, exports and the analysis.
 */
function illustrativeWithdrawn(options: VisibleObservationOptions): SQL {
  const t = options.asAt ?? new Date();
  const visible = options.includeDrafts
    ? sql`rb.status <> 'rolled_back'`
    : sql`rb.status IN ('published', 'rolled_back') AND rb.publish_at IS NOT NULL AND rb.publish_at <= ${t}`;
  const only = options.measureCodes
    ? sql` AND rs.measure_code IN (${sql.join(
        options.measureCodes.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : sql``;
  return sql`NOT (${observations.illustrative} AND ${observations.measureCode} IN (
    SELECT rs.measure_code FROM ${observationSets} rs JOIN ${importBatches} rb ON rb.id = rs.batch_id
    WHERE NOT rs.illustrative AND ${visible}${only}))`;
}

function filters(options: VisibleObservationOptions): SQL[] {
  const out: SQL[] = [visibilityCondition(options), illustrativeWithdrawn(options)];
  if (options.measureCodes) out.push(inArray(observations.measureCode, [...options.measureCodes]));
  if (options.areaCodes) out.push(inArray(observations.areaCode, [...options.areaCodes]));
  if (options.periods) out.push(inArray(observations.period, [...options.periods]));
  if (typeof options.breakdown === "string") out.push(eq(observations.breakdown, options.breakdown));
  else if (options.breakdown) out.push(inArray(observations.breakdown, [...options.breakdown]));
  return out;
}

async function rawVisible(db: Db, options: VisibleObservationOptions): Promise<VisibleObservation[]> {
  for (const list of [options.measureCodes, options.areaCodes, options.periods]) {
    if (list && list.length === 0) return [];
  }
  const latest = db
    .selectDistinctOn([observations.measureCode, observations.areaCode, observations.period, observations.breakdown], {
      id: observations.id,
      measureCode: observations.measureCode,
      areaCode: observations.areaCode,
      period: observations.period,
      periodEnd: observations.periodEnd,
      breakdown: observations.breakdown,
      value: observations.value,
      numerator: observations.numerator,
      denominator: observations.denominator,
      lower95: observations.lower95,
      upper95: observations.upper95,
      lower998: observations.lower998,
      upper998: observations.upper998,
      ciSupplied: observations.ciSupplied,
      noteCodes: observations.noteCodes,
      withdrawn: observations.withdrawn,
      illustrative: observations.illustrative,
      revision: observations.revision,
      batchId: observations.batchId,
      batchStatus: sql<string>`${importBatches.status}`.as("batch_status"),
      publishAt: sql<Date | string | null>`${importBatches.publishAt}`.as("batch_publish_at"),
    })
    .from(observations)
    .innerJoin(importBatches, eq(importBatches.id, observations.batchId))
    .where(and(...filters(options)))
    .orderBy(
      asc(observations.measureCode),
      asc(observations.areaCode),
      asc(observations.period),
      asc(observations.breakdown),
      desc(observations.revision),
    )
    .as("latest");
  // each row as one JSON text (row_to_json), not 21 columns: a measure's values are thousands of rows, and a driver
  // decodes and converts every column of every row on its own (on the embedded database most of a cold page's time)
  const rows = await db
    .select({ json: sql<string>`row_to_json(${sql.identifier("latest")})::text` })
    .from(latest)
    .where(eq(latest.withdrawn, false))
    .orderBy(asc(latest.measureCode), asc(latest.areaCode), asc(latest.periodEnd), asc(latest.breakdown));
  return rows.map(({ json }) => visibleRow(JSON.parse(json) as LatestRow));
}

/** A row of the `latest` subquery as row_to_json writes it: the column names, JSON values. */
interface LatestRow {
  id: number;
  measure_code: string;
  area_code: string;
  period: string;
  period_end: string;
  breakdown: string;
  value: number | string | null;
  numerator: number | string | null;
  denominator: number | string | null;
  lower_95: number | string | null;
  upper_95: number | string | null;
  lower_998: number | string | null;
  upper_998: number | string | null;
  ci_supplied: boolean;
  note_codes: string[] | null;
  illustrative: boolean;
  revision: number;
  batch_id: number;
  batch_status: string;
  batch_publish_at: string | null;
}

/** JSON writes a double as a number, except NaN and ±Infinity, which it writes as text. */
const double = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** The same values the columns would have given (a date as `YYYY-MM-DD` text, a timestamp as a Date). */
function visibleRow(r: LatestRow): VisibleObservation {
  return {
    id: Number(r.id),
    measureCode: r.measure_code,
    areaCode: r.area_code,
    period: r.period,
    periodEnd: r.period_end,
    breakdown: r.breakdown,
    value: double(r.value),
    numerator: double(r.numerator),
    denominator: double(r.denominator),
    lower95: double(r.lower_95),
    upper95: double(r.upper_95),
    lower998: double(r.lower_998),
    upper998: double(r.upper_998),
    ciSupplied: r.ci_supplied,
    noteCodes: r.note_codes ?? [],
    illustrative: r.illustrative,
    revision: r.revision,
    batchId: r.batch_id,
    batchStatus: r.batch_status,
    publishAt: r.batch_publish_at === null ? null : new Date(r.batch_publish_at),
  };
}

/** Disclosure rules of the given measures (any framework version; the newest definition wins). */
export async function disclosureRules(db: Db, measureCodes: readonly string[]): Promise<Map<string, DisclosureRule>> {
  const rules = new Map<string, DisclosureRule>();
  if (measureCodes.length === 0) return rules;
  const rows = await db
    .select({
      code: measures.code,
      suppressBelow: measures.suppressBelow,
      roundTo: measures.roundTo,
      valueType: measures.valueType,
      multiplier: measures.multiplier,
    })
    .from(measures)
    .where(inArray(measures.code, [...new Set(measureCodes)]))
    .orderBy(asc(measures.id));
  for (const r of rows) {
    rules.set(r.code, {
      suppressBelow: r.suppressBelow,
      roundTo: r.roundTo,
      valueType: r.valueType,
      multiplier: r.multiplier,
    });
  }
  return rules;
}

/**
 * The values a reader may see (see the module comment). Public reads always have disclosure control applied.
 */
export async function visibleObservations(
  db: Db,
  options: VisibleObservationOptions = {},
): Promise<VisibleObservation[]> {
  if (options.disclosure === "raw" && !options.includeDrafts) {
    throw new Error("raw values are only available to analysts (includeDrafts)");
  }
  const rows = await rawVisible(db, options);
  if (!options.includeDrafts) await withPublicRevisions(db, rows, options.asAt ?? new Date());
  if (options.disclosure === "raw") return rows;
  const rules = await disclosureRules(db, [...new Set(rows.map((r) => r.measureCode))]);
  return rows.map((r) => discloseObservation(r, rules.get(r.measureCode)));
}

/**
 * {@link visibleObservations} of one measure, read in several short statements when it is large (its areas in
 * groups of at most `partRows` stored rows, in the order one statement would give). On the embedded database a
 * statement holds the thread that answers requests until it ends, so the analysis of a large publication reads each
 * measure in parts and requests are answered in between.
 */
export async function visibleObservationsInParts(
  db: Db,
  measureCode: string,
  options: Omit<VisibleObservationOptions, "measureCodes" | "areaCodes"> = {},
  partRows = 5_000,
): Promise<VisibleObservation[]> {
  const counts = await db
    .select({ area: observations.areaCode, n: sql<number>`count(*)::int` })
    .from(observations)
    .where(eq(observations.measureCode, measureCode))
    .groupBy(observations.areaCode)
    .orderBy(asc(observations.areaCode));
  const total = counts.reduce((sum, c) => sum + Number(c.n), 0);
  if (total <= partRows) return visibleObservations(db, { ...options, measureCodes: [measureCode] });
  const groups: string[][] = [];
  let rows = 0;
  for (const c of counts) {
    if (groups.length === 0 || rows + Number(c.n) > partRows) {
      groups.push([]);
      rows = 0;
    }
    groups.at(-1)!.push(c.area);
    rows += Number(c.n);
  }
  const out: VisibleObservation[] = [];
  for (const areaCodes of groups) {
    for (const r of await visibleObservations(db, { ...options, measureCodes: [measureCode], areaCodes })) out.push(r);
  }
  return out;
}

/**
 * Public revision numbers of the given keys, each as of its stored revision `revision` and time `asAt`: the number of
 * times the value's content (value, counts, limits, note codes, withdrawn) changed along the revisions that were public
 * by `asAt`. A batch counts as public from its `publish_at`, if it is published, or rolled back after that time (a
 * batch rolled back while under embargo never was public).
 */
export async function publicRevisions(
  db: Db,
  keys: readonly Pick<VisibleObservation, "measureCode" | "areaCode" | "period" | "breakdown" | "revision">[],
  asAt: Date,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (keys.length === 0) return out;
  const result = (await db.execute(sql`
    WITH k(measure_code, area_code, period, breakdown, revision) AS (
      SELECT * FROM unnest(${pgArray(keys.map((k) => k.measureCode))}::text[], ${pgArray(keys.map((k) => k.areaCode))}::text[],
        ${pgArray(keys.map((k) => k.period))}::text[], ${pgArray(keys.map((k) => k.breakdown))}::text[],
        ${pgArray(keys.map((k) => String(k.revision)))}::int[])),
    pub AS (
      SELECT o.measure_code, o.area_code, o.period, o.breakdown, o.revision,
        ROW(o.value, o.numerator, o.denominator, o.lower_95, o.upper_95, o.lower_998, o.upper_998, o.note_codes,
          o.withdrawn)::text AS content
      FROM k
      JOIN observations o ON o.measure_code = k.measure_code AND o.area_code = k.area_code AND o.period = k.period
        AND o.breakdown = k.breakdown AND o.revision <= k.revision
      JOIN import_batches b ON b.id = o.batch_id
      LEFT JOIN import_batches rb ON rb.id = b.rolled_back_by
      WHERE b.publish_at IS NOT NULL AND b.publish_at <= ${asAt.toISOString()}::timestamptz
        AND (b.status = 'published'
          OR (b.status = 'rolled_back' AND rb.publish_at IS NOT NULL AND b.publish_at <= rb.publish_at)))
    SELECT measure_code, area_code, period, breakdown, count(*) FILTER (WHERE prev IS DISTINCT FROM content) AS n
    FROM (SELECT pub.*, lag(content) OVER (PARTITION BY measure_code, area_code, period, breakdown ORDER BY revision)
            AS prev
          FROM pub) changes
    GROUP BY measure_code, area_code, period, breakdown`)) as unknown as {
    rows: { measure_code: string; area_code: string; period: string; breakdown: string; n: number | string }[];
  };
  for (const r of result.rows) {
    out.set(revisionKey(r.measure_code, r.area_code, r.period, r.breakdown), Number(r.n));
  }
  return out;
}

const revisionKey = (measure: string, area: string, period: string, breakdown: string) =>
  `${measure}\u0000${area}\u0000${period}\u0000${breakdown}`;

/** A text array literal for a query parameter (`{"a","b"}`), quoting every element. */
function pgArray(items: readonly string[]): string {
  return `{${items.map((x) => `"${x.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}

/**
 * Replaces the stored revision numbers of public rows by their public revision numbers. A first revision is always
 * the first public one, so only rows with a later stored revision (few: values revised since) are looked up.
 */
async function withPublicRevisions(db: Db, rows: VisibleObservation[], asAt: Date): Promise<void> {
  const revised = rows.filter((r) => r.revision > 1);
  if (revised.length === 0) return;
  const numbers = await publicRevisions(db, revised, asAt);
  for (const r of revised) {
    r.revision = numbers.get(revisionKey(r.measureCode, r.areaCode, r.period, r.breakdown)) ?? r.revision;
  }
}

/** Measure codes with any rows, for paging exports. */
export async function observedMeasureCodes(db: Db, measureCodes?: readonly string[]): Promise<string[]> {
  const q = db.selectDistinct({ code: observationSets.measureCode }).from(observationSets);
  const rows = await (measureCodes ? q.where(inArray(observationSets.measureCode, [...measureCodes])) : q).orderBy(
    asc(observationSets.measureCode),
  );
  return rows.map((r) => r.code);
}

/** Like {@link visibleObservations}, one measure at a time, so exports of any size stay in bounded memory. */
export async function* iterateVisibleObservations(
  db: Db,
  options: VisibleObservationOptions = {},
): AsyncGenerator<VisibleObservation[]> {
  for (const code of await observedMeasureCodes(db, options.measureCodes)) {
    const rows = await visibleObservations(db, { ...options, measureCodes: [code] });
    if (rows.length > 0) yield rows;
  }
}
