/**
 * Importing observations: one streaming pass over the file that validates every row, diffs it against the current
 * data (new / revised / unchanged), and — unless it is a dry run — appends the new and revised values in ONE
 * transaction. Any error anywhere rolls the whole import back, so a failed or interrupted import leaves the database
 * as it was. The same function serves `omf import`, the web upload and POST /api/v1/imports.
 *
 * Reading and validating happen in a worker thread for large CSV files (see validated-table.ts); this thread reads
 * the validated rows chunk by chunk, in columns, and keeps no object per row.
 */
import { availableParallelism } from "node:os";
import { basename, extname } from "node:path";
import type { Database } from "../../db/database.ts";
import { listSources } from "../../db/queries/framework.ts";
import { type ImportSession, type ObservationValues, withImportSession } from "../../db/queries/import-session.ts";
import { shortIssue } from "../../ingest/observations/limits.ts";
import { type Mapping, MappingError } from "../../ingest/observations/mapping.ts";
import { TABLE_FORMATS, type TableFormat } from "../../ingest/observations/open-table.ts";
import { FileFormatError, type Issue } from "../../ingest/observations/types.ts";
import {
  ChunkDecoder,
  chunkNumber,
  chunkValueText,
  K_AREA,
  K_BREAKDOWN,
  K_MEASURE,
  K_NOTES,
  K_PERIOD,
  K_PERIOD_END,
  KEY_FIELDS,
  N_DENOMINATOR,
  N_LOWER_95,
  N_NUMERATOR,
  N_UPPER_95,
  N_VALUE,
  type ValidatedChunk,
} from "../../ingest/observations/validated-chunk.ts";
import {
  openValidatedTable,
  type ValidatedTable,
  type ValidationThread,
} from "../../ingest/observations/validated-table.ts";
import { isLive, KeyStore, type StoredValue } from "./key-store.ts";
import { loadReferenceData } from "./reference.ts";
import { emptyCounts, type ImportSummary, type RevisedValue, type ValueSnapshot } from "./summary.ts";

export const IMPORT_FORMATS = TABLE_FORMATS;
export type ImportFormat = TableFormat;

export interface ImportActor {
  userId: number | null;
  /** Who, for the audit log: "cli:alice", "web:ann@example.org", "api:ann@example.org". */
  name: string;
}

export interface ImportProgress {
  phase: "reading" | "done";
  rows: number;
  written: number;
  bytesRead: number;
  totalBytes: number | null;
  seconds: number;
}

export interface ImportOptions {
  format?: ImportFormat | undefined;
  measure?: string | undefined;
  mapping?: Mapping | undefined;
  /** Source code (sources table) recorded on the batch. */
  source?: string | undefined;
  dryRun: boolean;
  /** Publish the batch when written (at `publishAt`, an embargo time, or now). */
  publish?: boolean | undefined;
  publishAt?: Date | undefined;
  reason?: string | undefined;
  actor: ImportActor;
  /** Name shown for the file (defaults to the path's base name). */
  fileName?: string | undefined;
  onProgress?: ((p: ImportProgress) => void) | undefined;
  /** Called for every error and warning (also those beyond `issueLimit`), e.g. to write an errors CSV. */
  onIssue?: ((issue: Issue) => void) | undefined;
  issueLimit?: number | undefined;
  revisedLimit?: number | undefined;
  chunkSize?: number | undefined;
  flushRows?: number | undefined;
  /** Where rows are validated (default: worker threads for large CSV files). */
  validation?: ValidationThread | undefined;
  /** Bytes per segment when validation workers share a CSV file (tests make it small). */
  segmentBytes?: number | undefined;
}

export function detectFormat(path: string, explicit?: string): ImportFormat {
  if (explicit) {
    if (!(IMPORT_FORMATS as readonly string[]).includes(explicit)) {
      throw new FileFormatError(`unknown format "${explicit}": use one of ${IMPORT_FORMATS.join(", ")}`);
    }
    return explicit as ImportFormat;
  }
  const ext = extname(path).toLowerCase();
  if (ext === ".xlsx") return "xlsx";
  if (ext === ".json") return "jsonstat";
  return "csv";
}

/** Clock tolerance for a publication time "now" computed by the caller. */
export const PAST_TOLERANCE_MS = 60_000;

class ValidationFailed extends Error {}
class NothingToWrite extends Error {}

/** The values of a stored or file row (both keep their note codes joined with commas). */
type SnapshotSource = Pick<StoredValue, "value" | "numerator" | "denominator" | "lower95" | "upper95" | "noteCodes">;

function snapshot(v: SnapshotSource): ValueSnapshot {
  return {
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    lowerCi: v.lower95,
    upperCi: v.upper95,
    noteCodes: v.noteCodes === "" ? [] : v.noteCodes.split(","),
  };
}

