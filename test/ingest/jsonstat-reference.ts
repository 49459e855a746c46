/**
 * The JSON-stat reader as it was before it streamed (JSON.parse of the whole file), kept as the reference the
 * streaming reader is compared with in jsonstat-streaming.test.ts. Not used by the application.
 *
 * JSON-stat 2.0 datasets (the format ONS, Eurostat and many statistics offices publish), with a dimension mapping:
 * which dimension holds the areas, the periods, the measure (or a fixed measure), which are breakdowns, and optionally
 * a "statistic" dimension whose categories are value / numerator / denominator / lower_ci / upper_ci.
 * Cell status (e.g. "p", "c", "provisional") becomes the note code. A collection or bundle is read for its first
 * dataset. The document is read whole (JSON-stat is not a streaming format); rows are produced in chunks.
 */
import { readFile, stat } from "node:fs/promises";
import type { Mapping } from "../../src/ingest/observations/mapping.ts";
import { DEFAULT_CHUNK, FileFormatError, type RawRow, type TableSource } from "../../src/ingest/observations/types.ts";

interface Category {
  index?: string[] | Record<string, number>;
  label?: Record<string, string>;
}
interface Dimension {
  label?: string;
  category?: Category;
}
interface Dataset {
  version?: string;
  class?: string;
  id?: string[];
  size?: number[];
  role?: { time?: string[]; geo?: string[]; metric?: string[] };
  dimension?: Record<string, Dimension>;
  value?: (number | null)[] | Record<string, number | null>;
  status?: string | (string | null)[] | Record<string, string>;
}

/** Category ids of a dimension in index order. */
export function categoryIds(dim: Dimension | undefined): string[] {
  const index = dim?.category?.index;
  if (Array.isArray(index)) return index;
  if (index && typeof index === "object") {
    return Object.entries(index)
      .sort((a, b) => a[1] - b[1])
      .map(([k]) => k);
  }
  const label = dim?.category?.label;
  return label ? Object.keys(label) : [];
}

function findDataset(doc: unknown): Dataset {
  if (!doc || typeof doc !== "object") throw new FileFormatError("the file is not a JSON-stat document");
  const d = doc as Record<string, unknown>;
  if (d.class === "dataset" || (Array.isArray(d.id) && d.dimension)) return d as Dataset;
  if (d.class === "collection") {
    const items = (d.link as { item?: unknown[] } | undefined)?.item ?? [];
    const first = items.find((i) => (i as Dataset).class === "dataset" && (i as Dataset).dimension);
    if (first) return first as Dataset;
    throw new FileFormatError("the JSON-stat collection has no embedded dataset");
  }
  for (const v of Object.values(d)) {
    if (v && typeof v === "object" && (v as Dataset).dimension && (v as Dataset).value !== undefined) {
      return v as Dataset; // JSON-stat 1.x bundle
    }
  }
  throw new FileFormatError('the file is not a JSON-stat dataset (expected "class": "dataset")');
}

const GUESS = {
  area: ["area", "geography", "geo", "area_code", "geography_code", "local_authority", "region", "ardal"],
  period: ["period", "time", "year", "date", "time_period", "cyfnod"],
  measure: ["measure", "measure_code", "indicator"],
  statistic: ["statistic", "stat", "statistics"],
};

function pick(ids: string[], explicit: string | undefined, role: string[] | undefined, guesses: string[]) {
  if (explicit) {
    if (!ids.includes(explicit)) {
      throw new FileFormatError(`the dataset has no dimension "${explicit}" (dimensions: ${ids.join(", ")})`);
    }
    return explicit;
  }
  const fromRole = role?.find((r) => ids.includes(r));
  if (fromRole) return fromRole;
  return ids.find((id) => guesses.includes(id.toLowerCase()));
}

const STATISTIC_NAMES = new Set(["value", "numerator", "denominator", "lower_ci", "upper_ci"]);

