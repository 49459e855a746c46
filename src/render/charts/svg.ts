/**
 * Shared pieces of every chart: XML escaping, number rounding for coordinates, and the accessible `<svg>` root
 * (role="img", `<title>` + `<desc>` referenced by aria-labelledby, xmlns so it also works as a standalone download).
 * Charts use presentation attributes only: no `<style>` element and no `style=""` attribute, which the page's
 * content security policy would block.
 */

/** Escapes text for use in XML text content and attribute values. */
export function esc(text: string | number): string {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Rounds a coordinate to 0.1 px so the SVG text stays short and stable in tests. */
export function px(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
}

/** Makes a string safe to use inside an XML id (letters, digits, - and _ only). */
export function idSafe(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_-]/g, "-");
  return /^[A-Za-z]/.test(s) ? s : `c-${s}`;
}

/** The font every chart uses (the page's own font where the browser has it). */
export const FONT = "Helvetica, Arial, sans-serif";
/** GOV.UK text colour and secondary text colour. */
export const INK = "#0b0c0c";
export const MUTED = "#484949";
export const GRID = "#b1b4b6";

export interface SvgRootOptions {
  /** Unique id on the page; `${id}-title` and `${id}-desc` are derived from it. */
  id: string;
  width: number;
  height: number;
  title: string;
  desc: string;
  body: string;
  /** Extra class names for the root element (styled from app.css). */
  className?: string;
}

/** The accessible root element of a chart. */
export function svgRoot(o: SvgRootOptions): string {
  const id = idSafe(o.id);
  const cls = `omf-chart${o.className ? ` ${o.className}` : ""}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="${esc(cls)}" viewBox="0 0 ${px(o.width)} ${px(o.height)}"` +
    ` width="${px(o.width)}" height="${px(o.height)}" role="img" aria-labelledby="${id}-title ${id}-desc"` +
    ` focusable="false" font-family="${FONT}" font-size="14" fill="${INK}">` +
    `<title id="${id}-title">${esc(o.title)}</title><desc id="${id}-desc">${esc(o.desc)}</desc>${o.body}</svg>`
  );
}

/** A `<text>` element. */
export function text(
  x: number,
  y: number,
  content: string,
  attrs: Record<string, string | number | undefined> = {},
): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v as string | number)}"`)
    .join("");
  return `<text x="${px(x)}" y="${px(y)}"${a}>${esc(content)}</text>`;
}

/** Approximate rendered width of a string at a font size (for layout only; no DOM). */
export function textWidth(content: string, fontSize = 14): number {
  let units = 0;
  for (const ch of content) {
    if ("il.,:;'|!ŀ".includes(ch)) units += 0.28;
    else if ("fjrt()[]-".includes(ch)) units += 0.36;
    else if (ch === " ") units += 0.28;
    else if ("mwMW".includes(ch)) units += 0.85;
    else if (ch >= "A" && ch <= "Z") units += 0.67;
    else if (ch >= "0" && ch <= "9") units += 0.56;
    else units += 0.53;
  }
  return units * fontSize;
}

/** Shortens a label to fit a width, adding an ellipsis (the full text stays in the table and the description). */
export function fitText(content: string, maxWidth: number, fontSize = 14): string {
  if (textWidth(content, fontSize) <= maxWidth) return content;
  let s = content;
  while (s.length > 1 && textWidth(`${s}…`, fontSize) > maxWidth) s = s.slice(0, -1);
  return `${s.trimEnd()}…`;
}
