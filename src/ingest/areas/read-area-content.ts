import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { AREA_TYPES, type AreaType } from "../../domain/enums.ts";
import type { ContentProblem } from "../content-problem.ts";
import {
  AREA_ALIAS_KINDS,
  AREA_CONTENT_FILES,
  type AreaAliasKind,
  type AreaAliasRecord,
  type AreaContent,
  type AreaContentFile,
  type AreaMembershipRecord,
  type AreaRecord,
  GROUPING_AREA_TYPES,
  type ValidityPeriod,
} from "./area-content.ts";

/** The text of each area content file. */
export type AreaContentTexts = Record<AreaContentFile, string>;

/**
 * Typed area content (rows with errors left out) and every problem found. The content fields match the database
 * seed shape (`areas` holds Wales, the local authorities and the groupings).
 */
export interface ReadAreaContentResult extends AreaContent {
  problems: ContentProblem[];
}

const COLUMNS = {
  areas: ["code", "name_en", "name_cy", "type", "parent_code", "sort_order", "valid_from", "valid_to"],
  groupings: ["code", "name_en", "name_cy", "type", "valid_from", "valid_to"],
  members: ["grouping_code", "area_code", "valid_from", "valid_to"],
  aliases: ["area_code", "alias", "kind"],
} as const satisfies Record<AreaContentFile, readonly string[]>;

/** Columns that may be missing from the header (they are then empty on every row). */
const OPTIONAL_COLUMNS = new Set(["name_cy", "parent_code", "valid_from", "valid_to"]);

/** Grouping types whose memberships may overlap (an area can be in several custom groupings at once). */
const OVERLAP_ALLOWED = new Set<AreaType>(["custom"]);

interface Row {
  line: number;
  get: (column: string) => string | undefined;
}

/**
 * Reads `areas.csv`, `groupings.csv`, `grouping-members.csv` and `area-aliases.csv` from a directory
 * (`content/areas/`) and validates them (see {@link parseAreaContent}). A missing file is an error.
 */
export function readAreaContent(dir: string): ReadAreaContentResult {
  const texts = {} as AreaContentTexts;
  const names = {} as Record<AreaContentFile, string>;
  const problems: ContentProblem[] = [];
  for (const [kind, name] of Object.entries(AREA_CONTENT_FILES) as [AreaContentFile, string][]) {
    names[kind] = join(dir, name);
    try {
      texts[kind] = readFileSync(names[kind], "utf8");
    } catch (error) {
      const missing = (error as { code?: string }).code === "ENOENT";
      problems.push({
        file: names[kind],
        key: "",
        message: missing ? "file not found" : `could not read: ${String(error)}`,
        severity: "error",
      });
      texts[kind] = "";
    }
  }
  const result = parseAreaContent(texts, names);
  return { ...result, problems: [...problems, ...result.problems] };
}

/**
 * Parses and validates the four area content files. Pure: `files` only labels problems. Lines starting with `#`
 * are comments. Checks: required columns; unique area, grouping and alias values; known area types; parent codes,
 * grouping codes and area codes that exist; real ISO dates with `valid_from` not after `valid_to`; a membership
 * inside its grouping's validity (warning); no area in two groupings of the same type at the same time; alias
 * kinds `retired_code` or `spelling`; Welsh names present (warning). Rows with errors are left out of `content`.
 */
