import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WALES_HEX_LAYOUT } from "../../src/render/charts/hex-layout.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  // a made-up boundary file: one square per authority, where its hexagon is
  const features = WALES_HEX_LAYOUT.map((c) => {
    const x = -5 + c.col * 0.4 + (c.row % 2) * 0.2;
    const y = 53.4 - c.row * 0.35;
    return {
      type: "Feature",
      properties: { LAD23CD: c.code },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [x, y],
            [x + 0.38, y],
            [x + 0.38, y + 0.33],
            [x, y + 0.33],
            [x, y],
          ],
        ],
      },
    };
  });
  const path = join(mkdtempSync(join(tmpdir(), "omf-geo-")), "las.geojson");
  writeFileSync(path, JSON.stringify({ type: "FeatureCollection", features }));
  process.env.OMF_BOUNDARIES_GEOJSON = path;
  t = await demoApp();
});
afterAll(async () => {
  await t?.close();
  delete process.env.OMF_BOUNDARIES_GEOJSON;
});

describe("map page with supplied boundaries", () => {
  it("offers a boundary map beside the hexagons, in both languages", async () => {
    const hex = await t.app.inject("/en/map?measure=low-birth-weight");
    expect(hex.body).toContain('name="view"');
    expect(hex.body.match(/<polygon /g)?.length).toBe(22);
    const geo = await t.app.inject("/cy/map?measure=low-birth-weight&view=boundaries&mode=quintile");
    expect(geo.statusCode).toBe(200);
    expect(geo.body).not.toContain("<polygon ");
    expect(geo.body).toContain("Map o ffiniau");
    const svg = await t.app.inject("/en/map?measure=low-birth-weight&view=boundaries&format=svg");
    expect(svg.body).toContain("boundaries");
  });
});
