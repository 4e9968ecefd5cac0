/**
 * DBN records → riskgate `quote` events (DESIGN §4) for `riskgate replay file.dbn`:
 * `{ts, type:'quote', symbol, bid, ask, last}` with ISO-ms UTC times and decimal-string prices.
 *
 * Decisions (written down here because DESIGN §4 is silent on market-data sources):
 * - `ts` is the record's index time (`ts_recv`, else `ts_event`), truncated to the millisecond.
 *   OHLCV bars are stamped at their **close** (ts_event + bar length): the close price is not
 *   known before the bar ends, and replay must not see the future.
 * - Book records (MBP-1/10, TBBO, BBO, CBBO, CMBP-1) set bid/ask from the top level; an
 *   UNDEF_PRICE side is empty and the field is left out. `last` is the trade price of trade
 *   records (action 'T', TBBO, BBO's last-trade price) and otherwise the instrument's previous
 *   last trade. Trades and OHLCV carry the instrument's latest bid/ask when one is known.
 *   Fields never known for the instrument are omitted (a trades-only file has no bid/ask).
 * - Other records (MBO, definitions, statistics, status, imbalance, system) produce no quote;
 *   definitions and symbol mappings teach the symbol directory.
 * - A record whose instrument maps to no symbol is ERR_INSTRUMENT_UNKNOWN (never silently dropped).
 */
import { AppError } from '../../errors.ts';
import { formatFixed } from '../../domain/money.ts';
import type { DbnJsonRecord } from './layout.ts';
import type { DbnMetadata } from './metadata.ts';
import { isOhlcvRtype, RTYPE, UNDEF_PRICE, type MarketRecord, type OhlcvRecord } from './schemas.ts';
import { indexTs, InstrumentSymbols, nsToMs } from './symbology.ts';

export interface QuoteEvent {
  ts: string;
  type: 'quote';
  symbol: string;
  bid?: string;
  ask?: string;
  last?: string;
}

/** DBN prices are i64 in units of 1e-9; money.ts Fixed is ×1e18. */
const PRICE_TO_FIXED = 10n ** 9n;

/** 1e-9 fixed-point integer (decimal string) → exact decimal string; undefined for UNDEF_PRICE. */
export function dbnPriceToDecimal(raw: string): string | undefined {
  if (raw === UNDEF_PRICE) return undefined;
  return formatFixed(BigInt(raw) * PRICE_TO_FIXED);
}

const BAR_NS: Record<number, bigint> = {
  [RTYPE.OHLCV_1S]: 1_000_000_000n,
  [RTYPE.OHLCV_1M]: 60_000_000_000n,
  [RTYPE.OHLCV_1H]: 3_600_000_000_000n,
  [RTYPE.OHLCV_1D]: 86_400_000_000_000n,
  [RTYPE.OHLCV_EOD]: 86_400_000_000_000n,
};

const BOOK_RTYPES = new Set<number>([
  RTYPE.MBP_1,
  RTYPE.MBP_10,
  RTYPE.BBO_1S,
  RTYPE.BBO_1M,
  RTYPE.CBBO_1S,
  RTYPE.CBBO_1M,
  RTYPE.CMBP_1,
  RTYPE.TCBBO,
]);
/** Records whose `price` is a trade price whatever their action field says. */
const TRADE_PRICED = new Set<number>([RTYPE.BBO_1S, RTYPE.BBO_1M, RTYPE.CBBO_1S, RTYPE.CBBO_1M, RTYPE.TCBBO]);

interface Top {
  bid?: string;
  ask?: string;
  last?: string;
}

export class DbnQuoteMapper {
  readonly symbols: InstrumentSymbols;
  private readonly tops = new Map<number, Top>();

  constructor(metadata: DbnMetadata | null) {
    this.symbols = new InstrumentSymbols(metadata);
  }

  /** The quote a record implies, or null for records that are not quotes. */
  map(record: DbnJsonRecord): QuoteEvent | null {
    if (this.symbols.observe(record)) return null;
    const rtype = record.hd.rtype;
    const id = record.hd.instrument_id;
    const top: Top = { ...this.tops.get(id) };
    let tsNs = indexTs(record);
    if (BOOK_RTYPES.has(rtype)) {
      const rec = record as MarketRecord;
      const level = rec.levels?.[0];
      if (level) {
        top.bid = dbnPriceToDecimal(level.bid_px);
        top.ask = dbnPriceToDecimal(level.ask_px);
      }
      if (rec.action === 'T' || TRADE_PRICED.has(rtype)) top.last = dbnPriceToDecimal(rec.price) ?? top.last;
    } else if (rtype === RTYPE.MBP_0) {
      top.last = dbnPriceToDecimal((record as MarketRecord).price) ?? top.last;
    } else if (isOhlcvRtype(rtype)) {
      top.last = dbnPriceToDecimal((record as OhlcvRecord).close) ?? top.last;
      const bar = BAR_NS[rtype];
      if (bar !== undefined) tsNs = (BigInt(record.hd.ts_event) + bar).toString();
    } else {
      return null;
    }
    this.tops.set(id, top);
    const symbol = this.symbols.symbolAt(id, indexTs(record));
    if (symbol === undefined) {
      throw new AppError(
        'ERR_INSTRUMENT_UNKNOWN',
        `DBN instrument_id ${id} has no symbol mapping for the record at ts ${indexTs(record)}`,
      );
    }
    const event: QuoteEvent = { ts: new Date(nsToMs(tsNs)).toISOString(), type: 'quote', symbol };
    if (top.bid !== undefined) event.bid = top.bid;
    if (top.ask !== undefined) event.ask = top.ask;
    if (top.last !== undefined) event.last = top.last;
    return event;
  }
}
