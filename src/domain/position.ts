/**
 * A position netted per (account, symbol) and matched FIFO by lot (DESIGN §2): a reducing fill
 * closes the oldest lots first and realizes, per lot, (exit − lotPrice) × closedQty × pointValue
 * (negated for shorts); a flip closes every old lot and opens the rest at the fill price.
 * Everything is exact: no rounding anywhere (avgPrice is display only).
 */
import { abs, divRound, formatRounded, mul, SCALE, ZERO, type Fixed } from './money.ts';
import type { Instrument } from './instrument.ts';

export interface Lot {
  qty: Fixed; // > 0, the open quantity of this lot
  readonly price: Fixed;
}

export interface Position {
  readonly symbol: string;
  readonly instrument: Instrument;
  /** Signed: + long, − short. */
  qty: Fixed;
  lots: Lot[];
  /** Σ lotPrice × lotQty of open lots (unsigned). */
  costBasis: Fixed;
  /** Event time (ms) when the position last went from flat to open. */
  openedAt: number;
}

export function newPosition(symbol: string, instrument: Instrument): Position {
  return { symbol, instrument, qty: ZERO, lots: [], costBasis: ZERO, openedAt: 0 };
}

// Whole point values (tickValue a multiple of tickSize: every built-in future), per instrument.
const wholePointValues = new WeakMap<Instrument, bigint | null>();

/** tickValue / tickSize when it is a whole number, else undefined. */
export function wholePointValue(instrument: Instrument): bigint | undefined {
  let pv = wholePointValues.get(instrument);
  if (pv === undefined) {
    pv = instrument.tickValue % instrument.tickSize === ZERO ? instrument.tickValue / instrument.tickSize : null;
    wholePointValues.set(instrument, pv);
  }
  return pv ?? undefined;
}

/** P&L in account currency of a price move `priceDiff` on `qty` units: diff × qty × tickValue / tickSize. */
export function moneyForPoints(priceDiff: Fixed, qty: Fixed, instrument: Instrument): Fixed {
  // Whole quantity and whole point value (the common futures case): diff × units × pointValue,
  // exactly the value below without its wide division.
  const pv = wholePointValue(instrument);
  if (pv !== undefined) {
    if (qty === SCALE) return pv === 1n ? priceDiff : priceDiff * pv; // one lot
    const units = qty / SCALE;
    if (units * SCALE === qty) return priceDiff * units * pv;
  }
  // Raw scaled product: diff(1e18) × qty(1e18) × tickValue(1e18) / tickSize(1e18) = value × 1e36 → /1e18.
  const num = priceDiff * qty * instrument.tickValue;
  return divRound(num, instrument.tickSize * SCALE, 'half-even');
}

export interface FillResult {
  /** Gross realized P&L of this fill (0 for an opening fill). */
  realized: Fixed;
  /** Quantity of existing lots that this fill closed. */
  closedQty: Fixed;
  /** Quantity this fill opened (new lot), after any flip. */
  openedQty: Fixed;
  /** |qty| before the fill. */
  prevAbsQty: Fixed;
}

/**
 * Called for each lot portion a fill closes, oldest first, before the lot shrinks: `qty` of `lot`
 * closed, realizing `realized`. Lets a venue report round trips without matching lots itself.
 */
export type LotCloser = (lot: Lot, qty: Fixed, realized: Fixed) => void;

/**
 * a × b where b is usually a whole quantity: `mul` without its division for whole b (the common
 * case); bigint division is the expensive part of money math.
 */
export function mulQty(a: Fixed, b: Fixed): Fixed {
  if (b === SCALE) return a;
  return b % SCALE === ZERO ? a * (b / SCALE) : mul(a, b);
}

/**
 * Applies a fill of `qty` (> 0) on `side` at `price` to the position, in place.
 */
