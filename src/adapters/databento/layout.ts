/**
 * Table-driven record decoding: a `RecordLayout` lists (JSON name, byte offset, kind) per field and
 * `compileLayout` turns it into a decoder that builds the JSON-ready object of dbn's encoder:
 * 64-bit integers as decimal strings, other integers as numbers, `c_char` as a 1-character string
 * (NUL → null), char arrays cut at the first NUL, the header nested under `hd`.
 */

export type FieldKind =
  'hd' | 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64' | 'char' | 'cstr' | 'levels' | 'clevels';

/** `[json name, byte offset in the record, kind, array length (cstr bytes / level count)]`. */
export type FieldSpec = readonly [name: string, offset: number, kind: FieldKind, count?: number];

export interface RecordLayout {
  /** Size of the C struct in bytes; a record's `length * 4` must be at least this. */
  readonly size: number;
  readonly fields: readonly FieldSpec[];
}

/** A decoded record, shaped exactly like one line of the `dbn` CLI's JSON output. */
export type DbnJsonRecord = Record<string, unknown> & { hd: RecordHeaderJson };

export interface RecordHeaderJson {
  ts_event: string;
  rtype: number;
  publisher_id: number;
  instrument_id: number;
}

const TWO_32 = 4294967296;
/** |hi| below 2^21 keeps hi·2^32 + lo inside the exact range of a double (2^53). */
const SAFE_HI = 0x200000;

/**
 * hi·2^32 + lo as a decimal string without BigInt (timestamps ~1.7e18 exceed 2^53, and BigInt
 * formatting dominated decoding): 2^32 = 4294·10^6 + 967296, so the value is
 * (hi·4294)·10^6 + (hi·967296 + lo), both parts exact in doubles.
 */
function u64Decimal(hi: number, lo: number): string {
  if (hi < SAFE_HI) return String(hi * TWO_32 + lo);
  const low = hi * 967296 + lo;
  const carry = Math.floor(low / 1e6);
  const high = hi * 4294 + carry;
  const rest = low - carry * 1e6;
  return `${high}${String(rest).padStart(6, '0')}`;
}

export function readU64String(buf: Buffer, at: number): string {
  return u64Decimal(buf.readUInt32LE(at + 4), buf.readUInt32LE(at));
}

export function readI64String(buf: Buffer, at: number): string {
  const hi = buf.readInt32LE(at + 4);
  if (hi >= 0) return u64Decimal(hi, buf.readUInt32LE(at));
  if (hi >= -SAFE_HI) return String(hi * TWO_32 + buf.readUInt32LE(at));
  return buf.readBigInt64LE(at).toString();
}

export function readCString(buf: Buffer, at: number, len: number): string {
  let end = at;
  const stop = at + len;
  while (end < stop && buf[end] !== 0) end++;
  return buf.toString('utf8', at, end);
}

function readChar(buf: Buffer, at: number): string | null {
  const c = buf[at] ?? 0;
  return c === 0 ? null : String.fromCharCode(c);
}

function readHeader(buf: Buffer, base: number): RecordHeaderJson {
  return {
    ts_event: readU64String(buf, base + 8),
    rtype: buf.readUInt8(base + 1),
    publisher_id: buf.readUInt16LE(base + 2),
    instrument_id: buf.readUInt32LE(base + 4),
  };
}

/** BidAskPair (32 bytes): prices i64, sizes u32, order counts u32. */
function readLevels(buf: Buffer, at: number, count: number): unknown[] {
  const levels = new Array<unknown>(count);
  for (let i = 0; i < count; i++) {
    const o = at + i * 32;
    levels[i] = {
      bid_px: readI64String(buf, o),
      ask_px: readI64String(buf, o + 8),
      bid_sz: buf.readUInt32LE(o + 16),
      ask_sz: buf.readUInt32LE(o + 20),
      bid_ct: buf.readUInt32LE(o + 24),
      ask_ct: buf.readUInt32LE(o + 28),
    };
  }
  return levels;
}

/** ConsolidatedBidAskPair (32 bytes): order counts replaced by u16 publisher ids. */
function readConsolidatedLevels(buf: Buffer, at: number, count: number): unknown[] {
  const levels = new Array<unknown>(count);
  for (let i = 0; i < count; i++) {
    const o = at + i * 32;
    levels[i] = {
      bid_px: readI64String(buf, o),
      ask_px: readI64String(buf, o + 8),
      bid_sz: buf.readUInt32LE(o + 16),
      ask_sz: buf.readUInt32LE(o + 20),
      bid_pb: buf.readUInt16LE(o + 24),
      ask_pb: buf.readUInt16LE(o + 28),
    };
  }
  return levels;
}

/** Source expression reading one field of the record at `o` in buffer `b` (helpers in `h`). */
function fieldExpression(offset: number, kind: FieldKind, count: number): string {
  const at = `o + ${offset}`;
  switch (kind) {
    case 'hd':
      return 'h.hd(b, o)';
    case 'u8':
      return `b[${at}]`;
    case 'i8':
      return `b.readInt8(${at})`;
    case 'u16':
      return `b.readUInt16LE(${at})`;
    case 'i16':
      return `b.readInt16LE(${at})`;
    case 'u32':
      return `b.readUInt32LE(${at})`;
    case 'i32':
      return `b.readInt32LE(${at})`;
    case 'u64':
      return `h.u64(b, ${at})`;
    case 'i64':
      return `h.i64(b, ${at})`;
    case 'char':
      return `h.char(b, ${at})`;
    case 'cstr':
      return `h.cstr(b, ${at}, ${count})`;
    case 'levels':
      return `h.levels(b, ${at}, ${count})`;
    case 'clevels':
      return `h.clevels(b, ${at}, ${count})`;
  }
}

const HELPERS = {
  hd: readHeader,
  u64: readU64String,
  i64: readI64String,
  char: readChar,
  cstr: readCString,
  levels: readLevels,
  clevels: readConsolidatedLevels,
};

export type RecordDecoder = (buf: Buffer, base: number) => DbnJsonRecord;

/**
 * Builds the decoder of one layout once. It is generated as a single object literal so every
 * record of a type gets the same hidden class (about 2-3x faster than a per-field loop). The
 * generated source contains only names and offsets from the static layout tables, never input.
 */
export function compileLayout(layout: RecordLayout): RecordDecoder {
  const props = layout.fields.map(
    ([name, offset, kind, count]) => `${JSON.stringify(name)}: ${fieldExpression(offset, kind, count ?? 0)}`,
  );
  const factory = new Function('h', `return function decodeRecord(b, o) { return { ${props.join(', ')} }; };`) as (
    helpers: typeof HELPERS,
  ) => RecordDecoder;
  return factory(HELPERS);
}
