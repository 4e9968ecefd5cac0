/**
 * RULE-003 daily_realized_loss (DESIGN §3): the day's net realized P&L < −limit (−limit itself is
 * not a breach). Checked on every fill, so an opening fill's fee can tip it over. Close all,
 * cancel all, lock until the next reset.
 */
import { z } from 'zod';
import { formatFixed } from '../../domain/money.ts';
import { nonNegativeMoney } from '../config-types.ts';
import { defineRule, NONE } from '../rule.ts';
import { dayRealized, distance } from '../measures.ts';

export const schema = z.object({ limit: nonNegativeMoney, includeFees: z.boolean().default(true) }).strict();

export const rule003 = defineRule({
  id: 'RULE-003',
  name: 'daily_realized_loss',
  description:
    "The day's net realized loss must not exceed the limit; a breach flattens and locks the account until the next reset.",
  schema,
  scope: 'account',
  limitsLoss: true,
  triggers: ['fill'],
  evaluate(ctx, cfg) {
    if (ctx.trigger !== 'fill') return NONE;
    const pnl = dayRealized(ctx.account, cfg.includeFees);
    if (pnl >= -cfg.limit) return NONE;
    return [
      {
        rule: 'RULE-003',
        action: 'close_all',
        reason: `day realized P&L ${formatFixed(pnl)} < −${formatFixed(cfg.limit)}`,
        outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }, { kind: 'lockout', until: ctx.nextReset }],
      },
    ];
  },
  distanceToLimit(ctx, cfg) {
    return [distance('RULE-003', -dayRealized(ctx.account, cfg.includeFees), cfg.limit)];
  },
});
