/**
 * How each comparison status and quintile is drawn. Colour is never the only cue: every status also has its own
 * marker shape (and the charts print the status in words), and quintiles print their number.
 * Colours are GOV.UK palette colours; light fills get a dark outline so the mark keeps 3:1 contrast on white.
 */
import { px } from "./svg.ts";

/** Outcome of comparing a value with a benchmark (same codes as `src/stats` `Significance`). */
export const STATUSES = ["better", "similar", "worse", "higher", "lower", "not_compared"] as const;
export type Status = (typeof STATUSES)[number];

export type MarkerShape = "circle" | "square" | "diamond" | "triangle-up" | "triangle-down" | "ring";

export interface MarkStyle {
  fill: string;
  stroke: string;
  /** Colour of text drawn on top of the fill. */
  ink: string;
  shape: MarkerShape;
}

export const STATUS_STYLE: Readonly<Record<Status, MarkStyle>> = {
  better: { fill: "#00703c", stroke: "#00703c", ink: "#ffffff", shape: "circle" },
  similar: { fill: "#ffdd00", stroke: "#0b0c0c", ink: "#0b0c0c", shape: "square" },
  worse: { fill: "#d4351c", stroke: "#d4351c", ink: "#ffffff", shape: "diamond" },
  higher: { fill: "#003078", stroke: "#003078", ink: "#ffffff", shape: "triangle-up" },
  lower: { fill: "#5694ca", stroke: "#0b0c0c", ink: "#0b0c0c", shape: "triangle-down" },
  not_compared: { fill: "#ffffff", stroke: "#505a5f", ink: "#0b0c0c", shape: "ring" },
};

/** Quintile 1 (lowest values) … 5 (highest values). */
export const QUINTILE_STYLE: readonly MarkStyle[] = [
  { fill: "#f3e7fb", stroke: "#4c2c92", ink: "#0b0c0c", shape: "square" },
  { fill: "#d3b5e8", stroke: "#4c2c92", ink: "#0b0c0c", shape: "square" },
  { fill: "#a97fd0", stroke: "#4c2c92", ink: "#0b0c0c", shape: "square" },
  { fill: "#7c4bb0", stroke: "#4c2c92", ink: "#ffffff", shape: "square" },
  { fill: "#4c2c92", stroke: "#4c2c92", ink: "#ffffff", shape: "square" },
];

/** Style for quintile q (1–5); missing quintiles look like "not compared". */
export function quintileStyle(q: number | null | undefined): MarkStyle {
  return q && q >= 1 && q <= 5 ? QUINTILE_STYLE[q - 1]! : STATUS_STYLE.not_compared;
}

/** True when a string is a known status code. */
export function isStatus(value: unknown): value is Status {
  return typeof value === "string" && (STATUSES as readonly string[]).includes(value);
}

/** SVG element for a marker of the given shape centred on (cx, cy) with radius r. */
export function marker(style: MarkStyle, cx: number, cy: number, r: number): string {
  const fill = `fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.5"`;
  switch (style.shape) {
    case "circle":
      return `<circle cx="${px(cx)}" cy="${px(cy)}" r="${px(r)}" ${fill}/>`;
    case "square":
      return `<rect x="${px(cx - r * 0.85)}" y="${px(cy - r * 0.85)}" width="${px(r * 1.7)}" height="${px(r * 1.7)}" ${fill}/>`;
    case "diamond":
      return `<path d="M${px(cx)} ${px(cy - r * 1.15)}L${px(cx + r * 1.15)} ${px(cy)}L${px(cx)} ${px(cy + r * 1.15)}L${px(cx - r * 1.15)} ${px(cy)}Z" ${fill}/>`;
    case "triangle-up":
      return `<path d="M${px(cx)} ${px(cy - r * 1.15)}L${px(cx + r * 1.1)} ${px(cy + r * 0.85)}L${px(cx - r * 1.1)} ${px(cy + r * 0.85)}Z" ${fill}/>`;
    case "triangle-down":
      return `<path d="M${px(cx)} ${px(cy + r * 1.15)}L${px(cx + r * 1.1)} ${px(cy - r * 0.85)}L${px(cx - r * 1.1)} ${px(cy - r * 0.85)}Z" ${fill}/>`;
    case "ring":
      return `<circle cx="${px(cx)}" cy="${px(cy)}" r="${px(r * 0.8)}" fill="#ffffff" stroke="${style.stroke}" stroke-width="2"/>`;
  }
}
