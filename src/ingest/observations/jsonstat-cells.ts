/**
 * The large members of a JSON-stat dataset — `value` and `status` — read in bounded memory. The first pass over the
 * file (read-jsonstat.ts) leaves a `LargeMember` in their place: where the array or object starts, how many
 * entries it has and whether its indices come in increasing order. The rows are then made by cursors that return the
 * cell at a value index k:
 *
 * - a `StreamCursor` parses the member straight from the file, in small batches, when the cells are asked for in
 *   increasing k and the member gives them in increasing k (an array, or an object with sorted keys): no copy;
 * - otherwise (a statistic dimension that is not the last, or a sparse object in another order) the member is first
 *   copied to a temporary file of fixed-size records indexed by k (`spill`) that `SpillCursor`s read block by block.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { type FileHandle, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type JsonHandler, type JsonScalar, JsonStreamParser, TreeBuilder } from "./json-stream.ts";

/** An array or object member left unread by the first pass. */
export class LargeMember {
  /** Entries (array elements or object members). */
  count = 0;
  /** Indices in strictly increasing order (always for an array; objects: the keys that are indices). */
  sorted = true;
  private last = -1;
  constructor(
    readonly kind: "array" | "object",
    /** Byte offset of the "[" or "{". */
    readonly start: number,
  ) {}

  /** Notes an object key (first pass). */
  noteKey(name: string): void {
    this.count++;
    const k = indexKey(name);
    if (k < 0) return;
    if (k <= this.last) this.sorted = false;
    this.last = k;
  }
}

/** The value index an object key names, as `object[String(k)]` would find it; -1 when none. */
export function indexKey(name: string): number {
  const k = Number(name);
  return Number.isSafeInteger(k) && k >= 0 && String(k) === name ? k : -1;
}

/** Reads the entries of a LargeMember as (index, value) pairs in file order, a batch at a time. */
class MemberReader implements JsonHandler {
  /** The current batch: values, and their indices (an array's are `first`, `first + 1`…, and `ks` stays empty). */
  ks: number[] = [];
  vs: unknown[] = [];
  first = 0;
  readonly dense: boolean;
  private parser: JsonStreamParser;
  private pos: number;
  private buf: Buffer;
  private index = 0;
  private currentKey = -1;
  private nested: TreeBuilder | null = null;
  private finished = false;

  constructor(
    private readonly file: FileHandle,
    private readonly member: LargeMember,
    readBytes: number,
  ) {
    this.dense = member.kind === "array";
    this.pos = member.start;
    this.buf = Buffer.allocUnsafe(readBytes);
    this.parser = new JsonStreamParser(this, { offset: member.start, single: true });
  }

  /** Replaces the batch with the next entries; false when there are none left. */
  async next(): Promise<boolean> {
    this.ks.length = 0;
    this.vs.length = 0;
    this.first = this.index;
    while (this.vs.length === 0 && !this.finished) {
      const { bytesRead } = await this.file.read(this.buf, 0, this.buf.length, this.pos);
      if (bytesRead === 0) throw new Error(`the file ended inside the JSON-stat ${this.member.kind} (was it changed?)`);
      this.pos += bytesRead;
      this.parser.feed(bytesRead === this.buf.length ? this.buf : this.buf.subarray(0, bytesRead));
      this.finished = this.parser.done;
    }
    return this.vs.length > 0;
  }

  private emit(value: unknown): void {
    if (this.dense) {
      this.index++;
      this.vs.push(value);
    } else if (this.currentKey >= 0) {
      this.ks.push(this.currentKey);
      this.vs.push(value);
    }
  }
  /** Index of the i-th value of the batch. */
  indexAt(i: number): number {
    return this.dense ? this.first + i : this.ks[i]!;
  }
  startObject(): void {
    this.open(true);
  }
  startArray(): void {
    this.open(false);
  }
  private open(object: boolean): void {
    if (this.parser.depth === 1) return; // the member itself
    if (this.parser.depth === 2) this.nested = new TreeBuilder();
    if (object) this.nested!.startObject();
    else this.nested!.startArray();
  }
  endObject(): void {
    this.close(true);
  }
  endArray(): void {
    this.close(false);
  }
  private close(object: boolean): void {
    if (this.parser.depth === 0) return;
    if (object) this.nested!.endObject();
    else this.nested!.endArray();
    if (this.parser.depth === 1) {
      this.emit(this.nested!.root);
      this.nested = null;
    }
  }
  key(name: string): void {
    if (this.parser.depth === 1) this.currentKey = indexKey(name);
    else this.nested!.key(name);
  }
  value(value: JsonScalar | undefined): void {
    if (this.parser.depth === 1) this.emit(value);
    else this.nested!.value(value);
  }
}

