/**
 * Matching area names and codes as they appear in imported files (StatsWales, DWP, ONS, PHW
 * extracts) to canonical GSS codes. Pure: the caller supplies the list of areas.
 */

/** One area the matcher can return, with every spelling it should accept. */
export interface MatchableArea {
  /** Current GSS code, e.g. `W06000023`. Matched case-insensitively. */
  readonly code: string;
  readonly nameEn: string;
  readonly nameCy: string;
  /**
   * Other spellings and other codes. An entry shaped like a GSS code (a letter and eight digits,
   * e.g. a retired code) is treated as an alias *code*; anything else as an alias *name*.
   */
  readonly aliases: readonly string[];
  /** Extra alias codes of any shape (e.g. StatsWales numeric area IDs). */
  readonly aliasCodes?: readonly string[];
}

/** How an input matched: the kinds, in the priority order the matcher tries them. */
export type AreaMatchVia = "code" | "alias_code" | "name_en" | "name_cy" | "alias";

/** A successful match. */
export interface AreaMatch {
  readonly code: string;
  readonly via: AreaMatchVia;
}

/** Matcher returned by {@link createAreaMatcher}. */
export interface AreaMatcher {
  /**
   * The area `input` names, or `null` when nothing matches or the input is ambiguous (two areas
   * share the same key at the same priority level).
   */
  match(input: string | null | undefined): AreaMatch | null;
}

/** Known spellings and codes for one area, keyed by current GSS code in {@link WALES_AREA_ALIASES}. */
export interface AreaAliases {
  readonly names: readonly string[];
  readonly codes: readonly string[];
}

/**
 * Known variant spellings and retired codes for Welsh areas, keyed by current GSS code.
 * Only variants with a source are listed (DOMAIN.md §2.2, WELSH.md §8, sample-data README):
 *
 * - W06000007 / W06000017: codes for Powys / Merthyr Tydfil retired after boundary changes
 *   (DOMAIN.md §2.2 "Code gaps are deliberate").
 * - "Ynys Mon", "Sir Gaerfryddin" (typo), "Sir Y Fflint", "Sir y Flint" (typo), "Tor-faen":
 *   StatsWales reference data (OWAINJONES-REF, WELSH.md §8, DOMAIN.md §2.2).
 * - "Torfaen / Tor-faen": DWP Stat-Xplore label (DOMAIN.md §2.2).
 * - "Anglesey": short form used in press figures (sample-data README, MMR gaps).
 * - "Rhondda Cynon Taff": the English spelling in the Local Government (Wales) Act 1994,
 *   still found in older datasets; the council now uses "Taf" in both languages.
 * - "Sir Gâr": the Carmarthenshire council's own Welsh name (Cyngor Sir Gâr).
 * - "Merthyr": common short form of Merthyr Tydfil.
 * - "The Vale of Glamorgan": common longer form.
 *
 * Several of these already match through {@link normaliseAreaName} (accents, case, hyphens, a
 * leading "the"); they are listed so the import report can cite them and the tests pin them.
 */
export const WALES_AREA_ALIASES: Readonly<Record<string, AreaAliases>> = {
  W06000001: { names: ["Ynys Mon", "Anglesey"], codes: [] },
  W06000005: { names: ["Sir Y Fflint", "Sir y Flint"], codes: [] },
  W06000010: { names: ["Sir Gaerfryddin", "Sir Gâr"], codes: [] },
  W06000014: { names: ["The Vale of Glamorgan"], codes: [] },
  W06000016: { names: ["Rhondda Cynon Taff"], codes: [] },
  W06000020: { names: ["Tor-faen", "Torfaen / Tor-faen"], codes: [] },
  W06000023: { names: [], codes: ["W06000007"] },
  W06000024: { names: ["Merthyr"], codes: ["W06000017"] },
};

/**
 * Return `areas` with the entries of an alias table (default {@link WALES_AREA_ALIASES}) added:
 * names to each area's `aliases`, codes to its `aliasCodes`. Areas not in the table are returned unchanged; input is not mutated.
 */
export function withAreaAliases<A extends MatchableArea>(
  areas: readonly A[],
  table: Readonly<Record<string, AreaAliases>> = WALES_AREA_ALIASES,
): A[] {
  return areas.map((area) => {
    const extra = table[area.code.trim().toUpperCase()];
    if (!extra) return area;
    return {
      ...area,
      aliases: [...area.aliases, ...extra.names],
      aliasCodes: [...(area.aliasCodes ?? []), ...extra.codes],
    };
  });
}

const PREFIXES = [
  "the ",
  "city and county of ",
  "city of ",
  "county borough of ",
  "county of ",
  "cyngor bwrdeistref sirol ",
  "cyngor dinas a sir ",
  "cyngor dinas ",
  "cyngor ",
  "bwrdeistref sirol ",
  "dinas a sir ",
] as const;

const SUFFIXES = [
  " county borough council",
  " county council",
  " city council",
  " borough council",
  " council",
  " county borough",
  " cbc",
  " county",
  " city",
] as const;

