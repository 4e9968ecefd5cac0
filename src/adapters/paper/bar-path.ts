/**
 * Where inside a bar a resting order fills. A bar only tells us open, high, low and close, so the
 * paper engine assumes one deterministic intrabar path (the common convention, as in backtrader):
 * open → low → high → close for an up bar (close ≥ open), open → high → low → close otherwise,
 * moving linearly between those points. A level first reached at the open fills at the open (a gap
 * fills at the worse/better open price, never at a price the market skipped over); otherwise it
 * fills at the level itself. Positions along the path are numbers in [0, 3] used only to order
 * events within the bar; prices stay exact.
 */
import type { Fixed } from '../../domain/money.ts';

export interface BarPrices {
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
}

/** A point on the path: segment index (0..2), position (seg + fraction) and price there. */
export interface PathPoint {
  readonly pos: number;
  readonly seg: number;
  readonly price: Fixed;
}

export type BarPath = readonly [Fixed, Fixed, Fixed, Fixed];

export function barPath(bar: BarPrices): BarPath {
  return bar.close >= bar.open ? [bar.open, bar.low, bar.high, bar.close] : [bar.open, bar.high, bar.low, bar.close];
}

export function pathStart(path: BarPath): PathPoint {
  return { pos: 0, seg: 0, price: path[0] };
}

function posOf(path: BarPath, seg: number, level: Fixed): number {
  const a = path[seg] as Fixed;
  const b = path[seg + 1] as Fixed;
  if (a === b) return seg;
  return seg + Number(level - a) / Number(b - a);
}

/** First point at or after `from` where price ≥ level. */
export function firstAtOrAbove(path: BarPath, from: PathPoint, level: Fixed): PathPoint | undefined {
  if (from.price >= level) return from;
  for (let k = from.seg; k < 3; k++) {
    const b = path[k + 1] as Fixed;
    if (b >= level) return { pos: posOf(path, k, level), seg: k, price: level };
  }
  return undefined;
}

/** First point at or after `from` where price ≤ level. */
export function firstAtOrBelow(path: BarPath, from: PathPoint, level: Fixed): PathPoint | undefined {
  if (from.price <= level) return from;
  for (let k = from.seg; k < 3; k++) {
    const b = path[k + 1] as Fixed;
    if (b <= level) return { pos: posOf(path, k, level), seg: k, price: level };
  }
  return undefined;
}

/**
 * A trailing stop along the path. For a sell stop (protecting a long) the stop follows the best
 * (highest) price seen minus `trail`, never lower than `floor`; it triggers when price falls to it.
 * Exact for the linear path: the stop only rises on up-moves, and only down-moves can reach it.
 * Returns the trigger point, or the best price at the end of the bar to carry forward.
 */
export function trailingStop(
  path: BarPath,
  from: PathPoint,
  side: 'buy' | 'sell',
  best: Fixed | undefined,
  trail: Fixed,
  floor: Fixed | undefined,
): { hit: PathPoint | undefined; best: Fixed; stop: Fixed } {
  const sell = side === 'sell';
  let b =
    best === undefined
      ? from.price
      : sell
        ? from.price > best
          ? from.price
          : best
        : from.price < best
          ? from.price
          : best;
  const level = (): Fixed => {
    const raw = sell ? b - trail : b + trail;
    if (floor === undefined) return raw;
    return sell ? (raw > floor ? raw : floor) : raw < floor ? raw : floor;
  };
  let stop = level();
  if (sell ? from.price <= stop : from.price >= stop) return { hit: from, best: b, stop };
  let prev = from.price;
  for (let k = from.seg; k < 3; k++) {
    const next = path[k + 1] as Fixed;
    const favourable = sell ? next > prev : next < prev;
    if (favourable) {
      if (sell ? next > b : next < b) b = next;
      stop = level();
    } else if (sell ? next <= stop : next >= stop) {
      return { hit: { pos: posOf(path, k, stop), seg: k, price: stop }, best: b, stop };
    }
    prev = next;
  }
  return { hit: undefined, best: b, stop };
}
