/** Round trip (exact) → the trade record of `--report json` (ISO times, decimal strings). */
import { formatFixed, isWhole, toSafeInteger, type Fixed } from '../domain/money.ts';
import type { RoundTrip } from '../adapters/paper/positions.ts';
import type { TradeRecord } from './types.ts';

/** Quantities print as JSON integers when whole (futures), else decimal strings (crypto). */
export function qtyJson(q: Fixed): number | string {
  return isWhole(q) ? toSafeInteger(q) : formatFixed(q);
}

export function toTradeRecord(rt: RoundTrip): TradeRecord {
  return {
    symbol: rt.symbol,
    side: rt.side,
    qty: qtyJson(rt.qty),
    entryTime: new Date(rt.entryTs).toISOString(),
    entryPrice: formatFixed(rt.entryPrice),
    exitTime: new Date(rt.exitTs).toISOString(),
    exitPrice: formatFixed(rt.exitPrice),
    pnl: formatFixed(rt.grossPnl - rt.fees),
  };
}
