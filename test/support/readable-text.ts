/** The text a reader meets on a rendered page, for checks such as "no English on Welsh pages". */

const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

function decode(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&nbsp;", " ")
    .replaceAll("&amp;", "&");
}

/** The text a reader meets on the page, without parts marked lang="en", scripts and styles. */
export function readableText(html: string): string {
  const out: string[] = [];
  const stack: { name: string; english: boolean }[] = [];
  const english = () => stack.some((s) => s.english);
  const re = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>|([^<]+)/g;
  let skipUntil: string | null = null;
  for (const m of html.matchAll(re)) {
    const [, close, rawName, attrs = "", selfClose, textPart] = m;
    if (textPart !== undefined) {
      if (!skipUntil && !english()) out.push(decode(textPart));
      continue;
    }
    if (!rawName) continue;
    const name = rawName.toLowerCase();
    if (skipUntil) {
      if (close && name === skipUntil) skipUntil = null;
      continue;
    }
    if (close) {
      const i = stack.map((s) => s.name).lastIndexOf(name);
      if (i >= 0) stack.length = i;
      continue;
    }
    if (name === "script" || name === "style" || name === "code") {
      skipUntil = name;
      continue;
    }
    const isEnglish = /\slang="en"/.test(attrs);
    if (!english() && !isEnglish) {
      for (const a of attrs.matchAll(/\s(aria-label|title|alt|placeholder)="([^"]*)"/g)) out.push(decode(a[2]!));
    }
    if (!selfClose && !VOID.has(name)) stack.push({ name, english: isEnglish });
  }
  // web addresses (citations, CSV links) are not prose
  return out
    .join(" ")
    .replace(/https?:\/\/\S+|\/(?:en|cy|api)\/\S*/g, " ")
    .replace(/\s+/g, " ");
}
