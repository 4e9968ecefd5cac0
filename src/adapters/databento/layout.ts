/**
 * Table-driven record decoding: a `RecordLayout` lists (JSON name, byte offset, kind) per field and
 * `compileLayout` turns it into a decoder that builds the JSON-ready object of dbn's encoder:
 * 64-bit integers as decimal strings, other integers as numbers, `c_char` as a 1-character string
 * (NUL → null), char arrays cut at the first NUL, the header nested under `hd`.
 */

export type FieldKind =
  | 'hd'
  | 'u8'
  | 'i8'
  | 'u16'
  | 'i16'
  | 'u32'
  | 'i32'
  | 'u64'
  | 'i64'
  | 'char'
  | 'cstr'
  | 'levels'
  | 'clevels';

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

type Reader = (buf: Buffer, base: number) => unknown;

const TWO_32 = 4294967296;
/** |hi| below 2^21 keeps hi·2^32 + lo inside the exact range of a double (2^53). */
const SAFE_HI = 0x200000;

export function readU64String(buf: Buffer, at: number): string {
  const hi = buf.readUInt32LE(at + 4);
  if (hi < SAFE_HI) return String(hi * TWO_32 + buf.readUInt32LE(at));
  return buf.readBigUInt64LE(at).toString();
}

export function readI64String(buf: Buffer, at: number): string {
  const hi = buf.readInt32LE(at + 4);
  if (hi >= -SAFE_HI && hi < SAFE_HI) return String(hi * TWO_32 + buf.readUInt32LE(at));
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

function fieldReader(offset: number, kind: FieldKind, count: number): Reader {
  switch (kind) {
    case 'hd':
      return readHeader;
    case 'u8':
      return (b, base) => b.readUInt8(base + offset);
    case 'i8':
      return (b, base) => b.readInt8(base + offset);
    case 'u16':
      return (b, base) => b.readUInt16LE(base + offset);
    case 'i16':
      return (b, base) => b.readInt16LE(base + offset);
    case 'u32':
      return (b, base) => b.readUInt32LE(base + offset);
    case 'i32':
      return (b, base) => b.readInt32LE(base + offset);
    case 'u64':
      return (b, base) => readU64String(b, base + offset);
    case 'i64':
      return (b, base) => readI64String(b, base + offset);
    case 'char':
      return (b, base) => readChar(b, base + offset);
    case 'cstr':
      return (b, base) => readCString(b, base + offset, count);
    case 'levels':
      return (b, base) => readLevels(b, base + offset, count);
    case 'clevels':
      return (b, base) => readConsolidatedLevels(b, base + offset, count);
  }
}

export type RecordDecoder = (buf: Buffer, base: number) => DbnJsonRecord;

/** Builds the decoder of one layout once; decoding a record is then one closure call per field. */
export function compileLayout(layout: RecordLayout): RecordDecoder {
  const names = layout.fields.map((f) => f[0]);
  const readers = layout.fields.map(([, offset, kind, count]) => fieldReader(offset, kind, count ?? 0));
  const n = names.length;
  return (buf, base) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) out[names[i] as string] = (readers[i] as Reader)(buf, base);
    return out as DbnJsonRecord;
  };
}
