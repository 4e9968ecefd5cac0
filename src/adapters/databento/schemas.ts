/**
 * DBN enumerations (rtypes, schemas, symbology types, flags, sentinels) and the choice of record
 * layout per (rtype, DBN version). Source: databento/dbn v0.54.0 `enums.rs`, `record.rs`,
 * summarized in shared/data/dbn/README.md and LAYOUTS.md.
 */
import type { DbnJsonRecord, RecordLayout } from './layout.ts';
import * as M from './layouts-market.ts';
import { DEFINITION_V1, DEFINITION_V2, DEFINITION_V3 } from './layouts-definition.ts';

export type DbnVersion = 1 | 2 | 3;
export const SUPPORTED_VERSIONS: readonly DbnVersion[] = [1, 2, 3];

export const RTYPE = {
  MBP_0: 0x00,
  MBP_1: 0x01,
  MBP_10: 0x0a,
  OHLCV_DEPRECATED: 0x11,
  STATUS: 0x12,
  INSTRUMENT_DEF: 0x13,
  IMBALANCE: 0x14,
  ERROR: 0x15,
  SYMBOL_MAPPING: 0x16,
  SYSTEM: 0x17,
  STATISTICS: 0x18,
  OHLCV_1S: 0x20,
  OHLCV_1M: 0x21,
  OHLCV_1H: 0x22,
  OHLCV_1D: 0x23,
  OHLCV_EOD: 0x24,
  MBO: 0xa0,
  CMBP_1: 0xb1,
  CBBO_1S: 0xc0,
  CBBO_1M: 0xc1,
  TCBBO: 0xc2,
  BBO_1S: 0xc3,
  BBO_1M: 0xc4,
} as const;

/** Schema ids of the metadata header (index = u16 value); 0xFFFF means mixed (null). */
export const SCHEMA_NAMES = [
  'mbo',
  'mbp-1',
  'mbp-10',
  'tbbo',
  'trades',
  'ohlcv-1s',
  'ohlcv-1m',
  'ohlcv-1h',
  'ohlcv-1d',
  'definition',
  'statistics',
  'status',
  'imbalance',
  'ohlcv-eod',
  'cmbp-1',
  'cbbo-1s',
  'cbbo-1m',
  'tcbbo',
  'bbo-1s',
  'bbo-1m',
] as const;
export const SCHEMA_MIXED = 0xffff;

/** Symbology types (index = u8 value); 0xFF means none (null). */
export const STYPE_NAMES = [
  'instrument_id',
  'raw_symbol',
  'smart',
  'continuous',
  'parent',
  'nasdaq_symbol',
  'cms_symbol',
  'isin',
  'us_code',
  'bbg_comp_id',
  'bbg_comp_ticker',
  'figi',
  'figi_ticker',
] as const;
export const STYPE_NONE = 0xff;

/** Record `flags` bits (Databento "Standards and conventions"). */
export const FLAGS = {
  LAST: 0x80,
  TOB: 0x40,
  SNAPSHOT: 0x20,
  MBP: 0x10,
  BAD_TS_RECV: 0x08,
  MAYBE_BAD_BOOK: 0x04,
} as const;

/** Sentinels, kept raw in the JSON output. */
export const UNDEF_PRICE = '9223372036854775807';
export const UNDEF_TIMESTAMP = '18446744073709551615';
export const UNDEF_ORDER_SIZE = 4294967295;

/** Length in bytes of fixed-size symbol strings: v1 22, v2/v3 71. */
export function symbolCstrLen(version: DbnVersion): number {
  return version === 1 ? 22 : 71;
}

const OHLCV_RTYPES = new Set<number>([0x11, 0x20, 0x21, 0x22, 0x23, 0x24]);

/**
 * The layouts a record of `rtype` can have, newest first. Only definitions, statistics, symbol
 * mappings, system and error messages changed across versions; each version has a distinct size,
 * which is how a fragment of unknown version is still decoded (by its record length).
 */
export function layoutsOf(rtype: number): ReadonlyArray<readonly [RecordLayout, readonly DbnVersion[]]> {
  const all: readonly DbnVersion[] = SUPPORTED_VERSIONS;
  if (OHLCV_RTYPES.has(rtype)) return [[M.OHLCV, all]];
  switch (rtype) {
    case RTYPE.MBP_0:
      return [[M.TRADE, all]];
    case RTYPE.MBP_1:
      return [[M.MBP1, all]];
    case RTYPE.MBP_10:
      return [[M.MBP10, all]];
    case RTYPE.STATUS:
      return [[M.STATUS, all]];
    case RTYPE.IMBALANCE:
      return [[M.IMBALANCE, all]];
    case RTYPE.MBO:
      return [[M.MBO, all]];
    case RTYPE.CMBP_1:
    case RTYPE.TCBBO:
      return [[M.CMBP1, all]];
    case RTYPE.CBBO_1S:
    case RTYPE.CBBO_1M:
      return [[M.CBBO, all]];
    case RTYPE.BBO_1S:
    case RTYPE.BBO_1M:
      return [[M.BBO, all]];
    case RTYPE.INSTRUMENT_DEF:
      return [
        [DEFINITION_V3, [3]],
        [DEFINITION_V2, [2]],
        [DEFINITION_V1, [1]],
      ];
    case RTYPE.STATISTICS:
      return [
        [M.STAT_V3, [3]],
        [M.STAT_V1, [1, 2]],
      ];
    case RTYPE.SYMBOL_MAPPING:
      return [
        [M.SYMBOL_MAPPING_V2, [2, 3]],
        [M.SYMBOL_MAPPING_V1, [1]],
      ];
    case RTYPE.SYSTEM:
      return [
        [M.SYSTEM_V2, [2, 3]],
        [M.SYSTEM_V1, [1]],
      ];
    case RTYPE.ERROR:
      return [
        [M.ERROR_V2, [2, 3]],
        [M.ERROR_V1, [1]],
      ];
    default:
      return [];
  }
}

// --- Typed views of the decoded records that riskgate consumes (mapper, order book) ---

export interface BidAskPairJson {
  bid_px: string;
  ask_px: string;
  bid_sz: number;
  ask_sz: number;
  bid_ct?: number;
  ask_ct?: number;
  bid_pb?: number;
  ask_pb?: number;
}

export type MboRecord = DbnJsonRecord & {
  ts_recv: string;
  action: string | null;
  side: string | null;
  price: string;
  size: number;
  channel_id: number;
  order_id: string;
  flags: number;
  sequence: number;
};

/** Trades, MBP-1, TBBO, MBP-10, BBO, CBBO, CMBP-1: a price/size plus (except trades) levels. */
export type MarketRecord = DbnJsonRecord & {
  ts_recv: string;
  action?: string | null;
  side: string | null;
  price: string;
  size: number;
  flags: number;
  levels?: BidAskPairJson[];
};

export type OhlcvRecord = DbnJsonRecord & { open: string; high: string; low: string; close: string; volume: string };

export type DefinitionRecord = DbnJsonRecord & { raw_symbol: string };

export type SymbolMappingRecord = DbnJsonRecord & { stype_in_symbol: string; stype_out_symbol: string };

export function isOhlcvRtype(rtype: number): boolean {
  return OHLCV_RTYPES.has(rtype);
}