/** The cell at value index k. Each cursor is asked for indices in nondecreasing order. */
export interface CellCursor {
  /** Whether `get(k)` can answer now; if not, `await advance(k)` first. */
  ready(k: number): boolean;
  advance(k: number): Promise<void>;
  /** The raw value, or undefined when the member has none at k. */
  get(k: number): unknown;
}

/** Answers from a function of k (a member that was small enough to keep). */
export class FunctionCursor implements CellCursor {
  constructor(private readonly at: (k: number) => unknown) {}
  ready(): boolean {
    return true;
  }
  async advance(): Promise<void> {}
  get(k: number): unknown {
    return this.at(k);
  }
}

/** Parses the member from the file as the cells are asked for (indices in increasing order in the member). */
export class StreamCursor implements CellCursor {
  private reader: MemberReader;
  private i = 0;
  private last = -1; // last index of the batch
  private exhausted = false;

  constructor(file: FileHandle, member: LargeMember, readBytes: number) {
    this.reader = new MemberReader(file, member, readBytes);
  }
  ready(k: number): boolean {
    return this.exhausted || this.last >= k;
  }
  async advance(k: number): Promise<void> {
    while (!this.exhausted && this.last < k) {
      if (await this.reader.next()) {
        this.i = 0;
        this.last = this.reader.indexAt(this.reader.vs.length - 1);
      } else this.exhausted = true;
    }
  }
  get(k: number): unknown {
    const { reader } = this;
    if (reader.dense) return k >= reader.first ? reader.vs[k - reader.first] : undefined;
    const ks = reader.ks;
    let i = this.i;
    while (i < ks.length && ks[i]! < k) i++;
    this.i = i;
    return i < ks.length && ks[i] === k ? reader.vs[i] : undefined;
  }
}

// Spill records: a tag byte and 8 bytes. Never-written records read back as zeros: no value.
const REC = 9;
const ABSENT = 0;
const NUMBER = 1;
const INTERNED = 2; // uint32 index into the in-memory list of strings
const SIDE = 3; // float64 offset of a uint32 length and the UTF-8 bytes in the side file
const BLOCK = 4096; // records per block read or written
const MAX_INTERNED_CHARS = 1 << 22;

/** A member copied to fixed-size records indexed by k. */
export class Spill {
  /** Distinct strings kept in memory; more go to the side file (tests lower it). */
  static maxInterned = 1 << 16;
  private strings: string[] = [];
  private interned = new Map<string, number>();
  private internedChars = 0;
  private fd: number;
  private side: number;
  private sideSize = 0;
  // write buffer: one block, of which records [low, high] were touched
  private run = Buffer.alloc(REC * BLOCK);
  private block = -1;
  private low = BLOCK;
  private high = -1;

  private constructor(
    readonly path: string,
    private readonly sorted: boolean,
  ) {
    this.fd = openSync(path, "w+");
    this.side = openSync(`${path}.side`, "w+");
  }

  /**
   * Copies a member: `encode` turns a raw value into what the record keeps (a number, a string, or undefined for no
   * value); indices at or past `limit` are never asked for and are dropped.
   */
  static async create(
    dir: string,
    name: string,
    file: FileHandle,
    member: LargeMember,
    limit: number,
    encode: (raw: unknown) => number | string | undefined,
    readBytes: number,
  ): Promise<Spill> {
    const spill = new Spill(join(dir, name), member.sorted);
    const reader = new MemberReader(file, member, readBytes);
    while (await reader.next()) {
      const { vs } = reader;
      for (let i = 0; i < vs.length; i++) {
        const k = reader.indexAt(i);
        if (k < limit) spill.put(k, encode(vs[i]));
      }
    }
    spill.flush();
    return spill;
  }

