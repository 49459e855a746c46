/**
 * JSON-stat 2.0 datasets (the format ONS, Eurostat and many statistics offices publish), with a dimension mapping:
 * which dimension holds the areas, the periods, the measure (or a fixed measure), which are breakdowns, and optionally
 * a "statistic" dimension whose categories are value / numerator / denominator / lower_ci / upper_ci.
 * Cell status (e.g. "p", "c", "provisional") becomes the note code. A collection or bundle is read for its first
 * dataset.
 *
 * Files of any size are read in bounded memory. A first pass streams the whole document through an incremental
 * parser (json-stream.ts), keeping the metadata (id, size, role, dimension, extension…) as plain objects but leaving
 * each dataset's `value` and `status` unread: just where they start, how many entries they have and whether they
 * are in index order. Members may come in any order (`value` before `dimension` is fine). The rows are then made
 * in index order while those two members are parsed again from where they start, in small batches — or, when the
 * rows need them in another order, first copied to a temporary file of fixed-size records (jsonstat-cells.ts).
 */
import { open, stat } from "node:fs/promises";
import { describeOffset, JsonStreamParser, JsonSyntaxError, TreeBuilder } from "./json-stream.ts";
import {
  type CellCursor,
  FunctionCursor,
  LargeMember,
  removeSpillDirectory,
  Spill,
  StreamCursor,
  spillDirectory,
} from "./jsonstat-cells.ts";
import type { Mapping } from "./mapping.ts";
import { DEFAULT_CHUNK, FileFormatError, type RawRow, type TableSource } from "./types.ts";

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
  /** An array or object (sparse) of numbers and nulls: a LargeMember after the first pass. */
  value?: unknown;
  /** A string, or an array or object of strings: a LargeMember when an array or object. */
  status?: unknown;
}

/** Members of the root object that are never datasets (a JSON-stat 1.x bundle's other members may be). */
const NOT_DATASETS = new Set(["dimension", "extension", "link", "role"]);

/**
 * Builds the document, leaving a LargeMember in place of the `value` and `status` arrays and objects of every
 * object that may be a dataset: the root, a member of the root (JSON-stat 1.x bundle) or `link.item[i]`
 * (collection).
 */
class DocumentBuilder extends TreeBuilder {
  private datasetLike: boolean[] = [];
  private large = false; // the value being started is a dataset's value or status
  private skipping: LargeMember | null = null;
  private skipDepth = 0;
  parser!: JsonStreamParser;

  override startObject(): void {
    if (this.enter("object")) return;
    const d = this.containers.length;
    const c = this.containers;
    const mayBeDataset =
      d === 0 ||
      (d === 1 && !Array.isArray(c[0]) && !NOT_DATASETS.has(this.keys[0]!)) ||
      (d === 3 &&
        !Array.isArray(c[0]) &&
        this.keys[0] === "link" &&
        !Array.isArray(c[1]) &&
        this.keys[1] === "item" &&
        Array.isArray(c[2]));
    super.startObject();
    this.datasetLike.push(mayBeDataset);
  }
  override startArray(): void {
    if (this.enter("array")) return;
    super.startArray();
    this.datasetLike.push(false);
  }
  /** Handles the start of a container while skipping or when it is a large member; true when handled. */
  private enter(kind: "object" | "array"): boolean {
    if (this.skipping) {
      if (this.skipping.kind === "array" && this.parser.depth === this.skipDepth + 1) this.skipping.count++;
      return true;
    }
    if (!this.large) return false;
    this.large = false;
    this.skipping = new LargeMember(kind, this.parser.tokenStart);
    this.skipDepth = this.parser.depth;
    this.parser.decode = false;
    return true;
  }
  override endObject(): void {
    if (!this.leave()) {
      super.endObject();
      this.datasetLike.pop();
    }
  }
  override endArray(): void {
    if (!this.leave()) {
      super.endArray();
      this.datasetLike.pop();
    }
  }
  private leave(): boolean {
    if (!this.skipping) return false;
    if (this.parser.depth === this.skipDepth - 1) {
      const member = this.skipping;
      this.skipping = null;
      this.parser.decode = true;
      this.add(member);
    }
    return true;
  }
  override key(name: string): void {
    if (this.skipping) {
      if (this.parser.depth === this.skipDepth) this.skipping.noteKey(name);
      return;
    }
    super.key(name);
    this.large = this.datasetLike[this.datasetLike.length - 1]! && (name === "value" || name === "status");
  }
  override value(value: string | number | boolean | null | undefined): void {
    if (this.skipping) {
      if (this.skipping.kind === "array" && this.parser.depth === this.skipDepth) this.skipping.count++;
      return;
    }
    this.large = false;
    super.value(value);
  }
}

