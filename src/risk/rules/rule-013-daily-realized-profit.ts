/**
 * RULE-013 daily_realized_profit (DESIGN §3): the day's net realized P&L ≥ target. Close all,
 * cancel, lock until the next reset (prop-firm "daily profit cap").
 */
import { z } from 'zod';
import { formatFixed } from '../../domain/money.ts';
import { positiveMoney } from '../config-types.ts';
import { defineRule, NONE } from '../rule.ts';
import { dayRealized, distance } from '../measures.ts';

export const schema = z.object({ target: positiveMoney, includeFees: z.boolean().default(true) }).strict();

export const rule013 = defineRule({
  id: 'RULE-013',
  name: 'daily_realized_profit',
  description: "The day's net realized profit reaching the target flattens and locks the account until the next reset.",
  schema,
  scope: 'account',
  triggers: ['fill'],
  evaluate(ctx, cfg) {
    if (ctx.trigger !== 'fill') return NONE;
    const pnl = dayRealized(ctx.account, cfg.includeFees);
    if (pnl < cfg.target) return NONE;
    return [
      {
        rule: 'RULE-013',
        action: 'close_all',
        reason: `day realized P&L ${formatFixed(pnl)} ≥ target ${formatFixed(cfg.target)}`,
        outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }, { kind: 'lockout', until: ctx.nextReset }],
      },
    ];
  },
  distanceToLimit(ctx, cfg) {
    return [distance('RULE-013', dayRealized(ctx.account, cfg.includeFees), cfg.target)];
  },
});
