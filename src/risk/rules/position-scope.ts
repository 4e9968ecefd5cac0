/** Which positions a per-position rule looks at for an event (DESIGN §3). */
import { ZERO } from '../../domain/money.ts';
import type { Position } from '../../domain/position.ts';
import type { Breach, RuleContext, RuleId } from '../rule.ts';
import { NONE } from '../rule.ts';
import type { Fixed } from '../../domain/money.ts';

/** Fills and quotes: the position in that symbol; resets: every open position. */
export function positionsToCheck(ctx: RuleContext): Position[] {
  if (ctx.trigger === 'reset') return [...ctx.account.positions.values()].filter((p) => p.qty !== ZERO);
  if ((ctx.trigger === 'fill' || ctx.trigger === 'quote') && ctx.symbol) {
    const p = ctx.account.positions.get(ctx.symbol);
    return p && p.qty !== ZERO ? [p] : [];
  }
  return NONE;
}

/**
 * Close-position breaches of an unrealized-P&L rule (RULE-004, RULE-005): `reasonIf(unrealized,
 * symbol, cfg)` returns why a position with that unrealized P&L breaches, or undefined when it
 * does not. `reasonIf` is a module-level function taking the rule's config (no closure per call):
 * this runs on every quote for every account holding the symbol.
 */
export function unrealizedBreaches<C>(
  ctx: RuleContext,
  rule: RuleId,
  cfg: C,
  reasonIf: (unrealized: Fixed, symbol: string, cfg: C) => string | undefined,
): Breach[] {
  if ((ctx.trigger === 'fill' || ctx.trigger === 'quote') && ctx.symbol) {
    const p = ctx.account.positions.get(ctx.symbol);
    if (p === undefined || p.qty === ZERO) return NONE;
    const reason = reasonIf(ctx.unrealizedOf(p), p.symbol, cfg);
    return reason ? [closeBreach(rule, p.symbol, reason)] : [];
  }
  const out: Breach[] = [];
  for (const pos of positionsToCheck(ctx)) {
    const reason = reasonIf(ctx.unrealizedOf(pos), pos.symbol, cfg);
    if (reason) out.push(closeBreach(rule, pos.symbol, reason));
  }
  return out;
}

function closeBreach(rule: RuleId, symbol: string, reason: string): Breach {
  return { rule, action: 'close_position', symbol, reason, outcomes: [{ kind: 'close_position', symbol }] };
}
