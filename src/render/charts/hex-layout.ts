/**
 * OMF's own hexagon layout of the 22 Welsh local authorities: one equal-sized hexagon each, placed so that
 * neighbours on the map are roughly neighbours in reality (north coast on top, the valleys and the south-east
 * cities at the bottom). Pointy-topped hexagons in "odd-r" offset coordinates: odd rows are shifted right by half a
 * hexagon. `abbr` is a short language-neutral label printed inside the hexagon (the full name is in the tooltip,
 * the description and the table alternative).
 */

export interface HexCell {
  /** GSS code of the local authority. */
  code: string;
  col: number;
  row: number;
  abbr: string;
}

export const WALES_HEX_LAYOUT: readonly HexCell[] = [
  { code: "W06000001", row: 0, col: 1, abbr: "YNM" }, // Isle of Anglesey / Ynys Môn
  { code: "W06000003", row: 0, col: 2, abbr: "CNW" }, // Conwy
  { code: "W06000005", row: 0, col: 3, abbr: "FLN" }, // Flintshire / Sir y Fflint
  { code: "W06000002", row: 1, col: 1, abbr: "GWN" }, // Gwynedd
  { code: "W06000004", row: 1, col: 2, abbr: "DEN" }, // Denbighshire / Sir Ddinbych
  { code: "W06000006", row: 1, col: 3, abbr: "WRX" }, // Wrexham / Wrecsam
  { code: "W06000008", row: 2, col: 2, abbr: "CGN" }, // Ceredigion
  { code: "W06000023", row: 2, col: 3, abbr: "POW" }, // Powys
  { code: "W06000009", row: 3, col: 0, abbr: "PEM" }, // Pembrokeshire / Sir Benfro
  { code: "W06000010", row: 3, col: 1, abbr: "CMN" }, // Carmarthenshire / Sir Gaerfyrddin
  { code: "W06000012", row: 3, col: 2, abbr: "NPT" }, // Neath Port Talbot / Castell-nedd Port Talbot
  { code: "W06000024", row: 3, col: 3, abbr: "MTY" }, // Merthyr Tydfil / Merthyr Tudful
  { code: "W06000019", row: 3, col: 4, abbr: "BGW" }, // Blaenau Gwent
  { code: "W06000021", row: 3, col: 5, abbr: "MON" }, // Monmouthshire / Sir Fynwy
  { code: "W06000011", row: 4, col: 2, abbr: "SWA" }, // Swansea / Abertawe
  { code: "W06000013", row: 4, col: 3, abbr: "BGE" }, // Bridgend / Pen-y-bont ar Ogwr
  { code: "W06000016", row: 4, col: 4, abbr: "RCT" }, // Rhondda Cynon Taf
  { code: "W06000018", row: 4, col: 5, abbr: "CAY" }, // Caerphilly / Caerffili
  { code: "W06000020", row: 4, col: 6, abbr: "TOF" }, // Torfaen
  { code: "W06000014", row: 5, col: 3, abbr: "VGL" }, // Vale of Glamorgan / Bro Morgannwg
  { code: "W06000015", row: 5, col: 4, abbr: "CRF" }, // Cardiff / Caerdydd
  { code: "W06000022", row: 5, col: 5, abbr: "NWP" }, // Newport / Casnewydd
];

/** Centre of a hexagon of circumradius r, in layout units (before any offset). */
export function hexCentre(cell: Pick<HexCell, "row" | "col">, r: number): { x: number; y: number } {
  const w = Math.sqrt(3) * r;
  return { x: w * (cell.col + (cell.row % 2 === 1 ? 0.5 : 0)), y: 1.5 * r * cell.row };
}

/** Polygon points of a pointy-topped hexagon centred on (cx, cy) with circumradius r. */
export function hexPoints(cx: number, cy: number, r: number): [number, number][] {
  return Array.from({ length: 6 }, (_, i) => {
    const a = (Math.PI / 180) * (60 * i - 30);
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as [number, number];
  });
}

/** The six axial neighbours of an odd-r offset cell (for tests of adjacency). */
export function hexNeighbours(cell: Pick<HexCell, "row" | "col">): { row: number; col: number }[] {
  const odd = cell.row % 2 === 1;
  const d = odd
    ? [
        [0, -1],
        [0, 1],
        [-1, 0],
        [-1, 1],
        [1, 0],
        [1, 1],
      ]
    : [
        [0, -1],
        [0, 1],
        [-1, -1],
        [-1, 0],
        [1, -1],
        [1, 0],
      ];
  return d.map(([dr, dc]) => ({ row: cell.row + dr!, col: cell.col + dc! }));
}
