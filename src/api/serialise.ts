/**
 * The JSON shapes of the API. Codes are the human-readable ones used everywhere (measure codes, GSS area codes,
 * CA1…CA7, period codes); text is bilingual `{ en, cy }` with `cy: null` where no Welsh exists yet.
 */

import type { BilingualText } from "../domain/enums.ts";
import { webUrlOrNull } from "../domain/web-url.ts";
import type { CoreAimView, FrameworkView, MeasureView } from "../services/framework-service.ts";
import type { AreaRow } from "../services/public/area-directory.ts";
import type { PeriodInfo, VisibleObservation } from "../services/public/published-data.ts";

export const API_BASE = "/api/v1";

export interface ApiText {
  en: string;
  cy: string | null;
}

export function text(t: BilingualText | null | undefined): ApiText | null {
  return t ? { en: t.en, cy: t.cy ?? null } : null;
}

export function measureLinks(code: string) {
  const c = encodeURIComponent(code);
  return {
    self: `${API_BASE}/measures/${c}`,
    data: `${API_BASE}/data?measure=${c}`,
    dataCsv: `${API_BASE}/data.csv?measure=${c}`,
    periods: `${API_BASE}/periods?measure=${c}`,
    analysis: `${API_BASE}/analysis?measure=${c}`,
    analysisCsv: `${API_BASE}/analysis.csv?measure=${c}`,
    page: { en: `/en/measures/${c}`, cy: `/cy/measures/${c}` },
  };
}

/** A measure in a list. */
export function measureSummary(m: MeasureView) {
  return {
    code: m.code,
    title: text(m.title),
    shortTitle: text(m.shortTitle),
    tier: m.tier,
    status: m.status,
    accountability: m.accountability,
    coreAims: m.coreAims,
    group: m.group?.code ?? null,
    uncrcArticles: m.articles,
    unit: m.unit,
    multiplier: m.multiplier,
    polarity: m.polarity,
    periodType: m.periodType,
    localArea: m.localAreaCode ?? null,
    crossReferences: m.crossReferences.map((r) => ({ framework: r.framework, code: r.code })),
    links: measureLinks(m.code),
  };
}

/** A measure with all its metadata. */
export function measureDetail(m: MeasureView) {
  return {
    ...measureSummary(m),
    layDefinition: text(m.layDefinition),
    technicalDefinition: text(m.technicalDefinition),
    rationale: text(m.rationale),
    numeratorDefinition: text(m.numeratorDefinition),
    denominatorDefinition: text(m.denominatorDefinition),
    caveats: text(m.caveats),
    decimals: m.decimals,
    valueType: m.valueType,
    frequency: m.frequency,
    geographies: m.geographies,
    breakdowns: m.breakdowns,
    group: m.group ? { code: m.group.code, coreAim: m.group.coreAimCode, title: text(m.group.title) } : null,
    source: m.source
      ? {
          code: m.source.code,
          name: text(m.source.name),
          publisher: m.source.publisher,
          url: webUrlOrNull(m.source.url),
          licence: m.source.licence,
          kind: m.source.kind,
        }
      : null,
    disclosure: { suppressBelow: m.suppressBelow, roundTo: m.roundTo },
    target: m.targetValue !== null ? { value: m.targetValue, note: text(m.targetNote) } : null,
    replaces: m.replacesCode,
    breakInSeries: m.breakInSeries,
    nextReview: m.nextReview,
  };
}

export function coreAimSummary(aim: CoreAimView) {
  return {
    code: aim.code,
    number: aim.number,
    title: text(aim.title),
    description: text(aim.description),
    uncrcArticles: aim.articles.map((a) => ({
      number: a.article.number,
      title: text(a.article.title),
      confidence: a.confidence,
    })),
    links: {
      self: `${API_BASE}/core-aims/${aim.code}`,
      measures: `${API_BASE}/measures?coreAim=${aim.code}`,
      page: { en: `/en/aims/${aim.code}`, cy: `/cy/aims/${aim.code}` },
    },
  };
}

export function coreAimDetail(aim: CoreAimView) {
  return {
    ...coreAimSummary(aim),
    highLevelMeasures: aim.highLevel.map((m) => m.code),
    groups: aim.groups.map((g) => ({
      code: g.group.code,
      title: text(g.group.title),
      description: text(g.group.description),
      measures: g.measures.map((m) => m.code),
    })),
    dataDevelopmentAgenda: aim.inDevelopment.map((m) => m.code),
  };
}

export function frameworkSummary(f: FrameworkView["framework"]) {
  return {
    code: f.code,
    version: f.version,
    title: text(f.title),
    description: text(f.description),
    status: f.status,
    publishedDate: f.publishedDate,
  };
}

export function areaSummary(a: AreaRow) {
  return {
    code: a.code,
    name: text(a.name),
    type: a.type,
    parent: a.parentCode,
    validFrom: a.validFrom,
    validTo: a.validTo,
    links: {
      self: `${API_BASE}/areas/${a.code}`,
      data: `${API_BASE}/data?area=${a.code}`,
      ...(a.type === "local_authority" || a.type === "country"
        ? { page: { en: `/en/areas/${a.code}`, cy: `/cy/areas/${a.code}` } }
        : {}),
    },
  };
}

export function periodJson(p: PeriodInfo) {
  return { code: p.code, type: p.type, start: p.start, end: p.end, label: p.label, longLabel: p.longLabel };
}

/** One published observation (disclosure control already applied). */
export function observationJson(o: VisibleObservation, periodType: string) {
  return {
    measure: o.measureCode,
    area: o.areaCode,
    period: o.period,
    periodType,
    periodEnd: o.periodEnd,
    breakdown: o.breakdown,
    value: o.value,
    numerator: o.numerator,
    denominator: o.denominator,
    lower95: o.lower95,
    upper95: o.upper95,
    lower998: o.lower998,
    upper998: o.upper998,
    notes: o.noteCodes,
    suppressed: o.noteCodes.includes("suppressed"),
    illustrative: o.illustrative,
    revision: o.revision,
  };
}
