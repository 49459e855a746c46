/**
 * Every string a person reads comes from the locale files (`locales/{en,cy}.json` and `locales/{en,cy}/*.json`),
 * which have the same keys in both languages (a test checks). `t(key, params)` looks a key up by dotted path and fills `{name}` placeholders.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BilingualText, Language } from "../domain/enums.ts";
import type { Translate } from "../render/wording/translate.ts";

type Tree = { [key: string]: string | Tree };

const localesDir = fileURLToPath(new URL("./locales", import.meta.url));

/**
 * Loads `locales/{lang}.json` (shared strings) and every `locales/{lang}/{namespace}.json` under the key
 * `namespace`, so each feature keeps its strings in its own file: `t("import.title")` reads `locales/en/import.json`.
 */
function load(lang: Language): Tree {
  const tree = JSON.parse(readFileSync(join(localesDir, `${lang}.json`), "utf8")) as Tree;
  const dir = join(localesDir, lang);
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const namespace = file.replace(/\.json$/, "");
      if (namespace in tree)
        throw new Error(`locales/${lang}/${file} clashes with the key "${namespace}" in ${lang}.json`);
      tree[namespace] = JSON.parse(readFileSync(join(dir, file), "utf8")) as Tree;
    }
  }
  return tree;
}

const dictionaries: Record<Language, Tree> = { en: load("en"), cy: load("cy") };

/** Flattens a locale tree to dotted keys. */
export function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (k.startsWith("_")) continue;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const flat: Record<Language, Map<string, string>> = { en: flatten(dictionaries.en), cy: flatten(dictionaries.cy) };

export function localeStrings(lang: Language): ReadonlyMap<string, string> {
  return flat[lang];
}

export type { Translate };

export class MissingTranslationError extends Error {}

export function translator(lang: Language): Translate {
  const dict = flat[lang];
  return (key, params) => {
    const s = dict.get(key);
    if (s === undefined) throw new MissingTranslationError(`No "${lang}" string for key "${key}"`);
    return params ? s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : s;
  };
}

/** Picks the text in the page language; falls back to English and says so. */
export function pick(text: BilingualText | null | undefined, lang: Language): { text: string; fallback: boolean } {
  if (!text) return { text: "", fallback: false };
  if (lang === "cy") return text.cy ? { text: text.cy, fallback: false } : { text: text.en, fallback: true };
  return { text: text.en, fallback: false };
}

const numberFormats = new Map<string, Intl.NumberFormat>();
export function formatNumber(value: number | null | undefined, lang: Language, decimals = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  const key = `${lang}:${decimals}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB", {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    numberFormats.set(key, f);
  }
  return f.format(value);
}
