/**
 * RULE-008 no_stop_loss_grace (DESIGN §3): when a position opens (from flat, or by a flip) a timer
 * is armed at open + grace, keyed by symbol (a new open replaces it). When it fires, a position
 * that is still the same open position and has no working order of a stop type on the protective
 * side (sell stops for a long, buy stops for a short) breaches → close that position, ts = the
 * deadline. Only orders riskgate let through count (a rejected one never reached the broker).
 */
import { z } from 'zod';
import { ORDER_TYPES } from '../../domain/events.ts';
import { ZERO } from '../../domain/money.ts';
import type { AccountState } from '../account.ts';
import { duration } from '../config-types.ts';
import { defineRule, type Breach, type TimerRequest, NONE } from '../rule.ts';

export const schema = z
  .object({
    grace: duration.default(10_000),
    stopTypes: z.array(z.enum(ORDER_TYPES)).min(1).default(['stop', 'stop_limit', 'trailing_stop']),
  })
  .strict();

/** True when a working, accepted stop-type order would reduce the position in `symbol`. */
export function hasProtectiveStop(account: AccountState, symbol: string, stopTypes: readonly string[]): boolean {
  const pos = account.positions.get(symbol);
  if (!pos || pos.qty === ZERO) return false;
  const protectiveSide = pos.qty > ZERO ? 'sell' : 'buy';
  for (const o of account.orders.values()) {
    if (
      o.symbol === symbol &&
      o.side === protectiveSide &&
      !o.rejected &&
      o.filledQty < o.qty &&
      stopTypes.includes(o.orderType)
    )
      return true;
  }
  return false;
}

export const rule008 = defineRule({
  id: 'RULE-008',
  name: 'no_stop_loss_grace',
  description: 'A position must get a working stop order within the grace period after it opens.',
  schema,
  scope: 'position',
  triggers: ['fill', 'timer'],
  timers(ctx, cfg): TimerRequest[] {
    const f = ctx.fill;
    if (ctx.trigger !== 'fill' || !f || f.openedQty === ZERO) return NONE;
    // A new position: opened from flat, or the remainder of a flip (every old lot closed).
    if (f.prevAbsQty !== ZERO && f.closedQty !== f.prevAbsQty) return NONE;
    const pos = ctx.account.positions.get(f.symbol);
    if (!pos || pos.qty === ZERO) return NONE;
    return [{ rule: 'RULE-008', key: f.symbol, deadline: pos.openedAt + cfg.grace, data: { openedAt: pos.openedAt } }];
  },
  evaluate(ctx, cfg): Breach[] {
    if (ctx.trigger !== 'timer' || ctx.timer?.rule !== 'RULE-008') return NONE;
    const symbol = ctx.timer.key;
    const pos = ctx.account.positions.get(symbol);
    const openedAt = (ctx.timer.data as { openedAt?: number } | undefined)?.openedAt;
    // Closed meanwhile (or closed and reopened, which armed its own timer): nothing to check.
    if (!pos || pos.qty === ZERO || pos.openedAt !== openedAt) return NONE;
    if (hasProtectiveStop(ctx.account, symbol, cfg.stopTypes)) return NONE;
    return [
      {
        rule: 'RULE-008',
        action: 'close_position',
        symbol,
        reason: `${symbol} open for ${cfg.grace / 1000}s without a working stop order`,
        outcomes: [{ kind: 'close_position', symbol }],
      },
    ];
  },
});
