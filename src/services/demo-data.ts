/**
 * Illustrative demo data: a generated series for every live measure, for Wales and the 22 local authorities over
 * 12 periods, realistic in level, spread between areas and noise, with numerators and denominators where the value
 * type needs them. Deterministic (seeded by measure code), flagged as illustrative on the batch and on every row,
 * and published so that every page has something to show. Never mistaken for real statistics: pages that show it
 * carry an "Illustrative data" banner.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { Db } from "../db/database.ts";
import { listAreas } from "../db/queries/areas.ts";
import { findCurrentFramework, listMeasures, type MeasureRow } from "../db/queries/framework.ts";
import {
  countObservations,
  createBatch,
  findIllustrativeBatch,
  insertObservations,
  type NewObservation,
} from "../db/queries/observations.ts";
import type { Period } from "../domain/period-model.ts";
import { shiftPeriod } from "../domain/period-order.ts";
import { parsePeriod } from "../domain/period-parse.ts";
import type { PeriodType } from "../domain/period-type.ts";

/** Approximate children (thousands, aged 0–17) and a deprivation score (−1 least … +1 most) per authority. */
const AREA_PROFILE: Record<string, { children: number; deprivation: number }> = {
  W06000001: { children: 13, deprivation: -0.1 },
  W06000002: { children: 23, deprivation: -0.2 },
  W06000003: { children: 21, deprivation: -0.1 },
  W06000004: { children: 19, deprivation: 0.3 },
  W06000005: { children: 32, deprivation: -0.4 },
  W06000006: { children: 28, deprivation: 0.1 },
  W06000023: { children: 24, deprivation: -0.5 },
  W06000008: { children: 12, deprivation: -0.6 },
  W06000009: { children: 24, deprivation: -0.2 },
  W06000010: { children: 36, deprivation: -0.1 },
  W06000011: { children: 46, deprivation: 0.2 },
  W06000012: { children: 28, deprivation: 0.5 },
  W06000013: { children: 29, deprivation: 0.1 },
  W06000014: { children: 28, deprivation: -0.6 },
  W06000015: { children: 76, deprivation: 0.1 },
  W06000016: { children: 49, deprivation: 0.5 },
  W06000024: { children: 12, deprivation: 0.9 },
  W06000018: { children: 38, deprivation: 0.5 },
  W06000019: { children: 14, deprivation: 1.0 },
  W06000020: { children: 19, deprivation: 0.4 },
  W06000021: { children: 17, deprivation: -0.9 },
  W06000022: { children: 35, deprivation: 0.6 },
};

/** Level (Wales value), relative spread between areas, change per period, and the denominator per 1,000 children. */
export interface DemoProfile {
  level: number;
  spread: number;
  trend: number;
  denominatorPerThousand: number;
}

const profilesFile = fileURLToPath(new URL("../../content/demo/profiles.yaml", import.meta.url));

function loadProfiles(): Record<string, Partial<DemoProfile>> {
  try {
    return (
      (parseYaml(readFileSync(profilesFile, "utf8")) as { profiles?: Record<string, Partial<DemoProfile>> }).profiles ??
      {}
    );
  } catch {
    return {};
  }
}

function defaultProfile(m: MeasureRow): DemoProfile {
  const better = m.polarity === "higher_is_better";
  switch (m.unit) {
    case "percentage":
      return { level: better ? 75 : 12, spread: 0.12, trend: better ? 0.4 : -0.15, denominatorPerThousand: 60 };
    case "rate":
      return { level: m.multiplier >= 100000 ? 400 : 20, spread: 0.25, trend: -0.01, denominatorPerThousand: 1000 };
    case "count":
      return { level: 40, spread: 0.3, trend: 0.5, denominatorPerThousand: 1 };
    default:
      return { level: 5, spread: 0.1, trend: 0.02, denominatorPerThousand: 100 };
  }
}