function sameValue(a: ObservationValues, b: StoredValue): boolean {
  return (
    a.value === b.value &&
    a.numerator === b.numerator &&
    a.denominator === b.denominator &&
    a.lower95 === b.lower95 &&
    a.upper95 === b.upper95 &&
    a.noteCodes === b.noteCodes
  );
}

/** Fills `o` with valid row `i` of a chunk (one object reused for every row). */
function readRow(o: ObservationValues, c: ValidatedChunk, i: number, strings: readonly string[]): void {
  const k = i * KEY_FIELDS;
  const keys = c.keys;
  o.measureCode = strings[keys[k + K_MEASURE]!]!;
  o.areaCode = strings[keys[k + K_AREA]!]!;
  o.period = strings[keys[k + K_PERIOD]!]!;
  o.periodEnd = strings[keys[k + K_PERIOD_END]!]!;
  o.breakdown = strings[keys[k + K_BREAKDOWN]!]!;
  o.noteCodes = strings[keys[k + K_NOTES]!]!;
  o.value = chunkNumber(c, i, N_VALUE);
  o.numerator = chunkNumber(c, i, N_NUMERATOR);
  o.denominator = chunkNumber(c, i, N_DENOMINATOR);
  o.lower95 = chunkNumber(c, i, N_LOWER_95);
  o.upper95 = chunkNumber(c, i, N_UPPER_95);
  o.ciSupplied = c.ciSupplied[i] === 1;
}

/**
 * Whether a large CSV file may be validated by two workers sharing it. Each worker costs CPU and memory of its own
 * (compiling, collecting garbage), so two pay only when there are cores to spare: on two cores a dry run gains (this
 * thread only compares), but a real import does not (this thread and the database server keep the second core busy).
 * Not with the embedded database: it works in this thread, which is then the busiest, and its memory leaves no room
 * for a second worker.
 */
function shareValidation(database: Database, dryRun: boolean): boolean {
  const cores = availableParallelism();
  return database.kind !== "pglite" && cores >= (dryRun ? 2 : 3);
}

/**
 * Adds two lists of issues, each in row order, as one list in row order (on the same row, `a`'s first): so the issues
 * of a file come in the same order however it was cut into chunks.
 */
function addInRowOrder(sink: { add(issue: Issue): void }, a: readonly Issue[], b: readonly Issue[]): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.row <= b[j]!.row)) sink.add(a[i++]!);
    else sink.add(b[j++]!);
  }
}

interface History {
  n: number;
  min: number;
  max: number;
  mean: number;
}

/** Warning text when a value is far outside the area's history for the measure, else null. */
export function implausibility(value: number, h: History | undefined): string | null {
  if (!h || h.n < 3) return null;
  const margin = Math.max(h.max - h.min, 0.1 * Math.abs(h.mean), 1e-9);
  if (value >= h.min - margin && value <= h.max + margin) return null;
  return `value ${value} is far outside this area's history for the measure (${h.min} to ${h.max} over ${h.n} periods); check it`;
}

/**
 * Validates the file and, unless `dryRun`, writes it as one batch. Never throws for problems in the file: they are in
 * the summary (`ok: false`). Throws only for unexpected failures (e.g. the database going away), after rolling back.
 */
