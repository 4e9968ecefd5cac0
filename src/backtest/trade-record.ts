/** Round trip (exact) → the trade record of `--report json` (ISO times, decimal strings). */
import { SCALE_DIGITS, type Fixed } from '../domain/money.ts';
import type { RoundTrip } from '../adapters/paper/positions.ts';
import type { TradeRecord } from './types.ts';

const ZEROS = '0'.repeat(SCALE_DIGITS);

/**
 * Exact shortest decimal of a Fixed ("-954.28", "805"), same output as money.formatFixed but with
 * one bigint→string conversion and no bigint division (trade lists format many prices).
 */
export function decimalString(v: Fixed): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (digits.length <= SCALE_DIGITS) digits = ZEROS.slice(digits.length - 1) + digits;
  const cut = digits.length - SCALE_DIGITS;
  let end = digits.length;
  while (end > cut && digits.charCodeAt(end - 1) === 48) end--;
  const body = end === cut ? digits.slice(0, cut) : `${digits.slice(0, cut)}.${digits.slice(cut, end)}`;
  return neg && v !== 0n ? `-${body}` : body;
}

/** Quantities print as JSON integers when whole (futures), else decimal strings (crypto). */
export function qtyJson(q: Fixed): number | string {
  const s = decimalString(q);
  const n = Number(s);
  return !s.includes('.') && Number.isSafeInteger(n) ? n : s;
}

const clock = new Date(0);
function iso(ts: number): string {
  clock.setTime(ts);
  return clock.toISOString();
}

export function toTradeRecord(rt: RoundTrip): TradeRecord {
  return {
    symbol: rt.symbol,
    side: rt.side,
    qty: qtyJson(rt.qty),
    entryTime: iso(rt.entryTs),
    entryPrice: decimalString(rt.entryPrice),
    exitTime: iso(rt.exitTs),
    exitPrice: decimalString(rt.exitPrice),
    pnl: decimalString(rt.grossPnl - rt.fees),
  };
}
