/**
 * RULE-012 trade_management (DESIGN §3): not a breach. For a position with a working stop order
 * on the protective side, on quotes of its symbol:
 *   - at ≥ `breakevenAfterTicks` ticks of profit, move the stop to breakeven (the average price,
 *     rounded to the tick grid on the safe side: up for a long, down for a short);
 *   - from ≥ `trailAfterTicks` ticks of profit, trail it `trailByTicks` ticks behind the mark.
 * A stop is only ever tightened, never loosened. Profit ticks = (mark − avg) / tickSize (sign by side).
 */
import { z } from 'zod';
import { abs, div, divRound, formatFixed, SCALE, ZERO, type Fixed } from '../../domain/money.ts';
import { defineRule, quiet, type Breach, type Outcome, type QuietBand, type RuleContext, NONE } from '../rule.ts';
import type { Position } from '../../domain/position.ts';

const ticks = z.number().int().min(1);

export const schema = z
  .object({
    breakevenAfterTicks: ticks.optional(),
    trailAfterTicks: ticks.optional(),
    trailByTicks: ticks.optional(),
    stopTypes: z
      .array(z.enum(['stop', 'stop_limit', 'trailing_stop']))
      .min(1)
      .default(['stop', 'stop_limit', 'trailing_stop']),
  })
  .strict()
  .refine((c) => (c.trailAfterTicks === undefined) === (c.trailByTicks === undefined), {
    message: 'trailAfterTicks and trailByTicks go together',
    path: ['trailByTicks'],
  });

/** Rounds a price to the tick grid: up (`ceil`) or down. */
function toTick(price: Fixed, tick: Fixed, mode: 'ceil' | 'floor'): Fixed {
  return divRound(price, tick, mode) * tick; // whole ticks × tick size
}

// The average open price only changes with a fill, while this runs on every quote: the last value
// per position is kept with the (qty, cost basis) it was computed from, and so are the gains (in
// price points) that trigger breakeven and trailing for the config it was computed with.
interface Levels {
  qty: Fixed;
  costBasis: Fixed;
  cfg: Config;
  avg: Fixed;
  breakevenGain: Fixed | undefined;
  trailGain: Fixed | undefined;
  trailBy: Fixed | undefined;
  /** `quietMarks` for the loosest stop `quietStop` (see there). */
  quiet: QuietBand | undefined;
  quietStop: Fixed | undefined;
}
const levelsCache = new WeakMap<Position, Levels>();

function levelsOf(pos: Position, cfg: Config): Levels {
  const c = levelsCache.get(pos);
  if (c !== undefined && c.qty === pos.qty && c.costBasis === pos.costBasis && c.cfg === cfg) return c;
  const tick = pos.instrument.tickSize;
  const levels: Levels = {
    qty: pos.qty,
    costBasis: pos.costBasis,
    cfg,
    avg: divRound(pos.costBasis * SCALE, abs(pos.qty), 'half-even'),
    breakevenGain: cfg.breakevenAfterTicks === undefined ? undefined : tick * BigInt(cfg.breakevenAfterTicks),
    trailGain:
      cfg.trailAfterTicks === undefined || cfg.trailByTicks === undefined
        ? undefined
        : tick * BigInt(cfg.trailAfterTicks),
    trailBy: cfg.trailByTicks === undefined ? undefined : tick * BigInt(cfg.trailByTicks),
    quiet: undefined,
    quietStop: undefined,
  };
  levelsCache.set(pos, levels);
  return levels;
}

type Config = z.infer<typeof schema>;

/**
 * The loosest working protective stop of a position (the one a new target tightens first): null
 * when there is none, undefined when one has no stop price (any target is tighter than it).
 */
function loosestStop(ctx: RuleContext, pos: Position, cfg: Config): Fixed | undefined | null {
  const long = pos.qty > ZERO;
  const protectiveSide = long ? 'sell' : 'buy';
  let loosest: Fixed | undefined | null = null;
  for (const o of ctx.account.orders.values()) {
    if (o.symbol !== pos.symbol || o.side !== protectiveSide || o.rejected || o.filledQty >= o.qty) continue;
    if (!(cfg.stopTypes as readonly string[]).includes(o.orderType)) continue;
    if (o.stopPrice === undefined) return undefined;
    if (loosest === null || (long ? o.stopPrice < loosest : o.stopPrice > loosest)) loosest = o.stopPrice;
  }
  return loosest;
}

