/**
 * How one area is drawn on a map (hexagon or boundary): its fill/marker style and the text that says the same
 * thing in words, by comparison with Wales or by quintile.
 */
import type { HexArea } from "./hex-map.ts";
import { type MarkStyle, quintileStyle, STATUS_STYLE, type Status } from "./status-style.ts";

export interface MapAreaLabels {
  mode: "significance" | "quintile";
  statusLabels: Record<Status, string>;
  /** Labels for quintiles 1..5 (index 0 = quintile 1). */
  quintileLabels: string[];
  /** Label for an area with no value. */
  missingLabel: string;
}

export function mapAreaStyle(area: HexArea | undefined, o: MapAreaLabels): { style: MarkStyle; note: string } {
  if (!area || area.value === null) return { style: STATUS_STYLE.not_compared, note: o.missingLabel };
  if (o.mode === "quintile") {
    return {
      style: quintileStyle(area.quintile),
      note: area.quintile ? (o.quintileLabels[area.quintile - 1] ?? "") : o.statusLabels.not_compared,
    };
  }
  const status = area.status ?? "not_compared";
  return { style: STATUS_STYLE[status], note: o.statusLabels[status] };
}