export function parseAreaContent(
  texts: AreaContentTexts,
  files: Record<AreaContentFile, string> = AREA_CONTENT_FILES,
): ReadAreaContentResult {
  const problems: ContentProblem[] = [];
  const content: AreaContent = { areas: [], memberships: [], aliases: [] };

  // ── areas ──
  const areaRows = readTable("areas");
  const areaCodes = new Map<string, number>();
  for (const row of areaRows) {
    const code = row.get("code");
    if (code && !areaCodes.has(code)) areaCodes.set(code, row.line);
  }
  const sortOrders = new Map<number, string>();
  const seenAreas = new Map<string, number>();
  for (const row of areaRows) {
    const check = checker("areas", row);
    const code = check.required("code");
    const nameEn = check.required("name_en");
    const nameCy = check.welshName();
    const type = check.areaType();
    if (type && type !== "country" && type !== "local_authority") {
      check.warn("type", `"${type}" areas belong in ${AREA_CONTENT_FILES.groupings}`);
    }
    const parentCode = row.get("parent_code");
    if (parentCode !== undefined && !areaCodes.has(parentCode))
      check.error("parent_code", `unknown area "${parentCode}"`);
    if (parentCode !== undefined && parentCode === code) check.error("parent_code", "an area cannot be its own parent");
    const sortOrder = check.sortOrder();
    const period = check.period();
    if (code !== undefined) {
      const first = seenAreas.get(code);
      if (first !== undefined) check.error("code", `duplicate area code "${code}" (first on line ${first})`);
      else seenAreas.set(code, row.line);
    }
    if (sortOrder !== undefined) {
      const other = sortOrders.get(sortOrder);
      if (other !== undefined) check.warn("sort_order", `sort_order ${sortOrder} is also used by ${other}`);
      else sortOrders.set(sortOrder, code ?? `line ${row.line}`);
    }
    if (check.ok && code && nameEn && type && sortOrder !== undefined && period) {
      content.areas.push({
        code,
        name: nameCy === undefined ? { en: nameEn } : { en: nameEn, cy: nameCy },
        type,
        parentCode: parentCode ?? null,
        sortOrder,
        ...period,
      } satisfies AreaRecord);
    }
  }
  const localAreas = content.areas.length;

  // ── groupings ──
  const groupingRows = readTable("groupings");
  const seenGroupings = new Map<string, number>();
  const groupingByCode = new Map<string, AreaRecord>();
  const groupingCodes = new Set<string>();
  for (const [position, row] of groupingRows.entries()) {
    const check = checker("groupings", row);
    const code = check.required("code");
    const nameEn = check.required("name_en");
    const nameCy = check.welshName();
    const type = check.areaType();
    if (type && !(GROUPING_AREA_TYPES as readonly string[]).includes(type)) {
      check.warn("type", `"${type}" areas belong in ${AREA_CONTENT_FILES.areas}`);
    }
    const period = check.period();
    if (code !== undefined) {
      groupingCodes.add(code);
      const first = seenGroupings.get(code);
      if (first !== undefined) check.error("code", `duplicate grouping code "${code}" (first on line ${first})`);
      else seenGroupings.set(code, row.line);
      if (areaCodes.has(code)) check.error("code", `"${code}" is already an area code in ${AREA_CONTENT_FILES.areas}`);
    }
    if (check.ok && code && nameEn && type && period) {
      const record: AreaRecord = {
        code,
        name: nameCy === undefined ? { en: nameEn } : { en: nameEn, cy: nameCy },
        type,
        parentCode: null,
        sortOrder: position + 1,
        ...period,
      };
      content.areas.push(record);
      groupingByCode.set(code, record);
    }
  }

  // ── grouping members ──
  const placed: Array<{ record: AreaMembershipRecord; type: AreaType; line: number }> = [];
  for (const row of readTable("members")) {
    const check = checker("members", row);
    const groupingCode = check.required("grouping_code");
    const areaCode = check.required("area_code");
    if (groupingCode !== undefined && !groupingCodes.has(groupingCode)) {
      check.error("grouping_code", `unknown grouping "${groupingCode}"`);
    }
    if (areaCode !== undefined && !areaCodes.has(areaCode)) check.error("area_code", `unknown area "${areaCode}"`);
    const period = check.period();
    const grouping = groupingCode === undefined ? undefined : groupingByCode.get(groupingCode);
    if (!check.ok || !groupingCode || !areaCode || !period || !grouping) continue;
    if (!within(period, grouping)) {
      check.warn("valid_from", `the membership is not inside the validity of ${groupingCode} (${describe(grouping)})`);
    }
    const record: AreaMembershipRecord = { groupingCode, areaCode, ...period };
    const clash = OVERLAP_ALLOWED.has(grouping.type)
      ? undefined
      : placed.find((p) => p.record.areaCode === areaCode && p.type === grouping.type && overlaps(p.record, record));
    if (clash) {
      check.error(
        "valid_from",
        clash.record.groupingCode === groupingCode
          ? `${areaCode} is already in ${groupingCode} for an overlapping period (line ${clash.line})`
          : `${areaCode} is already in ${clash.record.groupingCode} (line ${clash.line}) for an overlapping period: an area can be in only one ${grouping.type.replaceAll("_", " ")} at a time`,
      );
      continue;
    }
    placed.push({ record, type: grouping.type, line: row.line });
    content.memberships.push(record);
  }

  // ── aliases ──
  const aliasOwner = new Map<string, { areaCode: string; line: number }>();
  const officialNames = new Map<string, string>();
  for (const a of content.areas.slice(0, localAreas)) {
    officialNames.set(a.name.en, a.code);
    if (a.name.cy) officialNames.set(a.name.cy, a.code);
  }
  for (const row of readTable("aliases")) {
    const check = checker("aliases", row);
    const areaCode = check.required("area_code");
    const alias = check.required("alias");
    const kind = check.required("kind");
    if (areaCode !== undefined && !areaCodes.has(areaCode) && !groupingCodes.has(areaCode)) {
      check.error("area_code", `unknown area or grouping "${areaCode}"`);
    }
    if (kind !== undefined && !(AREA_ALIAS_KINDS as readonly string[]).includes(kind)) {
      check.error("kind", `must be one of: ${AREA_ALIAS_KINDS.join(", ")}`);
    }
    if (alias !== undefined) {
      if (areaCodes.has(alias) || groupingCodes.has(alias)) {
        check.error("alias", `"${alias}" is a current code, so it cannot also be an alias`);
      }
      if (kind === "retired_code" && /\s/.test(alias)) check.warn("alias", "a retired code usually has no spaces");
      const owner = aliasOwner.get(alias);
      if (owner && owner.areaCode !== areaCode) {
        check.error("alias", `"${alias}" is already an alias of ${owner.areaCode} (line ${owner.line})`);
      } else if (owner) {
        check.warn("alias", `duplicate alias (also on line ${owner.line})`);
      }
      const official = officialNames.get(alias);
      if (official !== undefined && official !== areaCode) {
        check.error("alias", `"${alias}" is the official name of ${official}`);
      } else if (official !== undefined) {
        check.warn("alias", `"${alias}" is already the official name of ${areaCode}`);
      }
    }
    if (check.ok && areaCode && alias && kind) {
      if (!aliasOwner.has(alias)) aliasOwner.set(alias, { areaCode, line: row.line });
      content.aliases.push({ areaCode, alias, kind: kind as AreaAliasKind } satisfies AreaAliasRecord);
    }
  }

  return { ...content, problems };

  function readTable(kind: AreaContentFile): Row[] {
    const file = files[kind];
    const text = texts[kind];
    if (text.trim() === "") return [];
    let records: Array<{ record: string[]; info: { lines: number } }>;
    try {
      records = parse(text.replace(/^\uFEFF/, ""), {
        comment: "#",
        comment_no_infix: true,
        skip_empty_lines: true,
        relax_column_count: true,
        trim: true,
        info: true,
      }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    } catch (error) {
      const line = (error as { lines?: number }).lines;
      problems.push({ file, key: "", message: `CSV error: ${(error as Error).message}`, severity: "error", line });
      return [];
    }
    const [header, ...body] = records;
    if (!header) return [];
    const columns = header.record;
    const expected: readonly string[] = COLUMNS[kind];
    for (const column of expected) {
      if (!columns.includes(column) && !OPTIONAL_COLUMNS.has(column)) {
        problems.push({
          file,
          key: `line ${header.info.lines}`,
          message: `missing column "${column}" (expected ${expected.join(",")})`,
          severity: "error",
          line: header.info.lines,
        });
      }
    }
    for (const column of columns) {
      if (!expected.includes(column)) {
        problems.push({
          file,
          key: `line ${header.info.lines}.${column}`,
          message: `unknown column "${column}"`,
          severity: "warning",
          line: header.info.lines,
        });
      }
    }
    const rows: Row[] = [];
    for (const { record, info } of body) {
      if (record.length !== columns.length) {
        problems.push({
          file,
          key: `line ${info.lines}`,
          message: `expected ${columns.length} fields, found ${record.length}`,
          severity: "error",
          line: info.lines,
        });
        continue;
      }
      rows.push({
        line: info.lines,
        get: (column) => {
          const i = columns.indexOf(column);
          const value = i < 0 ? undefined : record[i];
          return value === undefined || value === "" ? undefined : value;
        },
      });
    }
    return rows;
  }

  function checker(kind: AreaContentFile, row: Row) {
    const file = files[kind];
    const state = { ok: true };
    const add = (column: string, message: string, severity: "error" | "warning") => {
      if (severity === "error") state.ok = false;
      problems.push({ file, key: `line ${row.line}.${column}`, message, severity, line: row.line });
    };
    const error = (column: string, message: string) => add(column, message, "error");
    const warn = (column: string, message: string) => add(column, message, "warning");
    /** The date, null when empty, undefined when not a real date. */
    const date = (column: string): string | null | undefined => {
      const value = row.get(column);
      if (value === undefined) return null;
      if (!isIsoDate(value)) {
        error(column, `"${value}" is not a real date like 2019-04-01`);
        return undefined;
      }
      return value;
    };
    return {
      get ok() {
        return state.ok;
      },
      error,
      warn,
      required(column: string): string | undefined {
        const value = row.get(column);
        if (value === undefined) error(column, "Required");
        return value;
      },
      welshName(): string | undefined {
        const value = row.get("name_cy");
        if (value === undefined) warn("name_cy", 'Welsh name missing (shown as "not yet translated")');
        return value;
      },
      areaType(): AreaType | undefined {
        const value = row.get("type");
        if (value === undefined) {
          error("type", "Required");
          return undefined;
        }
        if (!(AREA_TYPES as readonly string[]).includes(value)) {
          error("type", `must be one of: ${AREA_TYPES.join(", ")}`);
          return undefined;
        }
        return value as AreaType;
      },
      sortOrder(): number | undefined {
        const value = row.get("sort_order");
        if (value === undefined) {
          error("sort_order", "Required");
          return undefined;
        }
        if (!/^\d+$/.test(value)) {
          error("sort_order", `"${value}" must be a whole number (0, 1, 2 …)`);
          return undefined;
        }
        return Number(value);
      },
      /** The validity period, or undefined when a date is bad. */
      period(): ValidityPeriod | undefined {
        const validFrom = date("valid_from");
        const validTo = date("valid_to");
        if (validFrom === undefined || validTo === undefined) return undefined;
        if (validFrom !== null && validTo !== null && validFrom > validTo) {
          error("valid_to", `valid_to ${validTo} is before valid_from ${validFrom}`);
          return undefined;
        }
        return { validFrom, validTo };
      },
    };
  }
}

/** True for a real calendar date written `YYYY-MM-DD`. */
function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function overlaps(a: ValidityPeriod, b: ValidityPeriod): boolean {
  const aStartsBeforeBEnds = a.validFrom === null || b.validTo === null || a.validFrom <= b.validTo;
  const bStartsBeforeAEnds = b.validFrom === null || a.validTo === null || b.validFrom <= a.validTo;
  return aStartsBeforeBEnds && bStartsBeforeAEnds;
}

function within(inner: ValidityPeriod, outer: ValidityPeriod): boolean {
  const startsOk = outer.validFrom === null || (inner.validFrom !== null && inner.validFrom >= outer.validFrom);
  const endsOk = outer.validTo === null || (inner.validTo !== null && inner.validTo <= outer.validTo);
  return startsOk && endsOk;
}

function describe(period: ValidityPeriod): string {
  return `${period.validFrom ?? "open"} to ${period.validTo ?? "open"}`;
}
