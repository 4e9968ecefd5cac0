/**
 * Netted positions with FIFO lots (DESIGN §2): a reducing fill closes the oldest lots first and
 * realizes (exit − lotPrice) × closedQty × pointValue (negated for shorts); a flipping fill closes
 * every old lot and opens the rest at the fill price. Exact bigint arithmetic, no rounding.
 * Each closed lot portion is reported as a round trip, which the backtester lists as a trade.
 */
import { mul, SCALE, type Fixed } from '../../domain/money.ts';

/**
 * a × b where b is usually a whole quantity: exact and cheap for the common cases (1 lot, whole
 * lots), the general rounded `mul` otherwise. Bigint division is the expensive part of money math.
 */
export function mulQty(a: Fixed, b: Fixed): Fixed {
  if (b === SCALE) return a;
  if (a === SCALE) return b;
  if (b % SCALE === 0n) return a * (b / SCALE);
  return mul(a, b);
}

export interface Lot {
  qty: Fixed; // always > 0
  price: Fixed;
  ts: number;
  /** Fee of the opening fill still attributed to this lot (pro rata to its remaining qty). */
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
  /** + long, − short */
  qty: Fixed = 0n;
  readonly lots: Lot[] = [];
  /** Σ lotPrice × lotQty, kept incrementally so marking a position costs one multiplication. */
  private costBasis: Fixed = 0n;
  /** JS-number mirrors of qty, cost basis and point value: equity curves and statistics only. */
  qtyNum = 0;
  costNum = 0;
  readonly pointValueNum: number;

  constructor(
    readonly symbol: string,
    readonly pointValue: Fixed,
  ) {
    this.pointValueNum = Number(pointValue) / 1e18;
  }

  /** Unrealized P&L at a numeric mark, as a number (for equity curves). */
  unrealizedNum(mark: number): number {
    return this.qtyNum === 0 ? 0 : (mark * this.qtyNum - this.costNum) * this.pointValueNum;
  }

  /** Applies a fill (signed qty: + buy, − sell); returns the round trips it closed. */
  apply(signedQty: Fixed, price: Fixed, fee: Fixed, ts: number): readonly RoundTrip[] {
    // Fast path, the most common fill of all: opening from flat.
    if (this.qty === 0n) {
      const absOpen = signedQty < 0n ? -signedQty : signedQty;
      this.lots.push({ qty: absOpen, price, ts, fee });
      this.costBasis = mulQty(price, absOpen);
      this.qty = signedQty;
      this.qtyNum = Number(signedQty) / 1e18;
      this.costNum = (signedQty > 0n ? 1 : -1) * (Number(this.costBasis) / 1e18);
      return NONE_CLOSED;
    }
    let closed: RoundTrip[] = NONE_CLOSED;
    let remaining = signedQty;
    const absFill = signedQty < 0n ? -signedQty : signedQty;
    let feeLeft = fee;
    while (remaining !== 0n && this.qty !== 0n && remaining < 0n !== this.qty < 0n) {
      const lot = this.lots[0];
      if (!lot) break;
      const absRem = remaining < 0n ? -remaining : remaining;
      const take = lot.qty <= absRem ? lot.qty : absRem;
      const long = this.qty > 0n;
      const diff = long ? price - lot.price : lot.price - price;
      const entryFee = lot.qty === take || lot.fee === 0n ? lot.fee : (lot.fee * take) / lot.qty;
      // The fill's fee, attributed pro rata to its closing portions (the rest to the opening part).
      const exitFee = fee === 0n ? 0n : (fee * take) / absFill;
      feeLeft -= exitFee;
      if (closed === NONE_CLOSED) closed = [];
      closed.push({
        symbol: this.symbol,
        side: long ? 'long' : 'short',
        qty: take,
        entryTs: lot.ts,
        entryPrice: lot.price,
        exitTs: ts,
        exitPrice: price,
        grossPnl: mulQty(mulQty(diff, take), this.pointValue),
        fees: entryFee + exitFee,
      });
      this.costBasis -= mulQty(lot.price, take);
      lot.fee -= entryFee;
      lot.qty -= take;
      if (lot.qty === 0n) this.lots.shift();
      if (long) {
        this.qty -= take;
        remaining += take;
      } else {
        this.qty += take;
        remaining -= take;
      }
    }
    const last = closed[closed.length - 1];
    if (remaining === 0n && last && feeLeft !== 0n) {
      // The fill closed only: its whole fee belongs to the closed portions (no rounding loss).
      closed[closed.length - 1] = { ...last, fees: last.fees + feeLeft };
      feeLeft = 0n;
    }
    if (remaining !== 0n) {
      const absOpen = remaining < 0n ? -remaining : remaining;
      this.lots.push({ qty: absOpen, price, ts, fee: feeLeft });
      this.costBasis += mulQty(price, absOpen);
      this.qty += remaining;
    }
    if (this.qty === 0n) {
      this.qtyNum = 0;
      this.costNum = 0;
    } else {
      this.qtyNum = Number(this.qty) / 1e18;
      this.costNum = (this.qty > 0n ? 1 : -1) * (Number(this.costBasis) / 1e18);
    }
    return closed;
  }

  /** Σ lotPrice × lotQty / |qty| — exact only when divisible; display use. */
  avgPrice(): Fixed {
    if (this.qty === 0n) return 0n;
    const absQty = this.qty < 0n ? -this.qty : this.qty;
    return (this.costBasis * 10n ** 18n) / absQty;
  }

  /** (mark − lotPrice) × lotQty × pointValue summed over lots, signed by side. */
  unrealized(mark: Fixed): Fixed {
    if (this.qty === 0n) return 0n;
    const value = mulQty(mark, this.qty < 0n ? -this.qty : this.qty) - this.costBasis;
    return mulQty(this.qty > 0n ? value : -value, this.pointValue);
  }
}
