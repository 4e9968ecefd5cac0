/** RULE-005 max_unrealized_profit (DESIGN §3): one position's unrealized P&L ≥ target → close it. */
import { z } from 'zod';
import { formatFixed } from '../../domain/money.ts';
import { positiveMoney } from '../config-types.ts';
import { defineRule, type Breach } from '../rule.ts';
import { distance } from '../measures.ts';
import { positionsToCheck } from './position-scope.ts';

export const schema = z.object({ target: positiveMoney }).strict();

export const rule005 = defineRule({
  id: 'RULE-005',
  name: 'max_unrealized_profit',
  description: "A single position's unrealized profit reaching the target closes that position (locks the gain in).",
  schema,
  triggers: ['fill', 'quote', 'reset'],
  evaluate(ctx, cfg) {
    const out: Breach[] = [];
    for (const pos of positionsToCheck(ctx)) {
      const u = ctx.unrealizedOf(pos);
      if (u >= cfg.target) {
        out.push({
          rule: 'RULE-005',
          action: 'close_position',
          symbol: pos.symbol,
          reason: `${pos.symbol} unrealized ${formatFixed(u)} ≥ target ${formatFixed(cfg.target)}`,
          outcomes: [{ kind: 'close_position', symbol: pos.symbol }],
        });
      }
    }
    return out;
  },
  distanceToLimit(ctx, cfg) {
    return [...ctx.account.positions.values()].filter((p) => p.qty !== 0n).map((p) => distance('RULE-005', ctx.unrealizedOf(p), cfg.target, p.symbol));
  },
});
