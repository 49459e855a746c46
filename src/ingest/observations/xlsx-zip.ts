/**
 * The zip container of an XLSX workbook, checked before the spreadsheet library reads it. A workbook is a zip archive
 * of XML parts; a damaged or hostile one could make the library hang, fail with an unexplained error or inflate a
 * zip bomb into memory. So the central directory is read first: too many parts, a part that would unzip to more than
 * {@link MAX_XLSX_UNZIPPED_BYTES} (all parts together) or more than {@link MAX_XLSX_RATIO} times its zipped size, an
 * encrypted part or an unknown compression is refused before anything is inflated. Then every part the reader needs
 * is inflated once, counting bytes (never more than its directory entry says) and checking its CRC. What the library
 * then reads is a clean archive of only those parts, in the order it reads best: the relationships, the workbook, the
 * shared strings (an empty list when the workbook has none) and the styles before the worksheets, so that it never
 * has to park a worksheet in a temporary file.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { crc32, createInflateRaw } from "node:zlib";
import { excerpt, MAX_XLSX_ENTRIES, MAX_XLSX_RATIO, MAX_XLSX_UNZIPPED_BYTES } from "./limits.ts";
import { FileFormatError } from "./types.ts";

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Where the zipped data begins (after the local header). */
  dataOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const NOT_XLSX = "the file is not an XLSX workbook";

function damaged(detail: string): FileFormatError {
  return new FileFormatError(
    `the workbook is damaged (${detail}): open it in Excel and save it again as an .xlsx workbook, or save the data as CSV UTF-8`,
    0,
    "xlsx_damaged",
  );
}

const mb = (bytes: number) => `${(bytes / 1048576).toLocaleString("en-GB", { maximumFractionDigits: 1 })} MB`;

/** The parts the reader needs, in the order it should read them; null for a part that is not needed. */
function rank(name: string): number | null {
  if (name === "xl/_rels/workbook.xml.rels") return 0;
  if (name === "xl/workbook.xml") return 1;
  if (name === "xl/sharedStrings.xml") return 2;
  if (name === "xl/styles.xml") return 3;
  if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) return 4;
  return null;
}

