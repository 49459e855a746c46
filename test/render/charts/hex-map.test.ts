import { describe, expect, it } from "vitest";
import { hexNeighbours, WALES_HEX_LAYOUT } from "../../../src/render/charts/hex-layout.ts";
import { hexMap } from "../../../src/render/charts/hex-map.ts";
import { expectAccessibleSvg, fmt, STATUS_LABELS } from "./svg-checks.ts";

const CODES = [
  "W06000001",
  "W06000002",
  "W06000003",
  "W06000004",
  "W06000005",
  "W06000006",
  "W06000023",
  "W06000008",
  "W06000009",
  "W06000010",
  "W06000011",
  "W06000012",
  "W06000013",
  "W06000014",
  "W06000015",
  "W06000016",
  "W06000024",
  "W06000018",
  "W06000019",
  "W06000020",
  "W06000021",
  "W06000022",
];

describe("hex layout", () => {
  it("has exactly one hexagon for each of the 22 authorities, no two in the same place", () => {
    expect(WALES_HEX_LAYOUT.map((c) => c.code).sort()).toEqual([...CODES].sort());
    const places = new Set(WALES_HEX_LAYOUT.map((c) => `${c.row},${c.col}`));
    expect(places.size).toBe(22);
    expect(new Set(WALES_HEX_LAYOUT.map((c) => c.abbr)).size).toBe(22);
  });

  it("is one connected shape, and keeps real neighbours next to each other", () => {
    const at = new Map(WALES_HEX_LAYOUT.map((c) => [`${c.row},${c.col}`, c.code]));
    const neighbours = (code: string) => {
      const cell = WALES_HEX_LAYOUT.find((c) => c.code === code)!;
      return hexNeighbours(cell).flatMap((n) => at.get(`${n.row},${n.col}`) ?? []);
    };
    const seen = new Set<string>(["W06000015"]);
    const queue = ["W06000015"];
    while (queue.length) {
      for (const n of neighbours(queue.shift()!)) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    expect(seen.size).toBe(22);
    expect(neighbours("W06000015")).toContain("W06000014"); // Cardiff – Vale of Glamorgan
    expect(neighbours("W06000015")).toContain("W06000022"); // Cardiff – Newport
    expect(neighbours("W06000011")).toContain("W06000012"); // Swansea – Neath Port Talbot
    expect(neighbours("W06000001")).toContain("W06000002"); // Anglesey – Gwynedd
    expect(neighbours("W06000010")).toContain("W06000009"); // Carmarthenshire – Pembrokeshire
  });
});

describe("hex map", () => {
  const areas = CODES.map((code, i) => ({
    code,
    name: `Area ${i}`,
    value: i === 3 ? null : i,
    status: (["better", "similar", "worse"] as const)[i % 3],
    quintile: (i % 5) + 1,
  }));
  const base = {
    id: "hex",
    title: "Map",
    desc: "Hexagon map",
    areas,
    statusLabels: STATUS_LABELS,
    quintileLabels: ["Lowest", "Low", "Middle", "High", "Highest"],
    missingLabel: "No data",
    format: fmt,
  };

  it("draws 22 labelled hexagons with tooltips, and a legend in words (significance)", () => {
    const svg = hexMap({ ...base, mode: "significance" });
    expectAccessibleSvg(svg, "hex", "Map");
    expect(svg.match(/<polygon /g)?.length).toBe(22);
    expect(svg).toContain(">CRF</text>");
    expect(svg).toContain("<title>Area 0: 0.0, Better than Wales</title>");
    expect(svg).toContain("<title>Area 3: No data</title>");
    expect(svg).toContain(">Worse than Wales</text>");
  });

  it("prints quintile numbers in quintile mode", () => {
    const svg = hexMap({ ...base, mode: "quintile" });
    expectAccessibleSvg(svg, "hex", "Map");
    expect(svg).toContain(">1: Lowest</text>");
    expect(svg).toContain("#4c2c92");
  });
});
