/**
 * RULE-016 order_rate / notional (DESIGN §3): new-order lane limits, checked pre-trade on opening
 * orders only (a risk-reducing order never reaches pre-trade, invariant 1):
 *   - `maxOrdersPerSecond`: accepted opening orders placed in (t − 1 s, t], this one included;
 *   - `maxOrderQty`: the order's qty;
 *   - `maxNotional`: qty × price (the limit price, else the stop price, else the mark) × pointValue.
 * Orders riskgate rejected never went out, so they do not use up the rate.
 */
import { z } from 'zod';
import { abs, formatFixed, fromInt } from '../../domain/money.ts';
import { moneyForPoints } from '../../domain/position.ts';
import { positiveMoney, quantityLimit } from '../config-types.ts';
import { defineRule } from '../rule.ts';
import { distance } from '../measures.ts';
import { activityState, openingOrdersLastSecond } from '../activity.ts';

export const schema = z
  .object({
    maxOrdersPerSecond: z.number().int().min(1).optional(),
    maxOrderQty: quantityLimit.optional(),
    maxNotional: positiveMoney.optional(),
  })
  .strict();

export const rule016 = defineRule({
  id: 'RULE-016',
  name: 'order_rate',
  description: 'Limits the rate, size and notional value of new (opening) orders.',
  schema,
  scope: 'account',
  state: activityState,
  triggers: [],
  preTrade(ctx, cfg) {
    const o = ctx.order;
    const problems: { code: string; text: string }[] = [];
    if (cfg.maxOrdersPerSecond !== undefined) {
      const n = openingOrdersLastSecond(ctx.account, ctx.now) + 1;
      if (n > cfg.maxOrdersPerSecond)
        problems.push({ code: 'ORDER_RATE', text: `${n} orders in 1s > ${cfg.maxOrdersPerSecond}` });
    }
    if (cfg.maxOrderQty !== undefined && o.qty > cfg.maxOrderQty) {
      problems.push({ code: 'ORDER_QTY', text: `qty ${formatFixed(o.qty)} > ${formatFixed(cfg.maxOrderQty)}` });
    }
    if (cfg.maxNotional !== undefined) {
      const price = o.price ?? o.stopPrice ?? ctx.markOf(o.symbol);
      const instrument = ctx.instruments.find(o.symbol);
      if (price !== undefined && instrument) {
        const notional = abs(moneyForPoints(price, o.qty, instrument));
        if (notional > cfg.maxNotional)
          problems.push({
            code: 'ORDER_NOTIONAL',
            text: `notional ${formatFixed(notional)} > ${formatFixed(cfg.maxNotional)}`,
          });
      }
    }
    if (!problems.length) return undefined;
    return { rule: 'RULE-016', code: problems[0]!.code, reason: problems.map((p) => p.text).join('; ') };
  },
  distanceToLimit(ctx, cfg) {
    return cfg.maxOrdersPerSecond === undefined
      ? []
      : [distance('RULE-016', fromInt(openingOrdersLastSecond(ctx.account, ctx.now)), fromInt(cfg.maxOrdersPerSecond))];
  },
});