async function readAt(handle: Awaited<ReturnType<typeof open>>, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** Reads and checks the central directory and the local headers of the parts the reader needs. */
async function readDirectory(path: string): Promise<{ entries: ZipEntry[]; fileSize: number }> {
  const handle = await open(path, "r");
  try {
    const fileSize = (await handle.stat()).size;
    const head = await readAt(handle, 0, 4);
    if (head.length < 4 || head.readUInt32LE(0) !== LOCAL) {
      throw new FileFormatError(
        `${NOT_XLSX}: it is not a zip archive (is it a CSV or an old .xls file? Save it as .xlsx or as CSV UTF-8)`,
        0,
        "xlsx_damaged",
      );
    }
    const tailLength = Math.min(fileSize, 22 + 65535);
    const tail = await readAt(handle, fileSize - tailLength, tailLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw damaged("the end of its zip directory is missing: the file may be cut short");
    const count = tail.readUInt16LE(at + 10);
    const directorySize = tail.readUInt32LE(at + 12);
    const directoryOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || directoryOffset === 0xffffffff) {
      throw new FileFormatError(
        `${NOT_XLSX} this program can read: it is a ZIP64 archive (over 4 GB); save the data as CSV`,
      );
    }
    if (count > MAX_XLSX_ENTRIES) {
      throw new FileFormatError(
        `the workbook has ${count.toLocaleString("en-GB")} parts, and a workbook may have at most ${MAX_XLSX_ENTRIES.toLocaleString("en-GB")}`,
        0,
        "xlsx_too_large",
      );
    }
    const eocdPosition = fileSize - tailLength + at;
    if (directoryOffset + directorySize > eocdPosition) throw damaged("its zip directory is out of place");
    const dir = await readAt(handle, directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    const names = new Set<string>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw damaged("its zip directory is corrupt");
      const nameLength = dir.readUInt16LE(p + 28);
      const next = p + 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
      if (next > dir.length) throw damaged("its zip directory is corrupt");
      const name = dir.toString("utf8", p + 46, p + 46 + nameLength);
      if (names.has(name)) throw damaged(`the part ${excerpt(name, 60)} appears twice`);
      names.add(name);
      entries.push({
        name,
        flags: dir.readUInt16LE(p + 8),
        method: dir.readUInt16LE(p + 10),
        crc: dir.readUInt32LE(p + 16),
        compressedSize: dir.readUInt32LE(p + 20),
        size: dir.readUInt32LE(p + 24),
        localOffset: dir.readUInt32LE(p + 42),
        dataOffset: 0,
      });
      p = next;
    }
    const needed = entries.filter((e) => rank(e.name) !== null);
    let total = 0;
    for (const e of needed) {
      if (e.flags & 1)
        throw new FileFormatError(
          "the workbook is encrypted (protected by a password): remove the password and save it again",
          0,
          "xlsx_damaged",
        );
      if (e.method !== 0 && e.method !== 8)
        throw damaged(`the part ${e.name} uses an unknown compression (method ${e.method})`);
      if (e.size === 0xffffffff || e.compressedSize === 0xffffffff) {
        throw new FileFormatError(
          `${NOT_XLSX} this program can read: it is a ZIP64 archive (over 4 GB); save the data as CSV`,
        );
      }
      if (e.method === 0 && e.size !== e.compressedSize) throw damaged(`the part ${e.name} has two different sizes`);
      if (e.size > 1048576 && e.size / Math.max(e.compressedSize, 1) > MAX_XLSX_RATIO) {
        throw new FileFormatError(
          `the workbook's part ${e.name} would unzip from ${mb(e.compressedSize)} to ${mb(e.size)}, more than ${MAX_XLSX_RATIO} times its size: it is refused as a possible zip bomb`,
          0,
          "xlsx_too_large",
        );
      }
      total += e.size;
      if (total > MAX_XLSX_UNZIPPED_BYTES) {
        throw new FileFormatError(
          `the workbook would unzip to more than ${mb(MAX_XLSX_UNZIPPED_BYTES)} (the most a workbook may hold): save the data as CSV UTF-8, or split it into smaller workbooks`,
          0,
          "xlsx_too_large",
        );
      }
      const local = await readAt(handle, e.localOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL)
        throw damaged(`the part ${e.name} is not where the zip directory says`);
      const localName = await readAt(handle, e.localOffset + 30, local.readUInt16LE(26));
      if (localName.toString("utf8") !== e.name)
        throw damaged(`the part ${e.name} is not where the zip directory says`);
      e.dataOffset = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (e.dataOffset + e.compressedSize > directoryOffset)
        throw damaged(`the part ${e.name} runs past the end of the data`);
    }
    return { entries: needed, fileSize };
  } finally {
    await handle.close();
  }
}

/** Inflates a part once, refusing more bytes than its directory entry says, and checks its size and CRC. */
async function verify(path: string, e: ZipEntry): Promise<void> {
  if (e.compressedSize === 0) {
    if (e.size !== 0) throw damaged(`the part ${e.name} is empty`);
    return;
  }
  const raw = createReadStream(path, { start: e.dataOffset, end: e.dataOffset + e.compressedSize - 1 });
  const data = e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  let bytes = 0;
  let crc = 0;
  try {
    for await (const chunk of data) {
      bytes += (chunk as Buffer).length;
      if (bytes > e.size)
        throw damaged(`the part ${e.name} unzips to more than the ${e.size.toLocaleString("en-GB")} bytes it declares`);
      crc = crc32(chunk as Buffer, crc);
    }
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw damaged(`the part ${e.name} cannot be unzipped: ${excerpt((error as Error).message, 80)}`);
  } finally {
    raw.destroy();
    if (data !== raw) (data as ReturnType<typeof createInflateRaw>).destroy();
  }
  if (bytes !== e.size || crc >>> 0 !== e.crc >>> 0) throw damaged(`the part ${e.name} does not match its checksum`);
}

const EMPTY_STRINGS = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

function localHeader(e: ZipEntry, name: Buffer): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(LOCAL, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(e.flags & 0x800, 6); // keep only "the name is UTF-8"; sizes are in this header
  h.writeUInt16LE(e.method, 8);
  h.writeUInt32LE(e.crc >>> 0, 14);
  h.writeUInt32LE(e.compressedSize, 18);
  h.writeUInt32LE(e.size, 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

function centralHeader(e: ZipEntry, name: Buffer, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(CENTRAL, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(e.flags & 0x800, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt32LE(e.crc >>> 0, 16);
  h.writeUInt32LE(e.compressedSize, 20);
  h.writeUInt32LE(e.size, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, name]);
}

export interface WorkbookStream {
  stream: Readable;
  /** Bytes of the clean archive given to the reader so far, and in all. */
  bytesRead(): number;
  totalBytes: number;
}

/**
 * Checks the workbook at `path` (see the file header) and returns the clean archive of the parts the reader needs;
 * throws a {@link FileFormatError} naming the problem.
 */
export async function openWorkbookZip(path: string): Promise<WorkbookStream> {
  const { entries } = await readDirectory(path);
  if (
    !entries.some((e) => e.name === "xl/workbook.xml") ||
    !entries.some((e) => e.name === "xl/_rels/workbook.xml.rels")
  ) {
    throw new FileFormatError(
      `${NOT_XLSX}: the workbook part (xl/workbook.xml and its relationships) is missing; is it another kind of zip file?`,
      0,
      "xlsx_damaged",
    );
  }
  if (!entries.some((e) => rank(e.name) === 4))
    throw new FileFormatError("the workbook has no worksheets", 0, "xlsx_damaged");
  for (const e of entries) await verify(path, e);
  const parts: { entry: ZipEntry; data: Buffer | null }[] = entries.map((entry) => ({ entry, data: null }));
  if (!entries.some((e) => e.name === "xl/sharedStrings.xml")) {
    const entry: ZipEntry = {
      name: "xl/sharedStrings.xml",
      flags: 0,
      method: 0,
      crc: crc32(EMPTY_STRINGS),
      compressedSize: EMPTY_STRINGS.length,
      size: EMPTY_STRINGS.length,
      localOffset: 0,
      dataOffset: 0,
    };
    parts.push({ entry, data: EMPTY_STRINGS });
  }
  // stable: worksheets keep their order in the file
  const ordered = parts
    .map((p, i) => ({ ...p, i }))
    .sort((a, b) => rank(a.entry.name)! - rank(b.entry.name)! || a.i - b.i);
  let totalBytes = 22;
  for (const { entry } of ordered) {
    const n = Buffer.byteLength(entry.name);
    totalBytes += 30 + n + entry.compressedSize + 46 + n;
  }
  let sent = 0;
  async function* bytes(): AsyncGenerator<Buffer> {
    const central: Buffer[] = [];
    for (const { entry, data } of ordered) {
      const name = Buffer.from(entry.name);
      central.push(centralHeader(entry, name, sent));
      const header = localHeader(entry, name);
      sent += header.length;
      yield header;
      if (data) {
        sent += data.length;
        yield data;
      } else if (entry.compressedSize > 0) {
        const raw = createReadStream(path, {
          start: entry.dataOffset,
          end: entry.dataOffset + entry.compressedSize - 1,
          highWaterMark: 256 * 1024,
        });
        for await (const chunk of raw) {
          sent += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
      }
    }
    const directoryOffset = sent;
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(EOCD, 0);
    end.writeUInt16LE(central.length, 8);
    end.writeUInt16LE(central.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(directoryOffset, 16);
    sent += directory.length + end.length;
    yield directory;
    yield end;
  }
  return { stream: Readable.from(bytes(), { objectMode: false }), bytesRead: () => sent, totalBytes };
}