/**
 * A comparison key for an area name. Two spellings of the same name give the same key:
 *
 * - Unicode-normalised, accents and diacritics removed (`Môn` → `mon`, `ŵ` → `w`), lower-cased;
 * - `&` read as `and`;
 * - council styles removed: prefixes `the`, `city and county of`, `city of`, `county borough of`,
 *   Welsh `cyngor (bwrdeistref sirol | dinas a sir | dinas)`, `dinas a sir`; suffixes
 *   `county borough council`, `county council`, `city council`, `borough council`, `council`,
 *   `county borough`, `CBC`, `county`, `city`;
 * - then every character that is not a letter or digit is dropped, so spaces, hyphens,
 *   apostrophes (’ or ') and full stops do not matter: `Tor-faen` ≡ `Torfaen`,
 *   `Pen-y-bont ar Ogwr` ≡ `Penybont ar Ogwr`.
 *
 * Welsh council styles that mutate the name ("Cyngor Sir Penfro" for Sir Benfro) are not undone.
 */
export function normaliseAreaName(name: string): string {
  let s = name
    .normalize("NFKD")
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4\u2032]/g, "'")
    .replace(/&/g, " and ")
    .replace(/[\s\u2010-\u2015-]+/gu, " ")
    .trim();
  let changed = true;
  while (changed) {
    changed = false;
    for (const prefix of PREFIXES) {
      if (s.startsWith(prefix) && s.length > prefix.length) {
        s = s.slice(prefix.length).trim();
        changed = true;
      }
    }
    for (const suffix of SUFFIXES) {
      if (s.endsWith(suffix) && s.length > suffix.length) {
        s = s.slice(0, -suffix.length).trim();
        changed = true;
      }
    }
  }
  return s.replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Key for codes: trimmed, inner whitespace removed, upper-case. */
function codeKey(code: string): string {
  return code.replace(/\s+/g, "").toUpperCase();
}

const GSS_CODE = /^[A-Z]\d{8}$/;

/** A lookup table that remembers keys claimed by two different areas. */
class KeyIndex {
  private readonly codes = new Map<string, string>();
  private readonly clashes = new Set<string>();

  add(key: string, code: string): void {
    if (key === "") return;
    const existing = this.codes.get(key);
    if (existing === undefined) this.codes.set(key, code);
    else if (existing !== code) this.clashes.add(key);
  }

  /** The code for `key`; `null` if ambiguous; `undefined` if unknown. */
  get(key: string): string | null | undefined {
    if (this.clashes.has(key)) return null;
    return this.codes.get(key);
  }
}

/** Splits bilingual or annotated labels: "Newport (Casnewydd)", "Torfaen / Tor-faen", "Cardiff | Caerdydd". */
const PART_SEPARATORS = /\s*[/|()[\]]\s*|\s+[-\u2013\u2014]\s+/;

/**
 * Build a matcher over `areas`. Matching tries, in order, the GSS code, alias codes, the English
 * name, the Welsh name and alias names; the first level with a hit wins, so an area's own name
 * beats another area's alias. Codes are compared case-insensitively; names via
 * {@link normaliseAreaName}. If the whole input matches nothing, a label made of parts
 * ("Newport (Casnewydd)", "Torfaen / Tor-faen", "Cardiff (W06000015)") matches when every part
 * matches the same area; `via` is then that of the first part.
 *
 * Combine with {@link withAreaAliases} to include {@link WALES_AREA_ALIASES}.
 */
export function createAreaMatcher(areas: readonly MatchableArea[]): AreaMatcher {
  const byCode = new KeyIndex();
  const byAliasCode = new KeyIndex();
  const byNameEn = new KeyIndex();
  const byNameCy = new KeyIndex();
  const byAlias = new KeyIndex();

  for (const area of areas) {
    const code = codeKey(area.code);
    byCode.add(code, code);
    byNameEn.add(normaliseAreaName(area.nameEn), code);
    byNameCy.add(normaliseAreaName(area.nameCy), code);
    for (const alias of area.aliases) {
      if (GSS_CODE.test(codeKey(alias))) byAliasCode.add(codeKey(alias), code);
      else byAlias.add(normaliseAreaName(alias), code);
    }
    for (const aliasCode of area.aliasCodes ?? []) byAliasCode.add(codeKey(aliasCode), code);
  }

  const whole = (input: string): AreaMatch | null | undefined => {
    const ck = codeKey(input);
    const nk = normaliseAreaName(input);
    const levels: readonly [KeyIndex, string, AreaMatchVia][] = [
      [byCode, ck, "code"],
      [byAliasCode, ck, "alias_code"],
      [byNameEn, nk, "name_en"],
      [byNameCy, nk, "name_cy"],
      [byAlias, nk, "alias"],
    ];
    for (const [index, key, via] of levels) {
      const code = index.get(key);
      if (code === null) return null;
      if (code !== undefined) return { code, via };
    }
    return undefined;
  };

  return {
    match(input) {
      if (typeof input !== "string" || input.trim() === "") return null;
      const direct = whole(input);
      if (direct !== undefined) return direct;
      const parts = input.split(PART_SEPARATORS).filter((p) => p.trim() !== "");
      if (parts.length < 2) return null;
      let first: AreaMatch | undefined;
      for (const part of parts) {
        const m = whole(part);
        if (!m || (first && m.code !== first.code)) return null;
        first ??= m;
      }
      return first ?? null;
    },
  };
}
