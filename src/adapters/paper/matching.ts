/**
 * The per-order-type fill rules of the paper engine (docs/backtest.md "Fill model"): where along
 * a bar's path an order fills, what it carries into the next bar, and at what price it fills
 * against a quote and how much of the quote's size is left. Functions of the order and the market;
 * the exchange applies the fills.
 */
import type { Fixed } from '../../domain/money.ts';
import type { Quote } from '../broker.ts';
import {
  barPath,
  firstAtOrAbove,
  firstAtOrBelow,
  pathStart,
  trailingStop,
  type BarPath,
  type BarPrices,
  type PathPoint,
} from './bar-path.ts';
import type { WorkingOrder } from './order-state.ts';

/** Adverse slippage for market-like fills (market, stop, trailing stop). */
export type Slipper = (o: WorkingOrder, price: Fixed) => Fixed;

/** Where along this bar's path `o` fills, and at what price (no closures: this runs per bar per order). */
export function barFill(
  o: WorkingOrder,
  path: BarPath,
  from: PathPoint,
  slip: Slipper,
): { at: PathPoint; price: Fixed } | undefined {
  const buy = o.side === 'buy';
  let at: PathPoint | undefined;
  switch (o.type) {
    case 'market':
      return { at: from, price: slip(o, from.price) };
    case 'limit':
      at = buy ? firstAtOrBelow(path, from, o.limitPrice as Fixed) : firstAtOrAbove(path, from, o.limitPrice as Fixed);
      return at && { at, price: at.price };
    case 'stop':
      at = o.triggered
        ? from
        : buy
          ? firstAtOrAbove(path, from, o.stopPrice as Fixed)
          : firstAtOrBelow(path, from, o.stopPrice as Fixed);
      return at && { at, price: slip(o, at.price) };
    case 'stop_limit': {
      const trig = o.triggered
        ? from
        : buy
          ? firstAtOrAbove(path, from, o.stopPrice as Fixed)
          : firstAtOrBelow(path, from, o.stopPrice as Fixed);
      if (!trig) return undefined;
      at = buy ? firstAtOrBelow(path, trig, o.limitPrice as Fixed) : firstAtOrAbove(path, trig, o.limitPrice as Fixed);
      return at && { at, price: at.price };
    }
    case 'trailing_stop':
      at = o.triggered ? from : trailingStop(path, from, o.side, o.best, o.trailAmount as Fixed, o.initialStop).hit;
      return at && { at, price: slip(o, at.price) };
  }
}

/** State a resting order carries into the next bar: triggered stop-limits, trailing levels. */
export function carryOver(o: WorkingOrder, path: BarPath, from: PathPoint): void {
  const buy = o.side === 'buy';
  if (o.type === 'stop_limit' && !o.triggered)
    o.triggered =
      (buy ? firstAtOrAbove(path, from, o.stopPrice as Fixed) : firstAtOrBelow(path, from, o.stopPrice as Fixed)) !==
      undefined;
  if (o.type === 'trailing_stop') {
    const t = trailingStop(path, from, o.side, o.best, o.trailAmount as Fixed, o.initialStop);
    o.best = t.best;
    o.stopPrice = t.stop;
  }
}

/**
 * The price at which `o` fills against quote `q` now, or undefined. Updates trigger state: a stop
 * hit by `last` (else the side's quote) becomes market; a trailing stop follows the best price.
 */
export function quoteFill(o: WorkingOrder, q: Quote, slip: Slipper): Fixed | undefined {
  const buy = o.side === 'buy';
  const px = buy ? (q.ask ?? q.last) : (q.bid ?? q.last);
  const ref = q.last ?? (buy ? q.ask : q.bid);
  if (px === undefined || ref === undefined) return undefined;
  const stopHit = (level: Fixed): boolean => (buy ? ref >= level : ref <= level);
  const limitOk = (level: Fixed): boolean => (buy ? px <= level : px >= level);
  let price: Fixed | undefined;
  switch (o.type) {
    case 'market':
      price = slip(o, px);
      break;
    case 'limit':
      if (limitOk(o.limitPrice as Fixed)) price = px;
      break;
    case 'stop':
      if (!o.triggered && stopHit(o.stopPrice as Fixed)) o.triggered = true;
      if (o.triggered) price = slip(o, px);
      break;
    case 'stop_limit':
      if (!o.triggered && stopHit(o.stopPrice as Fixed)) o.triggered = true;
      if (o.triggered && limitOk(o.limitPrice as Fixed)) price = px;
      break;
    case 'trailing_stop': {
      if (!o.triggered) {
        o.best = o.best === undefined ? ref : buy ? (ref < o.best ? ref : o.best) : ref > o.best ? ref : o.best;
        const raw = buy ? o.best + (o.trailAmount as Fixed) : o.best - (o.trailAmount as Fixed);
        const f = o.initialStop;
        o.stopPrice = f === undefined ? raw : buy ? (raw < f ? raw : f) : raw > f ? raw : f;
        if (stopHit(o.stopPrice)) o.triggered = true;
      }
      if (o.triggered) price = slip(o, px);
      break;
    }
  }
  return price;
}

/** The latest quote and the size left on each side after the fills it already gave. */
export interface LiveQuote {
  readonly quote: Quote;
  askLeft: Fixed | undefined;
  bidLeft: Fixed | undefined;
}

/**
 * Fills what `o` can take from the live quote: at most the size shown on the side it takes (when
 * the quote has sizes), which then shrinks by what `fill(o, qty, price)` reports as filled.
 */
export function matchQuote(
  o: WorkingOrder,
  live: LiveQuote,
  slip: Slipper,
  fill: (o: WorkingOrder, qty: Fixed, price: Fixed) => Fixed,
): void {
  const q = live.quote;
  const buy = o.side === 'buy';
  const price = quoteFill(o, q, slip);
  if (price === undefined) return;
  const usesBook = buy ? q.ask !== undefined : q.bid !== undefined;
  const avail = usesBook ? (buy ? live.askLeft : live.bidLeft) : undefined;
  let qty = o.qty - o.filledQty;
  if (avail !== undefined && avail < qty) qty = avail;
  if (qty <= 0n) return;
  const filled = fill(o, qty, price);
  if (avail !== undefined) {
    if (buy) live.askLeft = avail - filled;
    else live.bidLeft = avail - filled;
  }
}

/**
 * Fills the working orders of `list` along a bar's path, earliest first: `fill(o, qty, price)`
 * executes one (it may add bracket children to `list`, which can only fill later along the path);
 * what has not filled carries its state into the next bar.
 */
export function matchAlongBar(
  list: WorkingOrder[],
  bar: BarPrices,
  slip: Slipper,
  fill: (o: WorkingOrder, qty: Fixed, price: Fixed) => void,
): void {
  const path = barPath(bar);
  const start = pathStart(path);
  const from = new Map<WorkingOrder, PathPoint>();
  const done = new Set<WorkingOrder>();
  for (;;) {
    let next: { o: WorkingOrder; at: PathPoint; price: Fixed } | undefined;
    for (const o of list) {
      if (o.status !== 'working' || done.has(o)) continue;
      const ev = barFill(o, path, from.get(o) ?? start, slip);
      if (ev && (!next || ev.at.pos < next.at.pos)) next = { o, ...ev };
    }
    if (!next) break;
    done.add(next.o);
    const before = new Set(list);
    fill(next.o, next.o.qty - next.o.filledQty, next.price);
    for (const o of list) if (!before.has(o)) from.set(o, next.at);
  }
  for (const o of list) if (o.status === 'working' && !done.has(o)) carryOver(o, path, from.get(o) ?? start);
}