export function applyFill(
  pos: Position,
  side: 'buy' | 'sell',
  qty: Fixed,
  price: Fixed,
  ts: number,
  onClose?: LotCloser,
): FillResult {
  const signed = side === 'buy' ? qty : -qty;
  const prevAbsQty = abs(pos.qty);
  let remaining = qty;
  let realized = ZERO;
  let closedQty = ZERO;
  const reducing = pos.qty !== ZERO && pos.qty > ZERO !== signed > ZERO;
  if (reducing) {
    const longSide = pos.qty > ZERO;
    while (remaining > ZERO && pos.lots.length > 0) {
      const lot = pos.lots[0]!;
      const take = lot.qty <= remaining ? lot.qty : remaining;
      const diff = longSide ? price - lot.price : lot.price - price;
      const lotRealized = moneyForPoints(diff, take, pos.instrument);
      onClose?.(lot, take, lotRealized);
      realized += lotRealized;
      pos.costBasis -= mulQty(lot.price, take);
      lot.qty -= take;
      remaining -= take;
      closedQty += take;
      if (lot.qty === ZERO) pos.lots.shift();
    }
    pos.qty += longSide ? -closedQty : closedQty;
  }
  if (remaining > ZERO) {
    if (pos.qty === ZERO) pos.openedAt = ts;
    pos.lots.push({ qty: remaining, price });
    pos.costBasis += mulQty(price, remaining);
    pos.qty += side === 'buy' ? remaining : -remaining;
  }
  if (pos.qty === ZERO) pos.costBasis = ZERO;
  return { realized, closedQty, openedQty: remaining, prevAbsQty };
}

/** Σ over lots (mark − lotPrice) × lotQty × pointValue, sign by side. */
export function unrealizedPnl(pos: Position, mark: Fixed): Fixed {
  if (pos.qty === ZERO) return ZERO;
  const absQty = abs(pos.qty);
  const markValue = mulQty(mark, absQty);
  const diffTimesQty = pos.qty > ZERO ? markValue - pos.costBasis : pos.costBasis - markValue;
  // diffTimesQty is Σ (mark − lot) × qty already; convert points × qty to money (a whole point
  // value, every built-in future, needs no division).
  const pv = wholePointValue(pos.instrument);
  if (pv !== undefined) return diffTimesQty * pv;
  return divRound(diffTimesQty * pos.instrument.tickValue, pos.instrument.tickSize, 'half-even');
}

/**
 * A position's valuation without division, for a given (qty, cost basis): when the quantity is a
 * whole number of units and the point value (tickValue / tickSize) a whole number, the common
 * futures case, unrealizedPnl(pos, mark) = ±(mark × units − costBasis) × pointValue exactly.
 * Undefined otherwise (fractional crypto quantities, odd tick values): use `unrealizedPnl`.
 */
export interface WholeValuation {
  readonly long: boolean;
  readonly units: bigint;
  readonly costBasis: Fixed;
  readonly pointValue: bigint;
  /** units × pointValue and costBasis × pointValue, both negated for a short: unrealized = mark × perPoint − cost. */
  readonly perPoint: bigint;
  readonly cost: Fixed;
}

export function wholeValuation(pos: Position): WholeValuation | undefined {
  const absQty = abs(pos.qty);
  const pointValue = wholePointValue(pos.instrument);
  if (absQty === ZERO || pointValue === undefined || absQty % SCALE !== ZERO) return undefined;
  const long = pos.qty > ZERO;
  const units = absQty / SCALE;
  const perPoint = units * pointValue;
  const cost = pos.costBasis * pointValue;
  return {
    long,
    units,
    costBasis: pos.costBasis,
    pointValue,
    perPoint: long ? perPoint : -perPoint,
    cost: long ? cost : -cost,
  };
}

/** `unrealizedPnl` through a `WholeValuation` (same value: one multiplication, one subtraction). */
export function unrealizedAt(v: WholeValuation, mark: Fixed): Fixed {
  return mark * v.perPoint - v.cost;
}

/** Average open price, display only: up to 9 decimals, half-even. */
export function avgPrice(pos: Position): string {
  if (pos.qty === ZERO) return '0';
  return formatRounded(divRound(pos.costBasis * SCALE, abs(pos.qty), 'half-even'), 9);
}

export function clonePosition(pos: Position): Position {
  return { ...pos, lots: pos.lots.map((l) => ({ ...l })) };
}
