/**
 * A boundary map of the local authorities drawn from GeoJSON that a user supplies (Polygon and MultiPolygon features
 * with a GSS code property), coloured like the hexagon map, with the status shape (or quintile number) at each area's
 * centre so colour is never the only cue. Longitude/latitude is projected equirectangularly with the cosine of the
 * mean latitude; planar coordinates (e.g. British National Grid) are drawn as they are.
 */

import { type HexArea, MAP_FONT_SIZE } from "./hex-map.ts";
import { type LegendItem, legend, tooltip } from "./legend.ts";
import { mapAreaStyle } from "./map-area-style.ts";
import { marker, QUINTILE_STYLE, STATUS_STYLE, STATUSES, type Status } from "./status-style.ts";
import { px, svgRoot, text } from "./svg.ts";

type Ring = [number, number][];
export interface BoundaryFeature {
  properties: Record<string, unknown> | null;
  geometry: { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] } | null;
}
export interface BoundaryCollection {
  type: "FeatureCollection";
  features: BoundaryFeature[];
}

/** The GSS code of a feature: `code`, or an ONS-style `LADyyCD` / `lad19cd` / `areacode` property. */
export function featureCode(properties: Record<string, unknown> | null): string | null {
  if (!properties) return null;
  for (const [k, v] of Object.entries(properties)) {
    if (typeof v === "string" && /^(code|gss_?code|areacode|area_code|lad\d{2}cd|ctyua\d{2}cd|lau\d_?\d*cd)$/i.test(k))
      return v;
  }
  return null;
}

function polygons(f: BoundaryFeature): Ring[][] {
  if (!f.geometry) return [];
  return f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
}

export interface BoundaryMapOptions {
  id: string;
  title: string;
  desc: string;
  mode: "significance" | "quintile";
  boundaries: BoundaryCollection;
  areas: HexArea[];
  statusLabels: Record<Status, string>;
  quintileLabels: string[];
  missingLabel: string;
  format: (n: number) => string;
  width?: number;
}

export function boundaryMap(o: BoundaryMapOptions): string {
  const W = o.width ?? 520;
  const features = o.boundaries.features.filter((f) => featureCode(f.properties) && f.geometry);
  const all = features.flatMap((f) => polygons(f).flat(2));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const geographic = maxX <= 180 && minX >= -180 && maxY <= 90 && minY >= -90;
  const kx = geographic ? Math.cos((((minY + maxY) / 2) * Math.PI) / 180) : 1;
  const spanX = (maxX - minX) * kx || 1;
  const spanY = maxY - minY || 1;
  const scale = (W - 20) / spanX;
  const mapH = spanY * scale;
  const P = ([x, y]: [number, number]): [number, number] => [10 + (x - minX) * kx * scale, 10 + (maxY - y) * scale];
  const byCode = new Map(o.areas.map((a) => [a.code, a]));
  const parts: string[] = [];
  for (const f of features) {
    const code = featureCode(f.properties)!;
    const a = byCode.get(code);
    const { style, note } = mapAreaStyle(a, o);
    const d = polygons(f)
      .map((poly) => poly.map((ring) => `M${ring.map((pt) => P(pt).map(px).join(" ")).join("L")}Z`).join(""))
      .join("");
    // marker at the centre of the largest ring's bounding box
    const largest = polygons(f)
      .map((poly) => poly[0] ?? [])
      .sort((r1, r2) => r2.length - r1.length)[0]!;
    const pts = largest.map(P);
    const cx = (Math.min(...pts.map((p) => p[0])) + Math.max(...pts.map((p) => p[0]))) / 2;
    const cy = (Math.min(...pts.map((p) => p[1])) + Math.max(...pts.map((p) => p[1]))) / 2;
    const g = [
      tooltip(`${a?.name ?? code}: ${a && a.value !== null ? `${o.format(a.value)}, ` : ""}${note}`),
      `<path d="${d}" fill="${style.fill}" stroke="#0b0c0c" stroke-width="1" fill-rule="evenodd"/>`,
    ];
    if (o.mode === "quintile" && a?.quintile) {
      g.push(`<circle cx="${px(cx)}" cy="${px(cy)}" r="10" fill="#ffffff" stroke="none"/>`);
      g.push(text(cx, cy + 5, String(a.quintile), { "text-anchor": "middle", "font-size": MAP_FONT_SIZE }));
    } else {
      g.push(`<circle cx="${px(cx)}" cy="${px(cy)}" r="8" fill="#ffffff" stroke="none"/>`);
      g.push(marker(a && a.value !== null ? style : STATUS_STYLE.not_compared, cx, cy, 5));
    }
    parts.push(`<g>${g.join("")}</g>`);
  }
  const items: LegendItem[] =
    o.mode === "quintile"
      ? QUINTILE_STYLE.map((s, i) => ({ label: `${i + 1}: ${o.quintileLabels[i] ?? ""}`, style: s }))
      : STATUSES.filter((s) => o.areas.some((a) => a.value !== null && (a.status ?? "not_compared") === s)).map(
          (s) => ({
            label: o.statusLabels[s],
            style: STATUS_STYLE[s],
          }),
        );
  const lg = legend(items, 10, mapH + 30, W - 20, MAP_FONT_SIZE);
  parts.push(lg.svg);
  return svgRoot({
    id: o.id,
    width: W,
    height: mapH + 30 + lg.height + 6,
    title: o.title,
    desc: o.desc,
    body: parts.join(""),
  });
}
