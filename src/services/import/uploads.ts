/**
 * Uploaded files waiting between preview and confirmation (web upload). Each upload is a folder under the system
 * temp dir holding the file, its settings, the dry-run summary and the full list of problems as CSV. Folders are
 * private to the user who uploaded them and removed after confirmation or after a day.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify/sync";
import { type Config, setting } from "../../config.ts";
import { formulaSafeText } from "../../domain/formula-safe.ts";
import type { Issue } from "../../ingest/observations/types.ts";
import type { ImportFormat } from "./run-import.ts";
import type { ImportSummary } from "./summary.ts";

export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

export interface UploadSettings {
  userId: number;
  fileName: string;
  format: ImportFormat | undefined;
  measure: string | undefined;
  source: string | undefined;
  reason: string | undefined;
  hasMapping: boolean;
  createdAt: string;
}

export function uploadsRoot(): string {
  return setting("OMF_UPLOAD_DIR") ?? join(tmpdir(), "omf-uploads");
}

const ID = /^[a-f0-9]{32}$/;

export function isUploadId(id: string): boolean {
  return ID.test(id);
}

export function uploadDir(id: string): string {
  if (!isUploadId(id)) throw new Error("bad upload id");
  return join(uploadsRoot(), id);
}

/** Keeps the extension (it decides the format) but never the user's file name on disk. */
export function uploadFilePath(id: string, fileName: string): string {
  const ext = extname(fileName)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, "");
  return join(uploadDir(id), `data${ext || ".csv"}`);
}

/** Creates an empty upload folder; returns its id. Removes folders older than a day on the way. */
export async function createUpload(): Promise<string> {
  await removeOldUploads();
  const id = randomBytes(16).toString("hex");
  await mkdir(uploadDir(id), { recursive: true, mode: 0o700 });
  return id;
}

/** Streams a file into the upload folder (bounded memory); returns the bytes written. */
export async function saveUploadStream(path: string, stream: Readable): Promise<number> {
  await pipeline(stream, createWriteStream(path, { mode: 0o600 }));
  return (await stat(path)).size;
}

export async function writeSettings(id: string, settings: UploadSettings): Promise<void> {
  await writeFile(join(uploadDir(id), "settings.json"), JSON.stringify(settings));
}

export async function readSettings(id: string): Promise<UploadSettings | null> {
  try {
    return JSON.parse(await readFile(join(uploadDir(id), "settings.json"), "utf8")) as UploadSettings;
  } catch {
    return null;
  }
}

export async function writeSummary(id: string, summary: ImportSummary): Promise<void> {
  await writeFile(join(uploadDir(id), "summary.json"), JSON.stringify(summary));
}

export async function readSummary(id: string): Promise<ImportSummary | null> {
  try {
    return JSON.parse(await readFile(join(uploadDir(id), "summary.json"), "utf8")) as ImportSummary;
  } catch {
    return null;
  }
}

export function mappingPath(id: string): string {
  return join(uploadDir(id), "mapping.yaml");
}

export function issuesPath(id: string): string {
  return join(uploadDir(id), "problems.csv");
}

export const ISSUE_COLUMNS = ["severity", "row", "column", "value", "code", "message"] as const;

/** Collects every problem of a run into problems.csv (all of them, not only those shown on the page). */
export function issueCsvWriter(id: string): { add(issue: Issue): void; close(): Promise<void> } {
  const out = createWriteStream(issuesPath(id), { mode: 0o600 });
  out.write(`\uFEFF${stringify([ISSUE_COLUMNS as unknown as string[]])}`);
  return {
    add(issue) {
      // Every column but the row number is text from (or about) the uploaded file: neutralised against formulas.
      const [severity, column, value, code, message] = [
        issue.severity,
        issue.column,
        issue.value,
        issue.code,
        issue.message,
      ].map(formulaSafeText);
      out.write(stringify([[severity, issue.row, column, value, code, message]]));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        out.on("error", reject);
        out.end(resolve);
      }),
  };
}

export async function removeUpload(id: string): Promise<void> {
  await rm(uploadDir(id), { recursive: true, force: true });
}

/** Removes the uploaded file and mapping of an upload, keeping its settings, summary and problems (for the preview). */
export async function removeUploadedFiles(id: string, settings: UploadSettings): Promise<void> {
  await rm(uploadFilePath(id, settings.fileName), { force: true });
  await rm(mappingPath(id), { force: true });
}

export async function removeOldUploads(now = Date.now()): Promise<void> {
  const root = uploadsRoot();
  if (!existsSync(root)) return;
  for (const name of await readdir(root)) {
    if (!isUploadId(name)) continue;
    try {
      const s = await stat(join(root, name));
      if (now - s.mtimeMs > UPLOAD_TTL_MS) await rm(join(root, name), { recursive: true, force: true });
    } catch {
      // already gone
    }
  }
}

/** The uploads service (see the composition root): the functions above, and the largest upload accepted. */
export function createUploads(config: Pick<Config, "maxUploadBytes">) {
  return {
    /** Largest upload accepted, in bytes (`OMF_MAX_UPLOAD_MB`). */
    maxBytes: config.maxUploadBytes,
    create: createUpload,
    isId: isUploadId,
    filePath: uploadFilePath,
    mappingPath,
    issuesPath,
    saveStream: saveUploadStream,
    writeSettings,
    readSettings,
    writeSummary,
    readSummary,
    issueWriter: issueCsvWriter,
    remove: removeUpload,
    /** Removes an upload's file (and mapping), keeping its settings, summary and problems for the preview. */
    removeFiles: removeUploadedFiles,
  };
}
