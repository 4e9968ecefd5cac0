/**
 * The DBN metadata header (README "Metadata header"): "DBN", version byte, u32 length, then
 * dataset, schema, time range, symbology and the symbol mappings. Decoded into the JSON shape of
 * the expected `.metadata.json` files (64-bit values as strings, names instead of enum ids).
 */
import { dbnCorrupt, dbnUnsupported } from './errors.ts';
import { readCString, readU64String } from './layout.ts';
import { SCHEMA_MIXED, SCHEMA_NAMES, STYPE_NAMES, STYPE_NONE, SUPPORTED_VERSIONS, type DbnVersion } from './schemas.ts';

export interface MappingInterval {
  /** YYYYMMDD, inclusive. */
  start_date: number;
  /** YYYYMMDD, exclusive. */
  end_date: number;
  symbol: string;
}

export interface SymbolMapping {
  raw_symbol: string;
  intervals: MappingInterval[];
}

export interface DbnMetadata {
  version: DbnVersion;
  dataset: string;
  schema: string | null;
  start: string;
  end: string | null;
  limit: string | null;
  stype_in: string | null;
  stype_out: string | null;
  ts_out: boolean;
  symbol_cstr_len: number;
  symbols: string[];
  partial: string[];
  not_found: string[];
  mappings: SymbolMapping[];
  /** v1 only: the deprecated record count (u64::MAX = unknown). */
  v1_record_count?: string;
}

export const DBN_MAGIC = 'DBN';
/** "DBN" + version byte + u32 length. */
export const METADATA_PREFIX_LEN = 8;
const U64_MAX = '18446744073709551615';
/** Offset of `schema_definition_length`; the symbol lists follow it (same for v1 and v2/v3). */
const FIXED_END = 108;

export function hasDbnMagic(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0x44 && buf[1] === 0x42 && buf[2] === 0x4e;
}

/** Reads the version and total header size (prefix + metadata) from the first 8 bytes. */
export function readMetadataPrefix(buf: Buffer, source?: string): { version: DbnVersion; totalLen: number } {
  if (!hasDbnMagic(buf))
    throw dbnCorrupt(
      0,
      'missing "DBN" magic (not a DBN file; a record-only fragment needs the fragment option)',
      source,
    );
  if (buf.length < METADATA_PREFIX_LEN) throw dbnCorrupt(buf.length, 'truncated metadata prefix', source);
  const version = buf[3] ?? 0;
  if (!SUPPORTED_VERSIONS.includes(version as DbnVersion)) {
    throw dbnUnsupported(3, `DBN version ${version} (supported: 1, 2, 3)`, source);
  }
  return { version: version as DbnVersion, totalLen: METADATA_PREFIX_LEN + buf.readUInt32LE(4) };
}

/** Decodes a complete header; `buf` must hold at least `totalLen` bytes (see readMetadataPrefix). */
export function decodeMetadata(buf: Buffer, source?: string): DbnMetadata {
  const { version, totalLen } = readMetadataPrefix(buf, source);
  if (buf.length < totalLen) throw dbnCorrupt(buf.length, `truncated metadata (needs ${totalLen} bytes)`, source);
  if (totalLen < FIXED_END + 4) throw dbnCorrupt(4, `metadata length ${totalLen - 8} is too short`, source);
  let at = 8;
  const dataset = readCString(buf, at, 16);
  const schemaId = buf.readUInt16LE(24);
  const schema = schemaId === SCHEMA_MIXED ? null : SCHEMA_NAMES[schemaId];
  if (schema === undefined) throw dbnUnsupported(24, `schema id ${schemaId}`, source);
  const start = readU64String(buf, 26);
  const end = readU64String(buf, 34);
  const limit = readU64String(buf, 42);
  at = version === 1 ? 58 : 50;
  const v1RecordCount = version === 1 ? readU64String(buf, 50) : undefined;
  const stypeIn = stypeName(buf, at, source);
  const stypeOut = stypeName(buf, at + 1, source);
  const tsOut = buf[at + 2] === 1;
  const cstrLen = version === 1 ? 22 : buf.readUInt16LE(53);
  if (cstrLen === 0) throw dbnCorrupt(53, 'symbol_cstr_len is 0', source);
  at = FIXED_END;
  const schemaDefLen = buf.readUInt32LE(at);
  at += 4 + schemaDefLen;
  const cursor = { at };
  /** `countAt` is where the count that asked for `n` bytes was read (the corrupt field). */
  const need = (n: number, what: string, countAt = cursor.at): void => {
    if (cursor.at + n > totalLen)
      throw dbnCorrupt(countAt, `metadata ${what} run past the header end (${totalLen})`, source);
  };
  const readSymbolList = (what: string): string[] => {
    need(4, what);
    const count = buf.readUInt32LE(cursor.at);
    cursor.at += 4;
    need(count * cstrLen, what, cursor.at - 4);
    const list: string[] = [];
    for (let i = 0; i < count; i++, cursor.at += cstrLen) list.push(readCString(buf, cursor.at, cstrLen));
    return list;
  };
  const symbols = readSymbolList('symbols');
  const partial = readSymbolList('partial');
  const notFound = readSymbolList('not_found');
  need(4, 'mappings');
  const mappingCount = buf.readUInt32LE(cursor.at);
  cursor.at += 4;
  const mappings: SymbolMapping[] = [];
  for (let i = 0; i < mappingCount; i++) {
    need(cstrLen + 4, 'mapping');
    const rawSymbol = readCString(buf, cursor.at, cstrLen);
    const intervalCount = buf.readUInt32LE(cursor.at + cstrLen);
    cursor.at += cstrLen + 4;
    need(intervalCount * (8 + cstrLen), 'mapping intervals', cursor.at - 4);
    const intervals: MappingInterval[] = [];
    for (let j = 0; j < intervalCount; j++) {
      intervals.push({
        start_date: buf.readUInt32LE(cursor.at),
        end_date: buf.readUInt32LE(cursor.at + 4),
        symbol: readCString(buf, cursor.at + 8, cstrLen),
      });
      cursor.at += 8 + cstrLen;
    }
    mappings.push({ raw_symbol: rawSymbol, intervals });
  }
  const meta: DbnMetadata = {
    version,
    dataset,
    schema,
    start,
    end: end === U64_MAX ? null : end,
    limit: limit === '0' ? null : limit,
    stype_in: stypeIn,
    stype_out: stypeOut,
    ts_out: tsOut,
    symbol_cstr_len: cstrLen,
    symbols,
    partial,
    not_found: notFound,
    mappings,
  };
  if (v1RecordCount !== undefined) meta.v1_record_count = v1RecordCount;
  return meta;
}

function stypeName(buf: Buffer, at: number, source?: string): string | null {
  const id = buf[at] ?? STYPE_NONE;
  if (id === STYPE_NONE) return null;
  const name = STYPE_NAMES[id];
  if (name === undefined) throw dbnUnsupported(at, `symbology type ${id}`, source);
  return name;
}