/**
 * The marks at which `evaluate` moves no stop: below the first mark at which the target would be
 * tighter than the loosest working stop (above the last one, for a short). The target only
 * tightens as the mark moves in the position's favour, so that mark is the earlier of the
 * breakeven level (when breakeven is tighter than that stop) and the first mark whose trailing
 * stop, on the tick grid, is tighter than it. Kept with the levels for the last stop it was
 * computed for (it runs after most quote evaluations, and stops move rarely).
 */
function quietMarks(ctx: RuleContext, pos: Position, cfg: Config): QuietBand {
  const stop = loosestStop(ctx, pos, cfg);
  if (stop === null) return ANY_MARK; // no stop to move
  const lv = levelsOf(pos, cfg);
  if (lv.quiet !== undefined && lv.quietStop === stop) return lv.quiet;
  const long = pos.qty > ZERO;
  const tick = pos.instrument.tickSize;
  let first: Fixed | undefined; // the first mark (from the position's side) that moves the stop
  if (lv.breakevenGain !== undefined) {
    const breakeven = toTick(lv.avg, tick, long ? 'ceil' : 'floor');
    if (stop === undefined || (long ? breakeven > stop : breakeven < stop))
      first = long ? lv.avg + lv.breakevenGain : lv.avg - lv.breakevenGain;
  }
  if (lv.trailGain !== undefined && lv.trailBy !== undefined) {
    let m = long ? lv.avg + lv.trailGain : lv.avg - lv.trailGain;
    if (stop !== undefined) {
      // Long: floor_tick(m − trailBy) > stop ⟺ m − trailBy ≥ the first grid price above the stop.
      // Short: ceil_tick(m + trailBy) < stop ⟺ m + trailBy ≤ the last grid price below the stop.
      const grid = long
        ? toTick(stop, tick, 'floor') + tick + lv.trailBy
        : toTick(stop, tick, 'ceil') - tick - lv.trailBy;
      if (long ? grid > m : grid < m) m = grid;
    }
    if (first === undefined || (long ? m < first : m > first)) first = m;
  }
  lv.quietStop = stop;
  lv.quiet = first === undefined ? ANY_MARK : quiet(long ? { markHi: first - 1n } : { markLo: first + 1n });
  return lv.quiet;
}

const ANY_MARK: QuietBand = quiet({});

export const rule012 = defineRule({
  id: 'RULE-012',
  name: 'trade_management',
  description: 'Moves protective stops to breakeven and trails them as a position gains (never loosens a stop).',
  schema,
  scope: 'position',
  triggers: ['quote'],
  quietBand(ctx, cfg, position) {
    return quietMarks(ctx, position, cfg);
  },
  evaluate(ctx, cfg): Breach[] {
    if (ctx.trigger !== 'quote' || !ctx.symbol) return NONE;
    const pos = ctx.account.positions.get(ctx.symbol);
    const mark = ctx.markOf(ctx.symbol);
    if (!pos || pos.qty === ZERO || mark === undefined) return NONE;
    const long = pos.qty > ZERO;
    const tick = pos.instrument.tickSize;
    const lv = levelsOf(pos, cfg);
    const avg = lv.avg;
    const gain = long ? mark - avg : avg - mark; // price points in our favour
    let target: Fixed | undefined;
    if (lv.breakevenGain !== undefined && gain >= lv.breakevenGain) {
      target = toTick(avg, tick, long ? 'ceil' : 'floor');
    }
    if (lv.trailGain !== undefined && lv.trailBy !== undefined && gain >= lv.trailGain) {
      // On the tick grid, at least trailByTicks behind the mark (a mid-price mark may be off-grid).
      const trail = long ? toTick(mark - lv.trailBy, tick, 'floor') : toTick(mark + lv.trailBy, tick, 'ceil');
      if (target === undefined || (long ? trail > target : trail < target)) target = trail;
    }
    if (target === undefined) return NONE;
    const outcomes: Outcome[] = [];
    const protectiveSide = long ? 'sell' : 'buy';
    for (const o of ctx.account.orders.values()) {
      if (o.symbol !== ctx.symbol || o.side !== protectiveSide || o.rejected || o.filledQty >= o.qty) continue;
      if (!(cfg.stopTypes as readonly string[]).includes(o.orderType)) continue;
      const tighter = o.stopPrice === undefined || (long ? target > o.stopPrice : target < o.stopPrice);
      if (tighter) outcomes.push({ kind: 'move_stop', orderId: o.orderId, stopPrice: target });
    }
    if (!outcomes.length) return NONE;
    return [
      {
        rule: 'RULE-012',
        action: 'move_stop',
        symbol: ctx.symbol,
        isBreach: false,
        reason: `${ctx.symbol} ${formatFixed(div(gain, tick, 'floor'))} ticks in profit: stop to ${formatFixed(target)}`,
        outcomes,
      },
    ];
  },
});
