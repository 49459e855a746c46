/** A wrapping legend of marker + label items, drawn inside a chart. */
import { type MarkStyle, marker } from "./status-style.ts";
import { esc, px, text, textWidth } from "./svg.ts";

export interface LegendItem {
  label: string;
  /** A marker shape; or a line sample when `line` is set. */
  style?: MarkStyle;
  line?: { stroke: string; dash?: string; width?: number };
  /** A filled band sample (e.g. the confidence interval). */
  band?: { fill: string; opacity: number };
}

/** Lays legend items out in rows from (x, y) within maxWidth; returns the SVG and the height used. */
export function legend(
  items: LegendItem[],
  x: number,
  y: number,
  maxWidth: number,
  fontSize = 13,
): { svg: string; height: number } {
  const rowHeight = Math.max(22, Math.round(fontSize * 1.7));
  let cx = x;
  let cy = y;
  const parts: string[] = [];
  for (const item of items) {
    const w = 24 + textWidth(item.label, fontSize) + 18;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      cy += rowHeight;
    }
    const mid = cy + rowHeight / 2;
    if (item.line) {
      parts.push(
        `<line x1="${px(cx)}" y1="${px(mid)}" x2="${px(cx + 18)}" y2="${px(mid)}" stroke="${item.line.stroke}" stroke-width="${item.line.width ?? 2}"${item.line.dash ? ` stroke-dasharray="${item.line.dash}"` : ""}/>`,
      );
    } else if (item.band) {
      parts.push(
        `<rect x="${px(cx)}" y="${px(mid - 6)}" width="18" height="12" fill="${item.band.fill}" fill-opacity="${item.band.opacity}"/>`,
      );
    } else if (item.style) {
      parts.push(marker(item.style, cx + 9, mid, 6));
    }
    parts.push(text(cx + 24, mid + fontSize * 0.35, item.label, { "font-size": fontSize }));
    cx += w;
  }
  return { svg: `<g class="omf-chart__legend">${parts.join("")}</g>`, height: cy - y + rowHeight };
}

/** Escaped `<title>` child element (tooltip for a mark). */
export function tooltip(content: string): string {
  return `<title>${esc(content)}</title>`;
}
