/**
 * RULE-015 pre_trade_projected_loss (DESIGN §3): an opening order's worst-case loss must fit in
 * the remaining loss room. The config is `{}`: the room comes from the account's own enabled loss
 * rules (read through `ctx.configOf`, so per-account overrides apply):
 *   - RULE-003: limit + the day's realized P&L (net unless its includeFees is false);
 *   - RULE-014: limit − (high-water mark − equity);
 * the smaller one counts; with neither enabled this rule allows everything.
 * Worst-case loss = (entry − stop) × qty × pointValue (sign by side), floored at 0: the stop is the
 * order's `stopPrice` (a stop order's own trigger, or a stop attached to a market/limit order);
 * the entry is the order's limit `price`, else the mark. An order without a stop has an unbounded
 * worst case and is rejected. A loss exactly equal to the room fits (the limits breach strictly).
 */
import { z } from 'zod';
import { formatFixed, ZERO, type Fixed } from '../../domain/money.ts';
import { moneyForPoints } from '../../domain/position.ts';
import { defineRule, type PreTradeContext, type Rejection } from '../rule.ts';
import { dayRealized } from '../measures.ts';
import type { schema as rule003Schema } from './rule-003-daily-realized-loss.ts';
import { drawdown, type TrailingDrawdownConfig } from './rule-014-trailing-drawdown.ts';

export const schema = z.object({}).strict();

/** Remaining loss room, or undefined when no loss rule is enabled for the account. */
export function lossRoom(ctx: PreTradeContext): { room: Fixed; source: string } | undefined {
  const c003 = ctx.configOf?.('RULE-003') as z.output<typeof rule003Schema> | undefined;
  const c014 = ctx.configOf?.('RULE-014') as TrailingDrawdownConfig | undefined;
  let best: { room: Fixed; source: string } | undefined;
  if (c003) best = { room: c003.limit + dayRealized(ctx.account, c003.includeFees), source: 'RULE-003 daily loss' };
  if (c014) {
    const room = c014.limit - drawdown(ctx, c014).drawdown;
    if (!best || room < best.room) best = { room, source: 'RULE-014 trailing drawdown' };
  }
  return best;
}

function reject(reason: string): Rejection {
  return { rule: 'RULE-015', code: 'PROJECTED_LOSS', reason };
}

export const rule015 = defineRule({
  id: 'RULE-015',
  name: 'pre_trade_projected_loss',
  description:
    "Rejects an opening order whose worst-case loss (to its stop) exceeds the account's remaining loss room.",
  schema,
  scope: 'account',
  triggers: [],
  preTrade(ctx) {
    const room = lossRoom(ctx);
    if (!room) return undefined;
    const o = ctx.order;
    if (o.stopPrice === undefined)
      return reject(
        `order has no stop: its worst-case loss is unbounded (room ${formatFixed(room.room)} by ${room.source})`,
      );
    const entry = o.price ?? ctx.markOf(o.symbol);
    const instrument = ctx.instruments.find(o.symbol);
    if (entry === undefined || !instrument)
      return reject(`no price to measure the order's loss against (room ${formatFixed(room.room)} by ${room.source})`);
    const points = o.side === 'buy' ? entry - o.stopPrice : o.stopPrice - entry;
    const loss = points > ZERO ? moneyForPoints(points, o.qty, instrument) : ZERO;
    if (loss <= room.room) return undefined;
    return reject(
      `worst-case loss ${formatFixed(loss)} to stop ${formatFixed(o.stopPrice)} > loss room ${formatFixed(room.room)} (${room.source})`,
    );
  },
});
