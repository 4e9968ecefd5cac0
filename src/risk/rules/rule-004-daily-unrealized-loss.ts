/** RULE-004 daily_unrealized_loss (DESIGN §3): one position's unrealized P&L < −limit → close it. */
import { z } from 'zod';
import { formatFixed } from '../../domain/money.ts';
import { nonNegativeMoney } from '../config-types.ts';
import { defineRule, type Breach } from '../rule.ts';
import { distance } from '../measures.ts';
import { positionsToCheck } from './position-scope.ts';

export const schema = z.object({ limit: nonNegativeMoney }).strict();

export const rule004 = defineRule({
  id: 'RULE-004',
  name: 'daily_unrealized_loss',
  description: "A single position's unrealized loss must not exceed the limit; a breach closes that position.",
  schema,
  triggers: ['fill', 'quote', 'reset'],
  evaluate(ctx, cfg) {
    const out: Breach[] = [];
    for (const pos of positionsToCheck(ctx)) {
      const u = ctx.unrealizedOf(pos);
      if (u < -cfg.limit) {
        out.push({
          rule: 'RULE-004',
          action: 'close_position',
          symbol: pos.symbol,
          reason: `${pos.symbol} unrealized ${formatFixed(u)} < −${formatFixed(cfg.limit)}`,
          outcomes: [{ kind: 'close_position', symbol: pos.symbol }],
        });
      }
    }
    return out;
  },
  distanceToLimit(ctx, cfg) {
    return [...ctx.account.positions.values()].filter((p) => p.qty !== 0n).map((p) => distance('RULE-004', -ctx.unrealizedOf(p), cfg.limit, p.symbol));
  },
});
