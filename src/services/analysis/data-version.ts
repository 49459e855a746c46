/**
 * The data version an analysis reflects: a stable hash of the visible observation revisions of a measure (their ids),
 * the parts of the measure's definition the analysis reads (value type, polarity, multiplier, target …), the areas
 * and groupings (names appear in summaries, memberships decide parents) and the analysis code version. When none of
 * these changed, the stored analysis is still right and is not recomputed.
 */
import { createHash } from "node:crypto";
import type { AreaContext, MeasureSpec } from "./types.ts";

/** Bump when the analysis itself changes, so every measure is recomputed once. */
export const ANALYSIS_CODE_VERSION = "2";

/** Digest of a set of observation ids (order does not matter). */
export function observationIdsDigest(ids: readonly number[]): string {
  const sorted = Float64Array.from(ids).sort();
  const h = createHash("sha256");
  const chunk = 4096;
  for (let i = 0; i < sorted.length; i += chunk) {
    h.update(Array.prototype.join.call(sorted.subarray(i, i + chunk), ","));
    h.update(";");
  }
  return h.digest("hex");
}

/** Digest of the measure fields the analysis depends on. */
export function measureSpecDigest(m: MeasureSpec): string {
  const fields = [
    m.code,
    m.valueType,
    m.polarity,
    m.unit,
    m.multiplier,
    m.decimals,
    m.periodType,
    [...m.geographies].join(","),
    [...m.breakdowns].join(","),
    m.targetValue,
    m.suppressBelow,
    m.roundTo,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

/** Digest of the areas, memberships and breakdown labels (shared by every measure of a run). */
export function contextDigest(ctx: AreaContext): string {
  const h = createHash("sha256");
  h.update(ctx.walesCode);
  for (const a of [...ctx.areas.values()].sort((x, y) => (x.code < y.code ? -1 : 1))) {
    h.update(JSON.stringify([a.code, a.type, a.name.en, a.name.cy ?? null]));
  }
  const ms = ctx.memberships.map((m) => JSON.stringify([m.groupingCode, m.areaCode, m.validFrom, m.validTo])).sort();
  for (const m of ms) h.update(m);
  for (const d of [...ctx.dimensions.values()].sort((x, y) => (x.code < y.code ? -1 : 1))) {
    h.update(JSON.stringify([d.code, d.values]));
  }
  return h.digest("hex");
}

/** The data version stored with a measure's analysis. */
export function dataVersionOf(idsDigest: string, specDigest: string, ctxDigest: string): string {
  return createHash("sha256")
    .update(`${ANALYSIS_CODE_VERSION}|${idsDigest}|${specDigest}|${ctxDigest}`)
    .digest("hex")
    .slice(0, 32);
}
