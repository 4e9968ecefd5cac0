/** RULE-004 daily_unrealized_loss (DESIGN §3): one position's unrealized P&L < −limit → close it. */
import { z } from 'zod';
import { formatFixed, type Fixed } from '../../domain/money.ts';
import { nonNegativeMoney } from '../config-types.ts';
import { defineRule, quiet, quietPerConfig } from '../rule.ts';
import { distance } from '../measures.ts';
import { unrealizedBreaches } from './position-scope.ts';

export const schema = z.object({ limit: nonNegativeMoney }).strict();

// A breach needs unrealized < −limit: the same band for every position.
const quietOf = quietPerConfig((cfg: z.infer<typeof schema>) => quiet({ unrealizedLo: -cfg.limit }));

function lossBeyondLimit(u: Fixed, symbol: string, cfg: z.infer<typeof schema>): string | undefined {
  return u < -cfg.limit ? `${symbol} unrealized ${formatFixed(u)} < −${formatFixed(cfg.limit)}` : undefined;
}

export const rule004 = defineRule({
  id: 'RULE-004',
  name: 'daily_unrealized_loss',
  description: "A single position's unrealized loss must not exceed the limit; a breach closes that position.",
  schema,
  scope: 'position',
  triggers: ['fill', 'quote', 'reset'],
  evaluate(ctx, cfg) {
    return unrealizedBreaches(ctx, 'RULE-004', cfg, lossBeyondLimit);
  },
  quietBand(_ctx, cfg) {
    return quietOf(cfg);
  },
  distanceToLimit(ctx, cfg) {
    return [...ctx.account.positions.values()]
      .filter((p) => p.qty !== 0n)
      .map((p) => distance('RULE-004', -ctx.unrealizedOf(p), cfg.limit, p.symbol));
  },
});