/** First pass: the document with its large members left unread. */
async function readDocument(path: string, readBytes: number): Promise<unknown> {
  const builder = new DocumentBuilder();
  const parser = new JsonStreamParser(builder);
  builder.parser = parser;
  const file = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(readBytes);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      parser.feed(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
    parser.end();
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new FileFormatError(
        `the file is not valid JSON: ${error.reason} at ${await describeOffset(path, error.offset)} (byte ${error.offset})`,
      );
    }
    throw error;
  } finally {
    await file.close();
  }
  return builder.root;
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

export async function readJsonStat(
  path: string,
  options: {
    mapping?: Mapping | undefined;
    measure?: string | undefined;
    chunkSize?: number | undefined;
    /** Dimension ids kept as breakdown columns even with one category (OMF dimension codes, "breakdown"). */
    keepDimensions?: readonly string[] | undefined;
    /** Bytes read from the file at a time (tests use small reads to cross chunk boundaries everywhere). */
    readBytes?: number | undefined;
  },
): Promise<TableSource> {
  const totalBytes = (await stat(path)).size;
  const readBytes = options.readBytes ?? 1 << 17;
  const doc = await readDocument(path, options.readBytes ?? 1 << 18);
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
  const baseOffset = ids.reduce((sum, id, i) => {
    if (id in filter) return sum + categories[i]!.indexOf(filter[id]!) * strides[i]!;
    return sum;
  }, 0);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const rowSizes = rowDims.map((i) => sizes[i]!);
  const total = rowSizes.reduce((a, b) => a * b, 1);
  const cellCount = acc; // value indices are below this

  // A cursor is asked for nondecreasing indices. One cursor serves every statistic category when the rows ask for
  // the cells in index order: no statistic dimension, one category used, or only one-category dimensions after it.
  const used = (wanted: (role: string | undefined) => boolean) =>
    statIndex < 0 ? [0] : statRoles.flatMap((r, s) => (r && wanted(r) ? [s] : []));
  const inOrder = statIndex < 0 || rowDims.every((i) => i < statIndex || sizes[i] === 1);
  const valueCategories = used(() => true);
  const statusCategories = used((r) => r === "value");

  interface Cells {
    value: CellCursor[];
    status: CellCursor[];
    close(): Promise<void>;
  }
  /** Opens the cursors (lazily, when the rows are first read). */
  async function openCells(): Promise<Cells> {
    const file = await open(path, "r");
    let dir: string | undefined;
    const spills: Spill[] = [];
    const close = async () => {
      for (const spill of spills) spill.close();
      await file.close();
      if (dir) await removeSpillDirectory(dir);
    };
    try {
      const cursors = async (
        member: unknown,
        categories: number[],
        small: (k: number) => unknown,
        encode: (raw: unknown) => number | string | undefined,
        name: string,
      ): Promise<CellCursor[]> => {
        const out: CellCursor[] = [];
        const each = (make: () => CellCursor) => {
          const shared = inOrder || categories.length <= 1 ? make() : undefined;
          for (const s of categories) out[s] = shared ?? make();
        };
        if (!(member instanceof LargeMember)) each(() => new FunctionCursor(small));
        else if (member.count === 0) each(() => new FunctionCursor(() => undefined));
        else if (name === "status" && member.kind === "array" && member.count === 1) {
          // one status for every cell
          const first = new StreamCursor(file, member, readBytes);
          await first.advance(0);
          const only = first.get(0) ?? "";
          each(() => new FunctionCursor(() => only));
        } else if ((inOrder || categories.length <= 1) && member.sorted) {
          each(() => new StreamCursor(file, member, readBytes));
        } else {
          dir ??= await spillDirectory();
          const spill = await Spill.create(dir, name, file, member, cellCount, encode, readBytes);
          spills.push(spill);
          each(() => spill.cursor());
        }
        return out;
      };
      const values = ds.value ?? [];
      const value = await cursors(
        values,
        valueCategories,
        // kept in memory: not where a dataset's members are left unread, or neither an array nor an object
        (k) => (values as Record<string, unknown>)[String(k)],
        (raw) => (raw === null || raw === undefined ? undefined : typeof raw === "number" ? raw : String(raw)),
        "value",
      );
      const statusMember = ds.status;
      const status = await cursors(
        statusMember,
        statusCategories,
        (k) => {
          if (!statusMember) return "";
          if (typeof statusMember === "string") return statusMember;
          if (Array.isArray(statusMember)) {
            return statusMember.length === 1 ? (statusMember[0] ?? "") : (statusMember[k] ?? "");
          }
          return (statusMember as Record<string, unknown>)[String(k)] ?? "";
        },
        (raw) => (raw ? String(raw) : undefined),
        "status",
      );
      return { value, status, close };
    } catch (error) {
      await close();
      throw error;
    }
  }

  async function* chunks(): AsyncGenerator<RawRow[]> {
    const cellsOpen = await openCells();
    try {
      yield* rowsOf(cellsOpen);
    } finally {
      await cellsOpen.close();
    }
  }

  // where each row's cells come from
  const rolePositions = roleColumns.map((i) => rowDims.indexOf(i));
  const roleCategories = roleColumns.map((i) => categories[i]!);
  const SLOTS: Record<string, number> = { value: 0, numerator: 1, denominator: 2, lower_ci: 3, upper_ci: 4 };
  const cellSlots = statIndex >= 0 ? statRoles.map((r) => (r ? SLOTS[r]! : -1)) : [0];
  const statStride = statIndex >= 0 ? strides[statIndex]! : 0;
  const rowStrides = rowDims.map((i) => strides[i]!);

  async function* rowsOf({ value, status }: Cells): AsyncGenerator<RawRow[]> {
    let out: RawRow[] = [];
    const pos = new Array<number>(rowDims.length).fill(0);
    for (let n = 0; n < total; n++) {
      let offset = baseOffset;
      for (let j = 0; j < rowDims.length; j++) offset += pos[j]! * rowStrides[j]!;
      const stats = ["", "", "", "", ""];
      let any = false;
      let note = "";
      let firstIndex = -1;
      for (let s = 0; s < cellSlots.length; s++) {
        const slot = cellSlots[s]!;
        if (slot < 0) continue;
        const k = offset + s * statStride;
        const vc = value[s]!;
        if (!vc.ready(k)) await vc.advance(k);
        const v = vc.get(k);
        if (v !== null && v !== undefined) {
          stats[slot] = String(v);
          any = true;
          if (firstIndex < 0) firstIndex = k;
        }
        if (slot !== 0) continue;
        const sc = status[s]!;
        if (!sc.ready(k)) await sc.advance(k);
        const st = sc.get(k);
        if (st) {
          note = String(st);
          any = true;
          if (firstIndex < 0) firstIndex = k;
        }
      }
      if (any) {
        const cells: string[] = measureDim ? [] : [fixedMeasure!];
        for (let c = 0; c < rolePositions.length; c++) cells.push(roleCategories[c]![pos[rolePositions[c]!]!]!);
        cells.push(stats[0]!, stats[1]!, stats[2]!, stats[3]!, stats[4]!, note);
        out.push({ row: firstIndex + 1, cells, labels });
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
