/** Which positions a per-position rule looks at for an event (DESIGN §3). */
import { ZERO } from '../../domain/money.ts';
import type { Position } from '../../domain/position.ts';
import type { RuleContext } from '../rule.ts';

/** Fills and quotes: the positions in that symbol; resets: every open position. */
export function positionsToCheck(ctx: RuleContext): Position[] {
  if (ctx.trigger === 'reset') return [...ctx.account.positions.values()].filter((p) => p.qty !== ZERO);
  if ((ctx.trigger === 'fill' || ctx.trigger === 'quote') && ctx.symbol) {
    const p = ctx.account.positions.get(ctx.symbol);
    return p && p.qty !== ZERO ? [p] : [];
  }
  return [];
}
