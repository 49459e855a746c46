/**
 * Optional real boundaries for the map page: a GeoJSON FeatureCollection of the local authorities that the operator
 * supplies (OMF ships no boundary file). Looked for at $OMF_BOUNDARIES_GEOJSON, else
 * content/boundaries/local-authorities.geojson. Checked once when first needed; a file that is not a
 * FeatureCollection of Polygon/MultiPolygon features is reported in the log and ignored.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { setting } from "../../config.ts";
import type { BoundaryCollection } from "../../render/charts/boundary-map.ts";

const position = z.tuple([z.number(), z.number()]).rest(z.number());
const ring = z.array(position).min(4);
const schema = z.object({
  type: z.literal("FeatureCollection"),
  features: z
    .array(
      z.object({
        type: z.literal("Feature"),
        properties: z.record(z.string(), z.unknown()).nullable(),
        geometry: z.union([
          z.object({ type: z.literal("Polygon"), coordinates: z.array(ring) }),
          z.object({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(ring)) }),
        ]),
      }),
    )
    .min(1),
});

export const DEFAULT_BOUNDARIES = fileURLToPath(
  new URL("../../../content/boundaries/local-authorities.geojson", import.meta.url),
);

/** Parses GeoJSON text into boundaries, or returns the problem. */
export function parseBoundaries(
  textContent: string,
): { ok: true; value: BoundaryCollection } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(textContent);
  } catch (error) {
    return { ok: false, error: `not JSON: ${String(error)}` };
  }
  const r = schema.safeParse(json);
  if (!r.success)
    return {
      ok: false,
      error: r.error.issues
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .slice(0, 3)
        .join("; "),
    };
  return { ok: true, value: r.data as unknown as BoundaryCollection };
}

let loaded: { path: string; value: BoundaryCollection | null } | null = null;

/** The supplied boundaries, or null when none are supplied (or the file is not usable). */
export function suppliedBoundaries(onProblem: (message: string) => void = () => {}): BoundaryCollection | null {
  const path = setting("OMF_BOUNDARIES_GEOJSON") ?? DEFAULT_BOUNDARIES;
  if (loaded?.path === path) return loaded.value;
  let value: BoundaryCollection | null = null;
  if (existsSync(path)) {
    const r = parseBoundaries(readFileSync(path, "utf8"));
    if (r.ok) value = r.value;
    else onProblem(`Boundary file ${path} ignored: ${r.error}`);
  }
  loaded = { path, value };
  return value;
}
