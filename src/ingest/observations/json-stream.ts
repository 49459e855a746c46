/**
 * A compact incremental JSON parser over bytes (UTF-8): feed it chunks of any size and it calls a handler per token
 * (start/end of object or array, member name, scalar value), validating the grammar as strictly as `JSON.parse`.
 * Memory is bounded by the longest single string or number, not by the document. Byte offsets of tokens are
 * exposed (`tokenStart`) so that a caller can come back later and parse just one member (see jsonstat-cells.ts), and
 * errors name the byte offset (`describeOffset` turns it into a line and column).
 */
import { open } from "node:fs/promises";

export type JsonScalar = string | number | boolean | null;

/** Receives tokens. `parser.depth` is the number of open containers *after* the token (so 1 inside the root). */
export interface JsonHandler {
  startObject(): void;
  endObject(): void;
  startArray(): void;
  endArray(): void;
  key(name: string): void;
  /** A scalar; `undefined` for strings and numbers while the parser's `decode` is off (they are still validated). */
  value(value: JsonScalar | undefined): void;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    /** Byte offset in the input of the offending character (the input's length for an unexpected end). */
    readonly offset: number,
  ) {
    super(`${reason} at byte ${offset}`);
  }
}

// what may come next
const VALUE = 0; // a value (the root, after ":" or after "," in an array)
const VALUE_OR_END = 1; // after "["
const KEY_OR_END = 2; // after "{"
const KEY = 3; // after "," in an object
const COLON = 4;
const COMMA_OR_END = 5;
const DONE = 6; // the root value is complete
// the token being read across chunk boundaries
const NONE = 0;
const STRING = 1;
const NUMBER = 2;
const LITERAL = 3;

const EXPECTED = [
  "a value",
  'a value or "]"',
  'a quoted member name or "}"',
  "a quoted member name",
  '":"',
  "", // COMMA_OR_END: depends on the container
  "the end of the input",
];
// number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
const N_START = 0;
const N_MINUS = 1;
const N_ZERO = 2;
const N_INT = 3;
const N_DOT = 4;
const N_FRAC = 5;
const N_E = 6;
const N_EXP_SIGN = 7;
const N_EXP = 8;
const N_BAD = 9;
const POWERS_OF_TEN = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];
const LITERAL_NAMES = ["true", "false", "null"];
const LITERALS = LITERAL_NAMES.map((s) => Buffer.from(s));
const LITERAL_VALUES = [true, false, null];

