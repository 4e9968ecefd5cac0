/** RULE-005 max_unrealized_profit (DESIGN §3): one position's unrealized P&L ≥ target → close it. */
import { z } from 'zod';
import { formatFixed, type Fixed } from '../../domain/money.ts';
import { positiveMoney } from '../config-types.ts';
import { defineRule, quiet, quietPerConfig } from '../rule.ts';
import { distance } from '../measures.ts';
import { unrealizedBreaches } from './position-scope.ts';

export const schema = z.object({ target: positiveMoney }).strict();

// A breach needs unrealized ≥ target (1n: the smallest amount): the same band for every position.
const quietOf = quietPerConfig((cfg: z.infer<typeof schema>) => quiet({ unrealizedHi: cfg.target - 1n }));

function profitAtTarget(u: Fixed, symbol: string, cfg: z.infer<typeof schema>): string | undefined {
  return u >= cfg.target ? `${symbol} unrealized ${formatFixed(u)} ≥ target ${formatFixed(cfg.target)}` : undefined;
}

export const rule005 = defineRule({
  id: 'RULE-005',
  name: 'max_unrealized_profit',
  description: "A single position's unrealized profit reaching the target closes that position (locks the gain in).",
  schema,
  scope: 'position',
  triggers: ['fill', 'quote', 'reset'],
  evaluate(ctx, cfg) {
    return unrealizedBreaches(ctx, 'RULE-005', cfg, profitAtTarget);
  },
  quietBand(_ctx, cfg) {
    return quietOf(cfg);
  },
  distanceToLimit(ctx, cfg) {
    return [...ctx.account.positions.values()]
      .filter((p) => p.qty !== 0n)
      .map((p) => distance('RULE-005', ctx.unrealizedOf(p), cfg.target, p.symbol));
  },
});
