/** RULE-001 max_contracts (DESIGN §3): open contracts > limit. gross = Σ|qty|, net = |Σ qty|. */
import { z } from 'zod';
import { abs, formatFixed, ZERO } from '../../domain/money.ts';
import { quantityLimit } from '../config-types.ts';
import { defineRule, type Breach, NONE } from '../rule.ts';
import { distance, openContracts } from '../measures.ts';

export const schema = z
  .object({
    limit: quantityLimit,
    count: z.enum(['gross', 'net']).default('gross'),
    action: z.enum(['trim', 'close_all']).default('trim'),
  })
  .strict();

export const rule001 = defineRule({
  id: 'RULE-001',
  name: 'max_contracts',
  description: 'Open contracts across all symbols must not exceed the limit.',
  schema,
  scope: 'account',
  triggers: ['fill', 'reset'],
  evaluate(ctx, cfg): Breach[] {
    if (ctx.trigger !== 'fill' && ctx.trigger !== 'reset') return NONE;
    const open = openContracts(ctx.account, cfg.count);
    if (open <= cfg.limit) return NONE;
    const reason = `${formatFixed(open)} open contracts (${cfg.count}) > limit ${formatFixed(cfg.limit)}`;
    if (cfg.action === 'close_all') {
      return [
        { rule: 'RULE-001', action: 'close_all', reason, outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }] },
      ];
    }
    // Trim the symbol that was traded (or, at a reset, the largest position) by the excess.
    const symbol = ctx.fill?.symbol ?? largestPosition(ctx.account.positions);
    const pos = symbol ? ctx.account.positions.get(symbol) : undefined;
    if (!pos || !symbol) return NONE;
    const excess = open - cfg.limit;
    const keep = abs(pos.qty) > excess ? abs(pos.qty) - excess : ZERO;
    return [
      {
        rule: 'RULE-001',
        action: 'trim',
        symbol,
        reason,
        outcomes: [{ kind: 'trim', symbol, toQty: pos.qty > ZERO ? keep : -keep }],
      },
    ];
  },
  preTrade(ctx, cfg) {
    const projected = openContracts(ctx.account, cfg.count, { symbol: ctx.order.symbol, qty: ctx.projectedQty });
    if (projected <= cfg.limit) return undefined;
    return {
      rule: 'RULE-001',
      code: 'MAX_CONTRACTS',
      reason: `order would bring open contracts to ${formatFixed(projected)} > ${formatFixed(cfg.limit)}`,
    };
  },
  distanceToLimit(ctx, cfg) {
    return [distance('RULE-001', openContracts(ctx.account, cfg.count), cfg.limit)];
  },
});

function largestPosition(positions: Map<string, { qty: bigint }>): string | undefined {
  let best: string | undefined;
  let bestQty = ZERO;
  for (const [s, p] of positions) {
    if (abs(p.qty) > bestQty) {
      best = s;
      bestQty = abs(p.qty);
    }
  }
  return best;
}