function latin1(chunk: Uint8Array, from: number, to: number): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset + from, to - from).toString("latin1");
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
function show(c: number): string {
  if (c >= 0x21 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  if (c === 0x20) return "a space";
  if (c < 0x20) return `control character 0x${c.toString(16).padStart(2, "0")}`;
  return "a non-ASCII character";
}

export class JsonStreamParser {
  /** Number of open objects/arrays. */
  depth = 0;
  /** Byte offset of the first byte of the current token. */
  tokenStart = 0;
  /** When false, strings (other than member names) and numbers are validated but not decoded. */
  decode = true;
  /** True once the root value is complete. */
  done = false;

  private stack: number[] = []; // 1 object, 2 array
  private state = VALUE;
  private token = NONE;
  private base: number; // byte offset of the current chunk
  private isKey = false;
  private parts: Buffer[] = [];
  private escape = 0; // 1 after a backslash, 2..5 hex digits of \u still to come
  private hasEscape = false;
  private numberText = ""; // the text of a number so far when it crosses chunks
  private numberState = N_START;
  private negative = false;
  private mantissa = 0;
  private digits = 0;
  private fractionDigits = 0;
  private exponent = 0;
  private negativeExponent = false;
  private crossed = false;
  private literal = 0;
  private literalPos = 0;
  private bomChecked: boolean;
  private readonly single: boolean;

  constructor(
    private readonly handler: JsonHandler,
    options: {
      /** Byte offset of the first chunk in the file (for offsets). */
      offset?: number;
      /** Stop at the end of the root value instead of requiring the rest of the input to be white space. */
      single?: boolean;
    } = {},
  ) {
    this.base = options.offset ?? 0;
    this.single = options.single ?? false;
    this.bomChecked = this.base !== 0;
  }

  /** Parses a chunk. With `single`, returns the index in the chunk just after the root value once it is complete. */
  feed(chunk: Uint8Array): number {
    const n = chunk.length;
    let i = 0;
    if (!this.bomChecked && n > 0) {
      this.bomChecked = true;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    while (i < n) {
      if (this.done && this.single) {
        this.base += i;
        return i;
      }
      if (this.token !== NONE) {
        if (this.token === STRING) i = this.readString(chunk, i);
        else if (this.token === NUMBER) i = this.readNumber(chunk, i, false);
        else i = this.readLiteral(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      this.tokenStart = this.base + i;
      switch (c) {
        case 0x7b: // {
          this.expectValue(c);
          this.stack.push(1);
          this.depth++;
          this.state = KEY_OR_END;
          this.handler.startObject();
          break;
        case 0x5b: // [
          this.expectValue(c);
          this.stack.push(2);
          this.depth++;
          this.state = VALUE_OR_END;
          this.handler.startArray();
          break;
        case 0x7d: // }
          if (this.state !== KEY_OR_END && !(this.state === COMMA_OR_END && this.stack[this.depth - 1] === 1)) {
            this.fail(c);
          }
          this.stack.pop();
          this.depth--;
          this.handler.endObject();
          this.afterValue();
          break;
        case 0x5d: // ]
          if (this.state !== VALUE_OR_END && !(this.state === COMMA_OR_END && this.stack[this.depth - 1] === 2)) {
            this.fail(c);
          }
          this.stack.pop();
          this.depth--;
          this.handler.endArray();
          this.afterValue();
          break;
        case 0x3a: // :
          if (this.state !== COLON) this.fail(c);
          this.state = VALUE;
          break;
        case 0x2c: // ,
          if (this.state !== COMMA_OR_END) this.fail(c);
          this.state = this.stack[this.depth - 1] === 1 ? KEY : VALUE;
          break;
        case 0x22: // "
          if (this.state === KEY || this.state === KEY_OR_END) this.isKey = true;
          else {
            this.expectValue(c);
            this.isKey = false;
          }
          this.token = STRING;
          this.parts.length = 0;
          this.hasEscape = false;
          this.escape = 0;
          i = this.readString(chunk, i + 1);
          continue;
        case 0x74: // t
        case 0x66: // f
        case 0x6e: // n
          this.expectValue(c);
          this.token = LITERAL;
          this.literal = c === 0x74 ? 0 : c === 0x66 ? 1 : 2;
          this.literalPos = 0;
          i = this.readLiteral(chunk, i);
          continue;
        default:
          if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
            this.expectValue(c);
            this.startNumber();
            i = this.readNumber(chunk, i, false);
            continue;
          }
          this.fail(c);
      }
      i++;
    }
    this.base += n;
    return n;
  }

  /** Ends the input: throws unless the root value is complete. */
  end(): void {
    if (this.token === NUMBER) this.readNumber(new Uint8Array(0), 0, true);
    if (this.done) return;
    if (this.token === STRING) throw new JsonSyntaxError("unexpected end of the input inside a string", this.base);
    if (this.token === LITERAL) {
      throw new JsonSyntaxError(`unexpected end of the input inside "${LITERAL_NAMES[this.literal]}"`, this.base);
    }
    throw new JsonSyntaxError(`unexpected end of the input (expected ${this.expected()})`, this.base);
  }

  private expectValue(c: number): void {
    if (this.state !== VALUE && this.state !== VALUE_OR_END) this.fail(c);
  }

  private afterValue(): void {
    this.state = this.depth === 0 ? DONE : COMMA_OR_END;
    if (this.depth === 0) this.done = true;
  }

  private fail(c: number, at = this.tokenStart): never {
    throw new JsonSyntaxError(`unexpected ${show(c)} (expected ${this.expected()})`, at);
  }

  private expected(): string {
    if (this.state !== COMMA_OR_END) return EXPECTED[this.state]!;
    return this.stack[this.depth - 1] === 1 ? '"," or "}"' : '"," or "]"';
  }

  private readString(chunk: Uint8Array, from: number): number {
    const n = chunk.length;
    let i = from;
    while (i < n) {
      const c = chunk[i]!;
      if (this.escape !== 0) {
        if (this.escape === 1) {
          if (c === 0x75) this.escape = 5;
          else if (
            c === 0x22 ||
            c === 0x5c ||
            c === 0x2f ||
            c === 0x62 ||
            c === 0x66 ||
            c === 0x6e ||
            c === 0x72 ||
            c === 0x74
          ) {
            this.escape = 0;
          } else throw new JsonSyntaxError(`invalid escape "\\${String.fromCharCode(c)}" in a string`, this.base + i);
        } else {
          if (!isHex(c)) throw new JsonSyntaxError("invalid \\u escape in a string", this.base + i);
          this.escape = this.escape === 2 ? 0 : this.escape - 1;
        }
        i++;
        continue;
      }
      if (c === 0x22) {
        this.endString(chunk, from, i);
        return i + 1;
      }
      if (c === 0x5c) {
        this.escape = 1;
        this.hasEscape = true;
      } else if (c < 0x20) {
        throw new JsonSyntaxError(`unescaped ${show(c)} in a string`, this.base + i);
      }
      i++;
    }
    if (from < n && (this.isKey || this.decode)) this.parts.push(Buffer.from(chunk.subarray(from, n)));
    return n;
  }

  private endString(chunk: Uint8Array, from: number, to: number): void {
    this.token = NONE;
    if (this.isKey) {
      this.handler.key(this.stringText(chunk, from, to));
      this.state = COLON;
      return;
    }
    this.handler.value(this.decode ? this.stringText(chunk, from, to) : undefined);
    this.afterValue();
  }

  private stringText(chunk: Uint8Array, from: number, to: number): string {
    let text: string;
    if (this.parts.length === 0) text = Buffer.from(chunk.buffer, chunk.byteOffset + from, to - from).toString("utf8");
    else {
      this.parts.push(Buffer.from(chunk.subarray(from, to)));
      text = Buffer.concat(this.parts).toString("utf8");
      this.parts.length = 0;
    }
    return this.hasEscape ? (JSON.parse(`"${text}"`) as string) : text;
  }

  private startNumber(): void {
    this.token = NUMBER;
    this.numberText = "";
    this.numberState = N_START;
    this.negative = false;
    this.mantissa = 0;
    this.digits = 0;
    this.fractionDigits = 0;
    this.exponent = 0;
    this.negativeExponent = false;
  }

  /** Reads (more of) a number, validating it and computing its value without making a string when it can. */
  private readNumber(chunk: Uint8Array, from: number, atEnd: boolean): number {
    const n = chunk.length;
    let i = from;
    let st = this.numberState;
    let mantissa = this.mantissa;
    let digits = this.digits;
    let fractionDigits = this.fractionDigits;
    let exponent = this.exponent;
    for (; i < n; i++) {
      const c = chunk[i]!;
      if (c >= 0x30 && c <= 0x39) {
        const d = c - 0x30;
        if (st === N_INT || st === N_FRAC || st === N_DOT) {
          mantissa = mantissa * 10 + d;
          digits++;
          if (st !== N_INT) {
            st = N_FRAC;
            fractionDigits++;
          }
        } else if (st === N_START || st === N_MINUS) {
          st = d === 0 ? N_ZERO : N_INT;
          mantissa = d;
          digits = 1;
        } else if (st === N_E || st === N_EXP_SIGN || st === N_EXP) {
          st = N_EXP;
          if (exponent < 100000) exponent = exponent * 10 + d;
        } else st = N_BAD; // a digit after a leading zero
      } else if (c === 0x2d) {
        if (st === N_START) {
          st = N_MINUS;
          this.negative = true;
        } else if (st === N_E) {
          st = N_EXP_SIGN;
          this.negativeExponent = true;
        } else st = N_BAD;
      } else if (c === 0x2b) st = st === N_E ? N_EXP_SIGN : N_BAD;
      else if (c === 0x2e) st = st === N_ZERO || st === N_INT ? N_DOT : N_BAD;
      else if (c === 0x65 || c === 0x45) st = st === N_ZERO || st === N_INT || st === N_FRAC ? N_E : N_BAD;
      else break;
    }
    if (i === n && !atEnd) {
      this.numberState = st;
      this.mantissa = mantissa;
      this.digits = digits;
      this.fractionDigits = fractionDigits;
      this.exponent = exponent;
      this.numberText += latin1(chunk, from, n);
      this.crossed = true;
      return n;
    }
    this.token = NONE;
    if (st !== N_ZERO && st !== N_INT && st !== N_FRAC && st !== N_EXP) {
      throw new JsonSyntaxError(`invalid number "${this.numberText + latin1(chunk, from, i)}"`, this.tokenStart);
    }
    let value: number | undefined;
    if (this.decode) {
      const e10 = (this.negativeExponent ? -exponent : exponent) - fractionDigits;
      if (!this.crossed && digits <= 15 && e10 >= -22 && e10 <= 22) {
        // exact operands and one correctly rounded operation: the same double as parsing the text
        value = e10 < 0 ? mantissa / POWERS_OF_TEN[-e10]! : mantissa * POWERS_OF_TEN[e10]!;
        if (this.negative) value = -value;
      } else value = Number(this.numberText + latin1(chunk, from, i));
    }
    this.crossed = false;
    this.numberText = "";
    this.handler.value(value);
    this.afterValue();
    return i;
  }

  private readLiteral(chunk: Uint8Array, from: number): number {
    const word = LITERALS[this.literal]!;
    const n = chunk.length;
    let i = from;
    while (i < n && this.literalPos < word.length) {
      if (chunk[i] !== word[this.literalPos]) this.fail(chunk[i]!, this.base + i);
      i++;
      this.literalPos++;
    }
    if (this.literalPos === word.length) {
      this.token = NONE;
      this.handler.value(LITERAL_VALUES[this.literal]!);
      this.afterValue();
    }
    return i;
  }
}

/** Builds plain values from tokens, as `JSON.parse` would (the last of repeated member names wins). */
export class TreeBuilder implements JsonHandler {
  root: unknown;
  protected containers: (Record<string, unknown> | unknown[])[] = [];
  protected keys: string[] = [];

  startObject(): void {
    this.containers.push({});
    this.keys.push("");
  }
  startArray(): void {
    this.containers.push([]);
    this.keys.push("");
  }
  endObject(): void {
    this.close();
  }
  endArray(): void {
    this.close();
  }
  key(name: string): void {
    this.keys[this.keys.length - 1] = name;
  }
  value(value: JsonScalar | undefined): void {
    this.add(value);
  }
  protected close(): void {
    const done = this.containers.pop();
    this.keys.pop();
    this.add(done);
  }
  protected add(value: unknown): void {
    const top = this.containers[this.containers.length - 1];
    if (!top) this.root = value;
    else if (Array.isArray(top)) top.push(value);
    else {
      const name = this.keys[this.keys.length - 1]!;
      if (name === "__proto__") {
        Object.defineProperty(top, name, { value, writable: true, enumerable: true, configurable: true });
      } else top[name] = value;
    }
  }
}

/** "line L, column C" (1-based; columns count characters) of a byte offset in a file. */
export async function describeOffset(path: string, offset: number): Promise<string> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(1 << 16);
    let line = 1;
    let column = 1;
    let pos = 0;
    while (pos < offset) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, offset - pos), pos);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        const c = buf[i]!;
        if (c === 0x0a) {
          line++;
          column = 1;
        } else if ((c & 0xc0) !== 0x80 && !(pos === 0 && i === 0 && c === 0xef)) column++;
      }
      pos += bytesRead;
    }
    return `line ${line}, column ${column}`;
  } finally {
    await fh.close();
  }
}
