import { describe, expect, it } from "vitest";
import { type BoundaryCollection, boundaryMap, featureCode } from "../../../src/render/charts/boundary-map.ts";
import { parseBoundaries } from "../../../src/services/public/boundaries.ts";
import { expectAccessibleSvg, fmt, STATUS_LABELS } from "./svg-checks.ts";

const square = (x: number, y: number, s = 0.1): [number, number][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const geo: BoundaryCollection = {
  type: "FeatureCollection",
  features: [
    {
      properties: { LAD23CD: "W06000015", LAD23NM: "Cardiff" },
      geometry: { type: "Polygon", coordinates: [square(-3.2, 51.45)] },
    },
    {
      properties: { code: "W06000011" },
      geometry: { type: "MultiPolygon", coordinates: [[square(-4, 51.6)], [square(-4.2, 51.55, 0.05)]] },
    },
    { properties: { other: "x" }, geometry: { type: "Polygon", coordinates: [square(-3, 52)] } },
  ],
};

describe("boundary map", () => {
  it("finds GSS codes in common property names", () => {
    expect(featureCode({ LAD23CD: "W06000015" })).toBe("W06000015");
    expect(featureCode({ lad19cd: "W06000001" })).toBe("W06000001");
    expect(featureCode({ name: "x" })).toBeNull();
  });

  it("draws each supplied area with its status colour and shape, skipping features without a code", () => {
    const svg = boundaryMap({
      id: "b",
      title: "Boundaries",
      desc: "Map",
      mode: "significance",
      boundaries: geo,
      areas: [
        { code: "W06000015", name: "Caerdydd", value: 10, status: "worse" },
        { code: "W06000011", name: "Abertawe", value: null },
      ],
      statusLabels: STATUS_LABELS,
      quintileLabels: ["1", "2", "3", "4", "5"],
      missingLabel: "No data",
      format: fmt,
    });
    expectAccessibleSvg(svg, "b", "Boundaries");
    expect(svg.match(/<path d="M[^"]*Z" fill="/g)?.length).toBe(4); // 2 areas + diamond marker + missing ring uses circle
    expect(svg).toContain("<title>Caerdydd: 10.0, Worse than Wales</title>");
    expect(svg).toContain("<title>Abertawe: No data</title>");
  });

  it("accepts only a FeatureCollection of polygons", () => {
    expect(
      parseBoundaries(JSON.stringify({ ...geo, features: geo.features.map((f) => ({ type: "Feature", ...f })) })).ok,
    ).toBe(true);
    expect(parseBoundaries("{").ok).toBe(false);
    const r = parseBoundaries(
      JSON.stringify({
        type: "FeatureCollection",
        features: [{ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [1, 2] } }],
      }),
    );
    expect(r.ok).toBe(false);
  });
});
