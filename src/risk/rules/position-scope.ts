/** Which positions a per-position rule looks at for an event (DESIGN §3). */
import { ZERO } from '../../domain/money.ts';
import type { Position } from '../../domain/position.ts';
import type { Breach, RuleContext, RuleId } from '../rule.ts';
import type { Fixed } from '../../domain/money.ts';

/** Fills and quotes: the positions in that symbol; resets: every open position. */
export function positionsToCheck(ctx: RuleContext): Position[] {
  if (ctx.trigger === 'reset') return [...ctx.account.positions.values()].filter((p) => p.qty !== ZERO);
  if ((ctx.trigger === 'fill' || ctx.trigger === 'quote') && ctx.symbol) {
    const p = ctx.account.positions.get(ctx.symbol);
    return p && p.qty !== ZERO ? [p] : [];
  }
  return [];
}

/**
 * Close-position breaches of an unrealized-P&L rule (RULE-004, RULE-005): `reasonIf` returns why
 * a position with that unrealized P&L breaches, or undefined when it does not.
 */
export function unrealizedBreaches(ctx: RuleContext, rule: RuleId, reasonIf: (unrealized: Fixed, symbol: string) => string | undefined): Breach[] {
  const out: Breach[] = [];
  for (const pos of positionsToCheck(ctx)) {
    const reason = reasonIf(ctx.unrealizedOf(pos), pos.symbol);
    if (reason) out.push({ rule, action: 'close_position', symbol: pos.symbol, reason, outcomes: [{ kind: 'close_position', symbol: pos.symbol }] });
  }
  return out;
}
