/**
 * The paper venue's position per (account, symbol): the domain's netted FIFO position
 * (src/domain/position.ts, DESIGN §2: the same lots and realized P&L the risk engine computes) plus
 * what only a venue reports: each closed lot portion as a round trip with its fees, which the
 * backtester lists as a trade, and number mirrors for equity curves.
 */
import { div, type Fixed } from '../../domain/money.ts';
import type { Instrument } from '../../domain/instrument.ts';
import { applyFill, newPosition, unrealizedPnl, type Lot, type Position } from '../../domain/position.ts';

/** When an open lot was entered and the part of its opening fill's fee it still carries. */
export interface LotEntry {
  readonly ts: number;
  /** Pro rata to the lot's remaining qty. */
  fee: Fixed;
}

export interface RoundTrip {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly qty: Fixed;
  readonly entryTs: number;
  readonly entryPrice: Fixed;
  readonly exitTs: number;
  readonly exitPrice: Fixed;
  /** Gross realized P&L of this portion. */
  readonly grossPnl: Fixed;
  /** Opening + closing fees attributed to this portion. */
  readonly fees: Fixed;
}

const NONE_CLOSED: RoundTrip[] = [];

export class PositionBook {
  readonly position: Position;
  /** One entry per lot of `position.lots`, in the same order (lots close from the front). */
  readonly lotEntries: LotEntry[] = [];
  /** JS-number mirrors of qty, cost basis and point value: equity curves and statistics only. */
  qtyNum = 0;
  costNum = 0;
  readonly pointValueNum: number;

  constructor(
    readonly symbol: string,
    instrument: Instrument,
  ) {
    this.position = newPosition(symbol, instrument);
    this.pointValueNum = Number(div(instrument.tickValue, instrument.tickSize)) / 1e18;
  }

  /** + long, − short */
  get qty(): Fixed {
    return this.position.qty;
  }

  /** Unrealized P&L at a numeric mark, as a number (for equity curves). */
  unrealizedNum(mark: number): number {
    return this.qtyNum === 0 ? 0 : (mark * this.qtyNum - this.costNum) * this.pointValueNum;
  }

  /** Applies a fill (signed qty: + buy, − sell); returns the round trips it closed. */
  apply(signedQty: Fixed, price: Fixed, fee: Fixed, ts: number): readonly RoundTrip[] {
    const pos = this.position;
    const buy = signedQty > 0n;
    const absFill = buy ? signedQty : -signedQty;
    const reducing = pos.qty !== 0n && pos.qty > 0n !== buy;
    let openedQty = absFill;
    let closed = NONE_CLOSED;
    if (reducing) {
      const c = this.closing;
      c.price = price;
      c.ts = ts;
      c.fee = fee;
      c.absFill = absFill;
      c.feeLeft = fee;
      c.closed = [];
      openedQty = applyFill(pos, buy ? 'buy' : 'sell', absFill, price, ts, this.closeLot).openedQty;
      closed = c.closed;
      const last = closed[closed.length - 1];
      if (openedQty === 0n && last && c.feeLeft !== 0n) {
        // The fill closed only: its whole fee belongs to the closed portions (no rounding loss).
        c.closed[closed.length - 1] = { ...last, fees: last.fees + c.feeLeft };
      }
      fee = c.feeLeft;
    } else applyFill(pos, buy ? 'buy' : 'sell', absFill, price, ts);
    if (openedQty !== 0n) this.lotEntries.push({ ts, fee });
    if (pos.qty === 0n) {
      this.qtyNum = 0;
      this.costNum = 0;
    } else {
      this.qtyNum = Number(pos.qty) / 1e18;
      this.costNum = (pos.qty > 0n ? 1 : -1) * (Number(pos.costBasis) / 1e18);
    }
    return closed;
  }

  /** The fill being applied, as `closeLot` needs it (kept here: no closure per fill). */
  private readonly closing = { price: 0n, ts: 0, fee: 0n, absFill: 0n, feeLeft: 0n, closed: [] as RoundTrip[] };

  /** One closed lot portion of the fill in `closing` as a round trip (called oldest lot first). */
  private readonly closeLot = (lot: Lot, take: Fixed, realized: Fixed): void => {
    const c = this.closing;
    const entry = this.lotEntries[0] as LotEntry;
    const entryFee = lot.qty === take || entry.fee === 0n ? entry.fee : (entry.fee * take) / lot.qty;
    // The fill's fee, attributed pro rata to its closing portions (the rest to the opening part).
    const exitFee = c.fee === 0n ? 0n : (c.fee * take) / c.absFill;
    c.feeLeft -= exitFee;
    c.closed.push({
      symbol: this.symbol,
      side: this.position.qty > 0n ? 'long' : 'short',
      qty: take,
      entryTs: entry.ts,
      entryPrice: lot.price,
      exitTs: c.ts,
      exitPrice: c.price,
      grossPnl: realized,
      fees: entryFee + exitFee,
    });
    entry.fee -= entryFee;
    if (lot.qty === take) this.lotEntries.shift();
  };

  /** Σ lotPrice × lotQty / |qty|, truncated: display use (the broker interface's `avgPrice`). */
  avgPrice(): Fixed {
    const pos = this.position;
    if (pos.qty === 0n) return 0n;
    return (pos.costBasis * 10n ** 18n) / (pos.qty < 0n ? -pos.qty : pos.qty);
  }

  /** (mark − lotPrice) × lotQty × pointValue summed over lots, signed by side. */
  unrealized(mark: Fixed): Fixed {
    return unrealizedPnl(this.position, mark);
  }
}
