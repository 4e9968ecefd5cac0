/**
 * Byte layouts of DBN records, in the JSON key order of Databento's `dbn` encoder (the order of
 * the expected `.jsonl` oracles). Offsets are from the `#[repr(C)]` structs of databento/dbn
 * v0.54.0 (shared/data/dbn/LAYOUTS.md); padding fields are left out, as dbn's JSON does.
 * Generated from LAYOUTS.md + the oracle key order; edit both together.
 */
import type { RecordLayout } from './layout.ts';

/** MboMsg (rtype 0xA0), all versions — 56 bytes. */
export const MBO: RecordLayout = {
  size: 56,
  fields: [
    ['ts_recv', 40, 'u64'],
    ['hd', 0, 'hd'],
    ['action', 38, 'char'],
    ['side', 39, 'char'],
    ['price', 24, 'i64'],
    ['size', 32, 'u32'],
    ['channel_id', 37, 'u8'],
    ['order_id', 16, 'u64'],
    ['flags', 36, 'u8'],
    ['ts_in_delta', 48, 'i32'],
    ['sequence', 52, 'u32'],
  ],
};

/** TradeMsg (rtype 0x00), all versions — 48 bytes. */
export const TRADE: RecordLayout = {
  size: 48,
  fields: [
    ['ts_recv', 32, 'u64'],
    ['hd', 0, 'hd'],
    ['action', 28, 'char'],
    ['side', 29, 'char'],
    ['depth', 31, 'u8'],
    ['price', 16, 'i64'],
    ['size', 24, 'u32'],
    ['flags', 30, 'u8'],
    ['ts_in_delta', 40, 'i32'],
    ['sequence', 44, 'u32'],
  ],
};

/** Mbp1Msg (rtype 0x01, mbp-1 and tbbo), all versions — 80 bytes. */
export const MBP1: RecordLayout = {
  size: 80,
  fields: [
    ['ts_recv', 32, 'u64'],
    ['hd', 0, 'hd'],
    ['action', 28, 'char'],
    ['side', 29, 'char'],
    ['depth', 31, 'u8'],
    ['price', 16, 'i64'],
    ['size', 24, 'u32'],
    ['flags', 30, 'u8'],
    ['ts_in_delta', 40, 'i32'],
    ['sequence', 44, 'u32'],
    ['levels', 48, 'levels', 1],
  ],
};

/** Mbp10Msg (rtype 0x0A), all versions — 368 bytes. */
export const MBP10: RecordLayout = {
  size: 368,
  fields: [
    ['ts_recv', 32, 'u64'],
    ['hd', 0, 'hd'],
    ['action', 28, 'char'],
    ['side', 29, 'char'],
    ['depth', 31, 'u8'],
    ['price', 16, 'i64'],
    ['size', 24, 'u32'],
    ['flags', 30, 'u8'],
    ['ts_in_delta', 40, 'i32'],
    ['sequence', 44, 'u32'],
    ['levels', 48, 'levels', 10],
  ],
};

/** BboMsg (rtype 0xC3 bbo-1s / 0xC4 bbo-1m) — 80 bytes. */
export const BBO: RecordLayout = {
  size: 80,
  fields: [
    ['ts_recv', 32, 'u64'],
    ['hd', 0, 'hd'],
    ['side', 29, 'char'],
    ['price', 16, 'i64'],
    ['size', 24, 'u32'],
    ['flags', 30, 'u8'],
    ['sequence', 44, 'u32'],
    ['levels', 48, 'levels', 1],
  ],
};

/** Cmbp1Msg (rtype 0xB1 cmbp-1 / 0xC2 tcbbo) — 80 bytes. */
export const CMBP1: RecordLayout = {
  size: 80,
  fields: [
    ['ts_recv', 32, 'u64'],
    ['hd', 0, 'hd'],
    ['action', 28, 'char'],
    ['side', 29, 'char'],
    ['price', 16, 'i64'],
    ['size', 24, 'u32'],
    ['flags', 30, 'u8'],
    ['ts_in_delta', 40, 'i32'],
    ['levels', 48, 'clevels', 1],
  ],
};

/** CbboMsg (rtype 0xC0 cbbo-1s / 0xC1 cbbo-1m) — 80 bytes. */
export const CBBO: RecordLayout = {
  size: 80,
  fields: [
    ['ts_recv', 32, 'u64'],
    ['hd', 0, 'hd'],
    ['side', 29, 'char'],
    ['price', 16, 'i64'],
    ['size', 24, 'u32'],
    ['flags', 30, 'u8'],
    ['levels', 48, 'clevels', 1],
  ],
};

/** OhlcvMsg (rtype 0x11, 0x20-0x24), all versions — 56 bytes. */
export const OHLCV: RecordLayout = {
  size: 56,
  fields: [
    ['hd', 0, 'hd'],
    ['open', 16, 'i64'],
    ['high', 24, 'i64'],
    ['low', 32, 'i64'],
    ['close', 40, 'i64'],
    ['volume', 48, 'u64'],
  ],
};