export async function runImport(database: Database, path: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const issueLimit = options.issueLimit ?? 1000;
  const revisedLimit = options.revisedLimit ?? 1000;
  const counts = emptyCounts();
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const revised: RevisedValue[] = [];
  const perMeasure = new Map<string, number>();
  let lastErrorRow = -1;
  const sink = {
    add(full: Issue) {
      const issue = shortIssue(full);
      options.onIssue?.(issue);
      if (issue.severity === "error") {
        counts.errors++;
        if (issue.row !== lastErrorRow) {
          counts.errorRows++;
          lastErrorRow = issue.row;
        }
        if (errors.length < issueLimit) errors.push(issue);
      } else {
        counts.warnings++;
        if (warnings.length < issueLimit) warnings.push(issue);
      }
    },
  };
  const fileName = options.fileName ?? basename(path);
  let format: ImportFormat = "csv";
  let batch: ImportSummary["batch"] = null;
  const finish = (message: string): ImportSummary => {
    const seconds = (performance.now() - started) / 1000;
    return {
      ok: counts.errors === 0,
      dryRun: options.dryRun,
      file: fileName,
      format,
      batch,
      counts,
      measures: [...perMeasure].map(([code, rows]) => ({ code, rows })).sort((a, b) => a.code.localeCompare(b.code)),
      revised,
      revisedTruncated: counts.revised > revised.length,
      errors,
      warnings,
      errorsTruncated: counts.errors > errors.length,
      warningsTruncated: counts.warnings > warnings.length,
      message,
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: seconds > 0 ? Math.round(counts.rows / seconds) : 0,
    };
  };
  /** A problem with the file as a whole (it stops the reading): the summary's message names it. */
  let fileProblem: string | null = null;
  const fileError = (e: Error & { row?: number }) => {
    const code = e instanceof FileFormatError ? e.code : "file";
    sink.add({ severity: "error", row: e.row ?? 0, column: "", value: "", code, message: e.message });
    fileProblem ??= shortIssue({
      severity: "error",
      row: 0,
      column: "",
      value: "",
      code: "",
      message: e.message,
    }).message;
    return finish(`${fileName}: ${fileProblem}`);
  };

  let table: ValidatedTable;
  const db = database.db;
  try {
    format = detectFormat(path, options.format);
    if (options.publishAt && options.publishAt.getTime() < Date.now() - PAST_TOLERANCE_MS) {
      throw new FileFormatError(
        `the publication time ${options.publishAt.toISOString()} is in the past: data cannot be made public retrospectively (as-at views must stay true)`,
      );
    }
    if (options.source) {
      const known = (await listSources(db)).map((s) => s.code);
      if (!known.includes(options.source)) {
        throw new FileFormatError(`unknown source "${options.source}" (sources: ${known.join(", ") || "none"})`);
      }
    }
    // a validation worker starts while the reference data load
    const reference = loadReferenceData(db);
    table = await openValidatedTable(
      path,
      {
        format,
        mapping: options.mapping,
        measure: options.measure,
        chunkSize: options.chunkSize,
        segmentBytes: options.segmentBytes,
      },
      reference,
      options.validation,
      shareValidation(database, options.dryRun),
    );
  } catch (error) {
    if (error instanceof FileFormatError || error instanceof MappingError) return fileError(error);
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return fileError(new Error(`cannot read ${path}: no such file`));
    throw error;
  }
  for (const issue of table.issues) sink.add(issue);

  const progress = (phase: ImportProgress["phase"], written: number) =>
    options.onProgress?.({
      phase,
      rows: counts.rows,
      written,
      bytesRead: table.bytesRead(),
      totalBytes: table.totalBytes,
      seconds: (performance.now() - started) / 1000,
    });

  const store = new KeyStore();
  const loaded = new Set<string>();
  const history = new Map<string, Map<string, History>>();

  const loadMeasure = async (session: ImportSession, code: string) => {
    loaded.add(code);
    const areas = await session.countRowsByArea(code);
    let group: string[] = [];
    let size = 0;
    const flush = async () => {
      if (group.length === 0) return;
      for (const c of await session.loadCurrent(code, group)) store.putExisting(code, c);
      group = [];
      size = 0;
    };
    for (const a of areas) {
      group.push(a.areaCode);
      size += a.rows;
      if (size >= 50_000) await flush();
    }
    await flush();
    const h = new Map<string, History>();
    for (const r of await session.valueHistory(code)) h.set(r.areaCode, r);
    history.set(code, h);
  };

  let message = "";
  try {
    await withImportSession(database, { commit: !options.dryRun, flushRows: options.flushRows }, async (session) => {
      let batchId: number | null = null;
      const publishAt = options.publish ? (options.publishAt ?? new Date()) : null;
      if (!options.dryRun) {
        batchId = await session.createBatch({
          sourceCode: options.source ?? options.mapping?.source ?? null,
          fileName,
          format,
          status: options.publish ? "published" : "draft",
          publishAt,
          reason: options.reason ?? null,
          createdBy: options.actor.userId,
          publishedBy: options.publish ? options.actor.userId : null,
        });
      }
      const decoder = new ChunkDecoder();
      const strings = decoder.strings;
      const o: ObservationValues = {
        measureCode: "",
        areaCode: "",
        period: "",
        periodEnd: "",
        breakdown: "",
        value: null,
        numerator: null,
        denominator: null,
        lower95: null,
        upper95: null,
        ciSupplied: false,
        noteCodes: "",
      };
      /** Issues found here in the chunk's rows (duplicates, implausible values), added with the chunk's in row order. */
      const found: Issue[] = [];
      for await (const chunk of table.chunks) {
        counts.rows += chunk.rows;
        found.length = 0;
        let blocked = counts.errors > 0 || chunk.issues.some((issue) => issue.severity === "error");
        decoder.accept(chunk);
        const n = chunk.count;
        let checked = -1;
        for (let i = 0; i < n; i++) {
          const m = chunk.keys[i * KEY_FIELDS + K_MEASURE]!;
          if (m === checked) continue;
          checked = m;
          if (!loaded.has(strings[m]!)) await loadMeasure(session, strings[m]!);
        }
        let historyCode: string | null = null;
        let measureHistory: Map<string, History> | undefined;
        for (let i = 0; i < n; i++) {
          readRow(o, chunk, i, strings);
          const row = chunk.row[i]!;
          const state = store.use(o.measureCode, o.areaCode, o.period, o.breakdown, row);
          if (state.seenAt !== 0) {
            blocked = true;
            found.push({
              severity: "error",
              row,
              column: "",
              value: `${o.measureCode} ${o.areaCode} ${o.period} ${o.breakdown}`,
              code: "duplicate_row",
              message: `duplicate row: row ${state.seenAt} already gives ${o.measureCode} for ${o.areaCode}, ${o.period}, ${o.breakdown}`,
            });
            continue;
          }
          counts.valid++;
          perMeasure.set(o.measureCode, (perMeasure.get(o.measureCode) ?? 0) + 1);
          if (o.value !== null && o.breakdown === "total") {
            if (o.measureCode !== historyCode) {
              historyCode = o.measureCode;
              measureHistory = history.get(historyCode);
            }
            const warning = implausibility(o.value, measureHistory?.get(o.areaCode));
            if (warning) {
              found.push({
                severity: "warning",
                row,
                column: "value",
                value: chunkValueText(chunk, i),
                code: "implausible_value",
                message: warning,
              });
            }
          }
          const current = "current" in state ? state.current : null;
          const exists = isLive(current);
          if (exists && sameValue(o, current)) {
            counts.unchanged++;
            continue;
          }
          if (exists) {
            counts.revised++;
            if (revised.length < revisedLimit) {
              revised.push({
                row,
                measureCode: o.measureCode,
                areaCode: o.areaCode,
                period: o.period,
                breakdown: o.breakdown,
                old: snapshot(current as StoredValue),
                new: snapshot(o),
              });
            }
          } else counts.new++;
          if (batchId !== null && !blocked) {
            session.append(o, (current?.maxRevision ?? 0) + 1, current?.id ?? null);
          }
        }
        addInRowOrder(sink, chunk.issues, found);
        await session.flushIfFull();
        progress("reading", session.written);
      }
      if (counts.rows === 0 && counts.errors === 0) {
        throw new FileFormatError(
          format === "jsonstat"
            ? "the dataset has no values: nothing to import"
            : "the file has a header row but no rows of data below it: nothing to import",
          0,
          "no_rows",
        );
      }
      if (counts.errors > 0) throw new ValidationFailed();
      if (batchId === null) return;
      if (counts.new + counts.revised === 0) throw new NothingToWrite();
      await session.finishBatch(batchId, {
        rows: counts.rows,
        new: counts.new,
        revised: counts.revised,
        unchanged: counts.unchanged,
        warnings: counts.warnings,
      });
      await session.audit({
        userId: options.actor.userId,
        actor: options.actor.name,
        action: "import",
        entity: "import_batch",
        entityKey: String(batchId),
        after: { file: fileName, format, counts, status: options.publish ? "published" : "draft", publishAt },
      });
      batch = {
        id: batchId,
        status: options.publish ? "published" : "draft",
        publishAt: publishAt?.toISOString() ?? null,
      };
    });
  } catch (error) {
    if (error instanceof FileFormatError) {
      fileError(error);
    } else if (!(error instanceof ValidationFailed) && !(error instanceof NothingToWrite)) {
      throw error;
    }
  } finally {
    await table.close();
  }
  progress("done", batch ? counts.new + counts.revised : 0);
  const changes = `${counts.new} new, ${counts.revised} revised, ${counts.unchanged} unchanged`;
  if (fileProblem !== null) {
    const others = counts.errors - 1;
    message = `${fileName}: ${fileProblem}${others > 0 ? ` (and ${others} other error${others === 1 ? "" : "s"})` : ""}; nothing imported`;
  } else if (counts.errors > 0) {
    message = `${fileName}: ${counts.errors} error${counts.errors === 1 ? "" : "s"} in ${counts.errorRows} row${counts.errorRows === 1 ? "" : "s"}; nothing imported`;
  } else if (options.dryRun) {
    message = `${fileName}: valid, ${counts.rows} rows (${changes}); dry run, nothing written`;
  } else if (!batch) {
    message = `${fileName}: nothing to import, all ${counts.unchanged} values are unchanged`;
  } else {
    const b = batch as NonNullable<ImportSummary["batch"]>;
    const state =
      b.status === "published"
        ? b.publishAt && new Date(b.publishAt).getTime() > Date.now()
          ? `published under embargo until ${b.publishAt}`
          : "published"
        : "draft (publish with omf batch publish)";
    message = `${fileName}: imported ${counts.rows} rows as batch ${b.id} (${changes}); ${state}`;
  }
  return finish(message);
}
