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

/** The smallest text a chart may show, in CSS pixels at the size it is shown (issue 17). */
export const MIN_SHOWN_FONT_PX = 12;
/** The font size every chart text has unless it sets its own. */
const ROOT_FONT_SIZE = 14;

/**
 * The narrowest width, in CSS pixels, at which a chart of this width and content still shows every text at
 * MIN_SHOWN_FONT_PX or more: the width times the minimum over its smallest font size. The chart's width attribute
 * is this width, and the page's CSS lets the chart grow from it to fill its frame but never shrink below it (a wider
 * chart scrolls inside its own frame on a narrow screen).
 */
export function minShownWidth(width: number, body: string): number {
  let smallest = ROOT_FONT_SIZE;
  for (const m of body.matchAll(/font-size="([\d.]+)"/g)) smallest = Math.min(smallest, Number(m[1]));
  return Math.min(width, Math.ceil((width * MIN_SHOWN_FONT_PX) / smallest));
}

/** The accessible root element of a chart. */
export function svgRoot(o: SvgRootOptions): string {
  const id = idSafe(o.id);
  const cls = `omf-chart${o.className ? ` ${o.className}` : ""}`;
  const shownW = minShownWidth(o.width, o.body);
  const shownH = (o.height * shownW) / o.width;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="${esc(cls)}" viewBox="0 0 ${px(o.width)} ${px(o.height)}"` +
    ` width="${px(shownW)}" height="${px(shownH)}" role="img" aria-labelledby="${id}-title ${id}-desc"` +
    ` focusable="false" font-family="${FONT}" font-size="${ROOT_FONT_SIZE}" fill="${INK}">` +
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

/**
 * Which of n evenly spaced axis labels to show so that no two overlap: every step-th label counted back from the
 * last (the latest period is always labelled), where a step is wide enough for the widest label and a gap.
 * `spacing` is the distance between adjacent points.
 */
export function axisLabelIndices(labels: readonly string[], spacing: number, fontSize = 13, gap = 12): number[] {
  if (labels.length === 0) return [];
  const widest = Math.max(...labels.map((l) => textWidth(l, fontSize)));
  const step = spacing > 0 ? Math.max(1, Math.ceil((widest + gap) / spacing)) : 1;
  const out: number[] = [];
  for (let i = labels.length - 1; i >= 0; i -= step) out.unshift(i);
  return out;
}

/**
 * The right margin a point-scale axis (d3 scalePoint, padding 0.5) needs so that its last label, centred on the last
 * point, ends inside the chart: at least `base`. `left` is the left margin; labels are the axis labels in order.
 */
export function axisRightMargin(
  labels: readonly string[],
  width: number,
  left: number,
  base = 20,
  fontSize = 13,
): number {
  const last = labels.at(-1);
  if (last === undefined) return base;
  const half = textWidth(last, fontSize) / 2 + 2;
  let right = base;
  // the last point sits half a step inside the range, and the step depends on the margin: two rounds settle it
  for (let round = 0; round < 2; round++) {
    const step = (width - left - right) / labels.length;
    right = Math.max(base, Math.ceil(half - step / 2));
  }
  return right;
}