/** StatusMsg (rtype 0x12), all versions — 40 bytes. */
export const STATUS: RecordLayout = {
  size: 40,
  fields: [
    ['ts_recv', 16, 'u64'],
    ['hd', 0, 'hd'],
    ['action', 24, 'u16'],
    ['reason', 26, 'u16'],
    ['trading_event', 28, 'u16'],
    ['is_trading', 30, 'char'],
    ['is_quoting', 31, 'char'],
    ['is_short_sell_restricted', 32, 'char'],
  ],
};

/** ImbalanceMsg (rtype 0x14), all versions — 112 bytes. */
export const IMBALANCE: RecordLayout = {
  size: 112,
  fields: [
    ['ts_recv', 16, 'u64'],
    ['hd', 0, 'hd'],
    ['ref_price', 24, 'i64'],
    ['auction_time', 32, 'u64'],
    ['cont_book_clr_price', 40, 'i64'],
    ['auct_interest_clr_price', 48, 'i64'],
    ['ssr_filling_price', 56, 'i64'],
    ['ind_match_price', 64, 'i64'],
    ['upper_collar', 72, 'i64'],
    ['lower_collar', 80, 'i64'],
    ['paired_qty', 88, 'u32'],
    ['total_imbalance_qty', 92, 'u32'],
    ['market_imbalance_qty', 96, 'u32'],
    ['unpaired_qty', 100, 'u32'],
    ['auction_type', 104, 'char'],
    ['side', 105, 'char'],
    ['auction_status', 106, 'u8'],
    ['freeze_status', 107, 'u8'],
    ['num_extensions', 108, 'u8'],
    ['unpaired_side', 109, 'char'],
    ['significant_imbalance', 110, 'char'],
  ],
};

/** StatMsg (rtype 0x18), DBN v3: i64 quantity — 80 bytes. */
export const STAT_V3: RecordLayout = {
  size: 80,
  fields: [
    ['ts_recv', 16, 'u64'],
    ['hd', 0, 'hd'],
    ['ts_ref', 24, 'u64'],
    ['price', 32, 'i64'],
    ['quantity', 40, 'i64'],
    ['sequence', 48, 'u32'],
    ['ts_in_delta', 52, 'i32'],
    ['stat_type', 56, 'u16'],
    ['channel_id', 58, 'u16'],
    ['update_action', 60, 'u8'],
    ['stat_flags', 61, 'u8'],
  ],
};

/** StatMsgV1 (rtype 0x18), DBN v1 and v2: i32 quantity — 64 bytes. */
export const STAT_V1: RecordLayout = {
  size: 64,
  fields: [
    ['ts_recv', 16, 'u64'],
    ['hd', 0, 'hd'],
    ['ts_ref', 24, 'u64'],
    ['price', 32, 'i64'],
    ['quantity', 40, 'i32'],
    ['sequence', 44, 'u32'],
    ['ts_in_delta', 48, 'i32'],
    ['stat_type', 52, 'u16'],
    ['channel_id', 54, 'u16'],
    ['update_action', 56, 'u8'],
    ['stat_flags', 57, 'u8'],
  ],
};

/** SymbolMappingMsg (rtype 0x16), DBN v2/v3 — 176 bytes. */
export const SYMBOL_MAPPING_V2: RecordLayout = {
  size: 176,
  fields: [
    ['hd', 0, 'hd'],
    ['stype_in', 16, 'u8'],
    ['stype_in_symbol', 17, 'cstr', 71],
    ['stype_out', 88, 'u8'],
    ['stype_out_symbol', 89, 'cstr', 71],
    ['start_ts', 160, 'u64'],
    ['end_ts', 168, 'u64'],
  ],
};

/** SymbolMappingMsgV1 (rtype 0x16), DBN v1 — 80 bytes. */
export const SYMBOL_MAPPING_V1: RecordLayout = {
  size: 80,
  fields: [
    ['hd', 0, 'hd'],
    ['stype_in_symbol', 16, 'cstr', 22],
    ['stype_out_symbol', 38, 'cstr', 22],
    ['start_ts', 64, 'u64'],
    ['end_ts', 72, 'u64'],
  ],
};

/** SystemMsg (rtype 0x17), DBN v2/v3 — 320 bytes. */
export const SYSTEM_V2: RecordLayout = {
  size: 320,
  fields: [
    ['hd', 0, 'hd'],
    ['msg', 16, 'cstr', 303],
    ['code', 319, 'u8'],
  ],
};

/** SystemMsgV1 (rtype 0x17), DBN v1 — 80 bytes. */
export const SYSTEM_V1: RecordLayout = {
  size: 80,
  fields: [
    ['hd', 0, 'hd'],
    ['msg', 16, 'cstr', 64],
  ],
};

/** ErrorMsg (rtype 0x15), DBN v2/v3 — 320 bytes. */
export const ERROR_V2: RecordLayout = {
  size: 320,
  fields: [
    ['hd', 0, 'hd'],
    ['err', 16, 'cstr', 302],
    ['code', 318, 'u8'],
    ['is_last', 319, 'u8'],
  ],
};

/** ErrorMsgV1 (rtype 0x15), DBN v1 — 80 bytes. */
export const ERROR_V1: RecordLayout = {
  size: 80,
  fields: [
    ['hd', 0, 'hd'],
    ['err', 16, 'cstr', 64],
  ],
};
