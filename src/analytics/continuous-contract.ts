/**
 * Continuous futures series from per-contract bar series, back-adjusted by the DIFFERENCE
 * method: at each roll the whole history before it is shifted by the price gap
 * (new contract close − old contract close on the roll date, or on the last date before it
 * where both traded), so the latest segment keeps real prices and the series has no roll jumps.
 * Each contract is used from the previous contract's roll date (inclusive) until its own roll
 * date (exclusive); bar fields open/high/low/close are all shifted by the same amount.
 */
import { AppError } from '../errors.ts';

export interface DatedBar {
  date: string;
  open?: number;
  high?: number;
  low?: number;
  close: number;
  volume?: number;
}

export interface ContractSeries {
  symbol: string;
  /** ISO date on which the series moves to the next contract (ignored for the last contract). */
  rollDate: string;
  bars: DatedBar[];
}

export interface ContinuousBar extends DatedBar {
  contract: string;
  rawClose: number;
  /** Amount added to this bar's raw prices. */
  adjustment: number;
}

export interface RollGap {
  date: string;
  from: string;
  to: string;
  gap: number;
}

function shift(bar: DatedBar, by: number, contract: string): ContinuousBar {
  const out: ContinuousBar = { date: bar.date, close: bar.close + by, contract, rawClose: bar.close, adjustment: by };
  if (bar.open !== undefined) out.open = bar.open + by;
  if (bar.high !== undefined) out.high = bar.high + by;
  if (bar.low !== undefined) out.low = bar.low + by;
  if (bar.volume !== undefined) out.volume = bar.volume;
  return out;
}

/** Contracts must be given in expiry order; `adjust: false` splices raw prices. */
export function continuousSeries(
  contracts: readonly ContractSeries[],
  opts: { adjust?: boolean } = {},
): { bars: ContinuousBar[]; rolls: RollGap[] } {
  if (contracts.length === 0) throw new AppError('ERR_ANALYTICS_INPUT', 'no contracts given');
  for (let i = 1; i < contracts.length; i++) {
    if (contracts[i]!.rollDate <= contracts[i - 1]!.rollDate) {
      throw new AppError(
        'ERR_ANALYTICS_INPUT',
        `contracts must be in expiry order: ${contracts[i]!.symbol} rolls on/before ${contracts[i - 1]!.symbol}`,
      );
    }
  }
  const rolls: RollGap[] = [];
  for (let i = 0; i + 1 < contracts.length; i++) {
    const from = contracts[i]!;
    const to = contracts[i + 1]!;
    const nextByDate = new Map(to.bars.map((b) => [b.date, b.close]));
    const common = from.bars.filter((b) => b.date <= from.rollDate && nextByDate.has(b.date));
    const last = common[common.length - 1];
    if (!last)
      throw new AppError(
        'ERR_ANALYTICS_INPUT',
        `${from.symbol} → ${to.symbol}: no common bar on or before the roll date ${from.rollDate}`,
      );
    rolls.push({ date: from.rollDate, from: from.symbol, to: to.symbol, gap: nextByDate.get(last.date)! - last.close });
  }
  const adjust = opts.adjust !== false;
  const bars: ContinuousBar[] = [];
  contracts.forEach((c, i) => {
    const start = i === 0 ? '' : contracts[i - 1]!.rollDate;
    const end = i === contracts.length - 1 ? '\uffff' : c.rollDate;
    const adjustment = adjust ? rolls.slice(i).reduce((s, r) => s + r.gap, 0) : 0;
    for (const b of c.bars) if (b.date >= start && b.date < end) bars.push(shift(b, adjustment, c.symbol));
  });
  return { bars, rolls };
}