  private put(k: number, value: number | string | undefined): void {
    // Records are written a block at a time. A sorted member never comes back to a block; for any other the block
    // is read back first, so that records written before survive (and the last of repeated keys wins, as in
    // JSON.parse).
    const block = Math.floor(k / BLOCK);
    if (block !== this.block) {
      this.flush();
      this.block = block;
      if (this.sorted) this.run.fill(0);
      else this.readBlock(block, this.run);
    }
    const index = k - block * BLOCK;
    if (index < this.low) this.low = index;
    if (index > this.high) this.high = index;
    const at = index * REC;
    if (value === undefined) {
      this.run[at] = ABSENT;
      this.run.writeDoubleLE(0, at + 1);
    } else if (typeof value === "number") {
      this.run[at] = NUMBER;
      this.run.writeDoubleLE(value, at + 1);
    } else {
      let id = this.interned.get(value);
      if (id === undefined && this.strings.length < Spill.maxInterned && this.internedChars < MAX_INTERNED_CHARS) {
        id = this.strings.length;
        this.strings.push(value);
        this.interned.set(value, id);
        this.internedChars += value.length;
      }
      if (id !== undefined) {
        this.run[at] = INTERNED;
        this.run.writeUInt32LE(id, at + 1);
        this.run.writeUInt32LE(0, at + 5);
      } else {
        const bytes = Buffer.from(value, "utf8");
        const head = Buffer.alloc(4);
        head.writeUInt32LE(bytes.length);
        writeSync(this.side, head, 0, 4, this.sideSize);
        writeSync(this.side, bytes, 0, bytes.length, this.sideSize + 4);
        this.run[at] = SIDE;
        this.run.writeDoubleLE(this.sideSize, at + 1);
        this.sideSize += 4 + bytes.length;
      }
    }
  }

  private flush(): void {
    if (this.high >= this.low) {
      const from = this.low * REC;
      writeSync(this.fd, this.run, from, (this.high + 1) * REC - from, this.block * BLOCK * REC + from);
    }
    this.low = BLOCK;
    this.high = -1;
  }

  /** Reads a block of records into `into`; missing records (past the end) read as zeros. */
  readBlock(block: number, into: Buffer): void {
    const { length } = into;
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, into, got, length - got, block * length + got);
      if (n === 0) break;
      got += n;
    }
    into.fill(0, got);
  }

  decode(buf: Buffer, at: number): number | string | undefined {
    switch (buf[at]) {
      case NUMBER:
        return buf.readDoubleLE(at + 1);
      case INTERNED:
        return this.strings[buf.readUInt32LE(at + 1)];
      case SIDE: {
        const offset = buf.readDoubleLE(at + 1);
        const head = Buffer.alloc(4);
        readSync(this.side, head, 0, 4, offset);
        const bytes = Buffer.alloc(head.readUInt32LE(0));
        readSync(this.side, bytes, 0, bytes.length, offset + 4);
        return bytes.toString("utf8");
      }
      default:
        return undefined;
    }
  }

  cursor(): CellCursor {
    return new SpillCursor(this);
  }

  close(): void {
    closeSync(this.fd);
    closeSync(this.side);
  }
}

/** Reads a spill a block at a time (any order; each cursor keeps one block). */
class SpillCursor implements CellCursor {
  private buf = Buffer.alloc(REC * BLOCK);
  private block = -1;
  constructor(private readonly spill: Spill) {}
  ready(k: number): boolean {
    return Math.floor(k / BLOCK) === this.block;
  }
  async advance(k: number): Promise<void> {
    this.block = Math.floor(k / BLOCK);
    this.spill.readBlock(this.block, this.buf);
  }
  get(k: number): unknown {
    return this.spill.decode(this.buf, (k - this.block * BLOCK) * REC);
  }
}

/** A temporary directory for spills, removed by `close`. */
export async function spillDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), "omf-jsonstat-"));
}
export async function removeSpillDirectory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