export async function readJsonStatReference(
  path: string,
  options: {
    mapping?: Mapping | undefined;
    measure?: string | undefined;
    chunkSize?: number | undefined;
    /** Dimension ids kept as breakdown columns even with one category (OMF dimension codes, "breakdown"). */
    keepDimensions?: readonly string[] | undefined;
  },
): Promise<TableSource> {
  const totalBytes = (await stat(path)).size;
  let doc: unknown;
  try {
    doc = JSON.parse((await readFile(path, "utf8")).replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new FileFormatError(`the file is not valid JSON: ${(error as Error).message}`);
  }
  const ds = findDataset(doc);
  const ids = ds.id ?? [];
  const sizes = ds.size ?? [];
  if (ids.length === 0 || ids.length !== sizes.length || !ds.dimension) {
    throw new FileFormatError('the JSON-stat dataset needs "id", "size" and "dimension" of the same length');
  }
  const m = options.mapping?.jsonstat ?? {};
  const fixedMeasure = options.measure ?? options.mapping?.measure;
  const areaDim = pick(ids, m.area, ds.role?.geo, GUESS.area);
  const periodDim = pick(ids, m.period, ds.role?.time, GUESS.period);
  const measureDim = fixedMeasure && !m.measure ? undefined : pick(ids, m.measure, undefined, GUESS.measure);
  const statDim = m.statistic?.dimension ?? pick(ids, undefined, undefined, GUESS.statistic);
  if (!areaDim)
    throw new FileFormatError(
      `no area dimension found: name it with jsonstat.area in the mapping (dimensions: ${ids.join(", ")})`,
    );
  if (!periodDim)
    throw new FileFormatError(
      `no period dimension found: name it with jsonstat.period in the mapping (dimensions: ${ids.join(", ")})`,
    );
  if (!measureDim && !fixedMeasure) {
    throw new FileFormatError(
      "no measure: give the measure for the whole file (--measure CODE with omf import, the Measure field on the upload page), or `measure:` or jsonstat.measure in a mapping file",
    );
  }
  const categories = ids.map((id) => categoryIds(ds.dimension![id]));
  categories.forEach((cats, i) => {
    if (cats.length !== sizes[i]) {
      throw new FileFormatError(`dimension "${ids[i]}" has ${cats.length} categories but size ${sizes[i]}`);
    }
  });
  const strides = new Array<number>(ids.length);
  let acc = 1;
  for (let i = ids.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= sizes[i]!;
  }
  const filter = m.filter ?? {};
  const statMap: Record<string, string> = m.statistic?.categories ?? {};
  const statIndex = statDim ? ids.indexOf(statDim) : -1;
  const statCats = statIndex >= 0 ? categories[statIndex]! : [];
  const statRoles = statCats.map((c) => statMap[c] ?? (STATISTIC_NAMES.has(c) ? c : undefined));
  if (statIndex >= 0 && !statRoles.includes("value")) {
    throw new FileFormatError(
      `no category of the statistic dimension "${statDim}" is the value: map one in jsonstat.statistic.categories`,
    );
  }
  const breakdownNames = m.breakdowns ?? {};
  // Dimensions that vary between rows, other than area/period/measure/statistic: breakdown columns.
  const rowDims: number[] = [];
  ids.forEach((id, i) => {
    if (i === statIndex) return;
    if (id in filter) {
      if (!categories[i]!.includes(filter[id]!)) {
        throw new FileFormatError(`the filter ${id}=${filter[id]} names no category of dimension "${id}"`);
      }
      return;
    }
    rowDims.push(i);
  });
  const role = (i: number): string => {
    const id = ids[i]!;
    if (id === areaDim) return "area_code";
    if (id === periodDim) return "period";
    if (id === measureDim) return "measure_code";
    return breakdownNames[id] ?? id;
  };
  const keep = new Set(["breakdown", ...(options.keepDimensions ?? []), ...Object.keys(breakdownNames)]);
  const roleColumns = rowDims.filter(
    (i) => sizes[i]! > 1 || [areaDim, periodDim, measureDim].includes(ids[i]) || keep.has(ids[i]!),
  );
  const columns = [
    ...(measureDim ? [] : ["measure_code"]),
    ...roleColumns.map(role),
    "value",
    "numerator",
    "denominator",
    "lower_ci",
    "upper_ci",
    "note_code",
  ];
  const labels = [
    ...(measureDim ? [] : ["measure"]),
    ...roleColumns.map((i) => ids[i]!),
    ...(statDim ? [statDim, statDim, statDim, statDim, statDim] : ["value", "value", "value", "value", "value"]),
    "status",
  ];
  const values = ds.value ?? [];
  const valueAt = Array.isArray(values)
    ? (k: number) => values[k]
    : (k: number) => (values as Record<string, number | null>)[String(k)];
  const status = ds.status;
  const statusAt = (k: number): string => {
    if (!status) return "";
    if (typeof status === "string") return status;
    if (Array.isArray(status)) return status.length === 1 ? (status[0] ?? "") : (status[k] ?? "");
    return status[String(k)] ?? "";
  };
  const baseOffset = ids.reduce((sum, id, i) => {
    if (id in filter) return sum + categories[i]!.indexOf(filter[id]!) * strides[i]!;
    return sum;
  }, 0);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const rowSizes = rowDims.map((i) => sizes[i]!);
  const total = rowSizes.reduce((a, b) => a * b, 1);

  async function* chunks(): AsyncGenerator<RawRow[]> {
    let out: RawRow[] = [];
    const pos = new Array<number>(rowDims.length).fill(0);
    for (let n = 0; n < total; n++) {
      let offset = baseOffset;
      for (let j = 0; j < rowDims.length; j++) offset += pos[j]! * strides[rowDims[j]!]!;
      const stats: Record<string, string> = { value: "", numerator: "", denominator: "", lower_ci: "", upper_ci: "" };
      let any = false;
      let note = "";
      let firstIndex = -1;
      const cells = statIndex >= 0 ? statCats.length : 1;
      for (let s = 0; s < cells; s++) {
        const k = statIndex >= 0 ? offset + s * strides[statIndex]! : offset;
        const r = statIndex >= 0 ? statRoles[s] : "value";
        if (!r) continue;
        const v = valueAt(k);
        const st = statusAt(k);
        if (v !== null && v !== undefined) {
          stats[r] = String(v);
          any = true;
          if (firstIndex < 0) firstIndex = k;
        }
        if (r === "value" && st) {
          note = st;
          any = true;
          if (firstIndex < 0) firstIndex = k;
        }
      }
      if (any) {
        const cellsOut = [
          ...(measureDim ? [] : [fixedMeasure!]),
          ...roleColumns.map((i) => categories[i]![pos[rowDims.indexOf(i)]!]!),
          stats.value!,
          stats.numerator!,
          stats.denominator!,
          stats.lower_ci!,
          stats.upper_ci!,
          note,
        ];
        out.push({ row: firstIndex + 1, cells: cellsOut, labels });
        if (out.length >= chunkSize) {
          yield out;
          out = [];
        }
      }
      for (let j = rowDims.length - 1; j >= 0; j--) {
        pos[j] = pos[j]! + 1;
        if (pos[j]! < rowSizes[j]!) break;
        pos[j] = 0;
      }
    }
    if (out.length > 0) yield out;
  }

  return {
    format: "jsonstat",
    columns,
    chunks: chunks(),
    issues: [],
    bytesRead: () => totalBytes,
    totalBytes,
    canonical: true,
  };
}