/** mulberry32: a small deterministic PRNG. */
function random(seedText: string): () => number {
  let seed = 2166136261;
  for (const ch of seedText) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** The latest period with published data for each type, as of today's date, and the series of `count` before it. */
export function demoPeriods(type: PeriodType, count: number, today = new Date()): Period[] {
  const y = today.getUTCFullYear();
  const latest: Record<PeriodType, string> = {
    calendar_year: `${y - 2}`,
    financial_year: `${y - 2}-${String((y - 1) % 100).padStart(2, "0")}`,
    academic_year: `${y - 2}/${String((y - 1) % 100).padStart(2, "0")}`,
    quarter: `${y - 1}-Q4`,
    month: `${y - 1}-12`,
    snapshot_date: `${y - 1}-03-31`,
    multi_year: `${y - 4}-${y - 2}`,
  };
  const parsed = parsePeriod(latest[type], type);
  if (!parsed.ok) throw new Error(`demo period for ${type}: ${parsed.error}`);
  const step = type === "multi_year" ? 1 : 1;
  return Array.from({ length: count }, (_, i) => shiftPeriod(parsed.period, -(count - 1 - i) * step));
}

const PERIODS = 12;

/**
 * Demo breakdown groups: share of the denominator and how disadvantaged the group is (−1 … +1), which moves its
 * value in the "worse" direction of the measure. Dimensions not listed here get no demo breakdown.
 */
const BREAKDOWN_GROUPS: Record<string, { code: string; share: number; disadvantage: number }[]> = {
  sex: [
    { code: "female", share: 0.49, disadvantage: -0.3 },
    { code: "male", share: 0.51, disadvantage: 0.3 },
  ],
  fsm: [
    { code: "eligible", share: 0.22, disadvantage: 1 },
    { code: "not_eligible", share: 0.78, disadvantage: -0.3 },
  ],
  deprivation_quintile: [
    { code: "1", share: 0.2, disadvantage: 1 },
    { code: "2", share: 0.2, disadvantage: 0.5 },
    { code: "3", share: 0.2, disadvantage: 0 },
    { code: "4", share: 0.2, disadvantage: -0.5 },
    { code: "5", share: 0.2, disadvantage: -1 },
  ],
};

function generateMeasure(
  m: MeasureRow,
  profile: DemoProfile,
  areaCodes: string[],
  walesCode: string,
  batchId: number,
): NewObservation[] {
  const rows = generateSeries(m, profile, areaCodes, walesCode, batchId, "total", 1, 0);
  if (m.valueType !== "proportion" && m.valueType !== "crude_rate") return rows;
  for (const dimension of m.breakdowns) {
    for (const group of BREAKDOWN_GROUPS[dimension] ?? []) {
      const breakdown = `${dimension}=${group.code}`;
      rows.push(
        ...generateSeries(m, profile, areaCodes, walesCode, batchId, breakdown, group.share, group.disadvantage),
      );
    }
  }
  return rows;
}

/** One series (all areas × periods) for the total or for one breakdown group. */
function generateSeries(
  m: MeasureRow,
  profile: DemoProfile,
  areaCodes: string[],
  walesCode: string,
  batchId: number,
  breakdown: string,
  share: number,
  disadvantage: number,
): NewObservation[] {
  const rand = random(`${m.code}/${breakdown}`);
  const groupEffect = 1 + 1.5 * profile.spread * disadvantage * (m.polarity === "higher_is_better" ? -1 : 1);
  const periods = demoPeriods(m.periodType as PeriodType, PERIODS);
  const direction = m.polarity === "lower_is_better" ? 1 : m.polarity === "higher_is_better" ? -1 : 0.5;
  const rows: NewObservation[] = [];
  const areaRand = random(m.code); // the same area effects for the total and every breakdown group
  const areaEffect = new Map(
    areaCodes.map((code) => {
      const p = AREA_PROFILE[code] ?? { children: 20, deprivation: 0 };
      return [code, profile.spread * (0.8 * direction * p.deprivation + 0.6 * normal(areaRand))];
    }),
  );
  const isPercent = m.unit === "percentage";
  periods.forEach((period, t) => {
    let sumNum = 0;
    let sumDen = 0;
    let sumVal = 0;
    let sumWeight = 0;
    const base = profile.level + profile.trend * (t - (PERIODS - 1));
    for (const code of areaCodes) {
      const children = AREA_PROFILE[code]?.children ?? 20;
      const expected = Math.max(base * (1 + areaEffect.get(code)!) * groupEffect, 0);
      const row: NewObservation = {
        measureCode: m.code,
        areaCode: code,
        period: period.code,
        periodEnd: period.end,
        breakdown,
        value: null,
        batchId,
        illustrative: true,
      };
      if (m.valueType === "proportion") {
        const den = Math.max(
          20,
          Math.round(children * share * profile.denominatorPerThousand * (1 + 0.03 * normal(rand))),
        );
        const p = Math.min(Math.max(expected / (isPercent ? 100 : m.multiplier), 0.001), 0.999);
        const num = Math.min(den, Math.max(0, Math.round(den * p + Math.sqrt(den * p * (1 - p)) * normal(rand))));
        Object.assign(row, { numerator: num, denominator: den, value: (num / den) * m.multiplier });
        sumNum += num;
        sumDen += den;
      } else if (m.valueType === "count") {
        const num = Math.max(0, Math.round(expected * (children / 25) + Math.sqrt(expected) * normal(rand)));
        Object.assign(row, { numerator: num, value: num });
        sumNum += num;
      } else if (m.valueType === "mean" || m.valueType === "supplied_ci" || m.unit === "score" || m.unit === "mean") {
        const value = expected * (1 + 0.03 * normal(rand));
        const half = Math.abs(expected) * (0.04 + 0.2 / Math.sqrt(children));
        const ci = m.valueType === "supplied_ci";
        Object.assign(row, {
          value,
          lower95: ci ? value - half : null,
          upper95: ci ? value + half : null,
          ciSupplied: ci,
        });
        if (m.valueType === "mean") {
          // the number of people the mean is over: the count a mean's disclosure rule protects
          const den = Math.max(1, Math.round(children * share * profile.denominatorPerThousand));
          row.denominator = den;
          sumDen += den;
        }
        sumVal += value * children;
        sumWeight += children;
      } else {
        const den = Math.max(
          100,
          Math.round(children * share * profile.denominatorPerThousand * (1 + 0.02 * normal(rand))),
        );
        const mu = (expected * den) / m.multiplier;
        const num = Math.max(0, Math.round(mu + Math.sqrt(Math.max(mu, 1)) * normal(rand)));
        Object.assign(row, { numerator: num, denominator: den, value: (num / den) * m.multiplier });
        sumNum += num;
        sumDen += den;
      }
      rows.push(row);
    }
    const wales: NewObservation = {
      measureCode: m.code,
      areaCode: walesCode,
      period: period.code,
      periodEnd: period.end,
      breakdown,
      batchId,
      illustrative: true,
      value: null,
    };
    if (sumDen > 0 && m.valueType !== "mean")
      Object.assign(wales, { numerator: sumNum, denominator: sumDen, value: (sumNum / sumDen) * m.multiplier });
    else if (m.valueType === "count") Object.assign(wales, { numerator: sumNum, value: sumNum });
    else if (sumWeight > 0) {
      const value = sumVal / sumWeight;
      const ci = m.valueType === "supplied_ci";
      const half = Math.abs(value) * 0.02;
      Object.assign(wales, {
        value,
        denominator: m.valueType === "mean" ? sumDen : null,
        lower95: ci ? value - half : null,
        upper95: ci ? value + half : null,
        ciSupplied: ci,
      });
    }
    rows.push(wales);
  });
  return rows;
}

export async function seedDemoData(
  db: Db,
  options: { onlyIfEmpty: boolean },
): Promise<{ inserted: number; measures: number }> {
  if (options.onlyIfEmpty && (await countObservations(db)) > 0) return { inserted: 0, measures: 0 };
  if ((await findIllustrativeBatch(db)) !== null) return { inserted: 0, measures: 0 };
  const framework = await findCurrentFramework(db);
  if (!framework) throw new Error("Load the framework first (omf seed)");
  const measures = (await listMeasures(db, framework.id)).filter((m) => m.status === "live");
  const areas = await listAreas(db);
  const wales = areas.find((a) => a.type === "country");
  const las = areas.filter((a) => a.type === "local_authority").map((a) => a.code);
  if (!wales || las.length === 0) throw new Error("Load the areas first (omf seed)");
  const profiles = loadProfiles();
  return db.transaction(async (tx) => {
    const batchId = await createBatch(tx, {
      format: "demo",
      status: "published",
      illustrative: true,
      publishAt: new Date(),
      reason: "Illustrative demonstration data generated by `omf demo`",
    });
    let inserted = 0;
    for (const m of measures) {
      const profile = { ...defaultProfile(m), ...profiles[m.code] };
      const rows = generateMeasure(m, profile, las, wales.code, batchId);
      await insertObservations(tx, rows);
      inserted += rows.length;
    }
    return { inserted, measures: measures.length };
  });
}
