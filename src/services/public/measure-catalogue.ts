/**
 * Finding measures in the framework: filter by core aim, group, tier, UNCRC article and status, search by name in
 * either language (accents and case ignored), and sort in framework order or alphabetically in the page language
 * (Welsh alphabetical order on Welsh pages). Pure: works on the framework view.
 */
import type { Language, MeasureStatus, Tier } from "../../domain/enums.ts";
import { crossReferenceKey } from "../../domain/measure.ts";
import { compareByLang } from "../../domain/welsh-collation.ts";
import type { FrameworkView, MeasureView } from "../framework-service.ts";

export interface MeasureFilter {
  coreAim?: string | undefined;
  group?: string | undefined;
  tier?: Tier | undefined;
  article?: number | undefined;
  /** Statuses to include; all when absent. */
  statuses?: readonly MeasureStatus[] | undefined;
  /** Words to find in the code, title or short title (English or Welsh), or its codes in other frameworks. */
  q?: string | undefined;
  /**
   * A code in another national framework, exactly (case and spaces ignored): "EDU/002i", or with its framework,
   * "nsi:EDU/002i".
   */
  reference?: string | undefined;
}

/** Whether a measure carries the other framework's code `reference` ("EDU/002i" or "nsi:EDU/002i"). */
export function hasCrossReference(m: Pick<MeasureView, "crossReferences">, reference: string): boolean {
  const [framework, code] = reference.includes(":") ? reference.split(":", 2) : [null, reference];
  const key = crossReferenceKey(code ?? "");
  return (m.crossReferences ?? []).some(
    (r) => crossReferenceKey(r.code) === key && (framework === null || r.framework === framework.trim().toLowerCase()),
  );
}

/** Lower-case, accents removed, apostrophes and dashes as spaces: "Pwysau’r geni" matches "pwysaur geni". */
export function searchKey(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’'`]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function haystack(m: MeasureView): string {
  return searchKey(
    [
      m.code,
      m.title.en,
      m.title.cy ?? "",
      m.shortTitle?.en ?? "",
      m.shortTitle?.cy ?? "",
      m.group?.title.en ?? "",
      m.group?.title.cy ?? "",
      ...(m.crossReferences ?? []).map((r) => r.code), // a view built without them (tests, old rows) has none
    ].join(" "),
  );
}

/** The measures matching every part of the filter, in framework order. */
export function filterMeasures(view: FrameworkView, filter: MeasureFilter): MeasureView[] {
  const words = filter.q ? searchKey(filter.q).split(" ").filter(Boolean) : [];
  return view.measures.filter((m) => {
    if (filter.coreAim && !m.coreAims.includes(filter.coreAim)) return false;
    if (filter.group && m.group?.code !== filter.group) return false;
    if (filter.tier && m.tier !== filter.tier) return false;
    if (filter.article !== undefined && !m.articles.includes(filter.article)) return false;
    if (filter.statuses && !filter.statuses.includes(m.status as MeasureStatus)) return false;
    if (filter.reference !== undefined && !hasCrossReference(m, filter.reference)) return false;
    if (words.length > 0) {
      const h = ` ${haystack(m)} `;
      if (!words.every((w) => h.includes(` ${w}`))) return false;
    }
    return true;
  });
}

/** Measure title in a language (Welsh falls back to English). */
export function measureTitle(m: Pick<MeasureView, "title">, lang: Language): string {
  return lang === "cy" ? (m.title.cy ?? m.title.en) : m.title.en;
}

/** Measures sorted alphabetically by title in the page language. */
export function sortMeasuresByTitle<M extends Pick<MeasureView, "title">>(measures: readonly M[], lang: Language): M[] {
  const cmp = compareByLang(lang);
  return [...measures].sort((a, b) => cmp(measureTitle(a, lang), measureTitle(b, lang)));
}
