/**
 * RULE-002 max_contracts_per_instrument (DESIGN §3): |qty| of a symbol > its limit. Limits are
 * keyed by root and count Σ|qty| over all its contract months; symbols without a limit follow
 * `unknownSymbol`: `block` (any position breaches), `allow`, or a number.
 */
import { z } from 'zod';
import { abs, formatFixed, ZERO, type Fixed } from '../../domain/money.ts';
import { quantityLimit } from '../config-types.ts';
import { defineRule, type Breach, type RuleContext } from '../rule.ts';
import { distance } from '../measures.ts';

export const schema = z
  .object({
    limits: z.record(z.string(), quantityLimit).default({}),
    unknownSymbol: z.union([z.enum(['block', 'allow']), quantityLimit]).default('block'),
    action: z.enum(['trim', 'close_position']).default('trim'),
  })
  .strict();
type Config = z.output<typeof schema>;

/** The limit of a root, or undefined when unlimited. */
function limitOf(root: string, cfg: Config): Fixed | undefined {
  const own = cfg.limits[root];
  if (own !== undefined) return own;
  if (cfg.unknownSymbol === 'allow') return undefined;
  if (cfg.unknownSymbol === 'block') return ZERO;
  return cfg.unknownSymbol;
}

/** Σ|qty| over every contract month of `root`, with an optional projected qty for one symbol. */
function rootQty(ctx: RuleContext, root: string, override?: { symbol: string; qty: Fixed }): Fixed {
  let total = ZERO;
  for (const [symbol, p] of ctx.account.positions) {
    if (ctx.instruments.root(symbol) !== root) continue;
    total += abs(override && override.symbol === symbol ? override.qty : p.qty);
  }
  if (override && !ctx.account.positions.has(override.symbol) && ctx.instruments.root(override.symbol) === root)
    total += abs(override.qty);
  return total;
}

export const rule002 = defineRule({
  id: 'RULE-002',
  name: 'max_contracts_per_instrument',
  description: 'Contracts held in one instrument (all months of a root) must not exceed its limit.',
  schema,
  scope: 'position',
  triggers: ['fill', 'reset'],
  evaluate(ctx, cfg): Breach[] {
    const symbols =
      ctx.trigger === 'fill' && ctx.fill
        ? [ctx.fill.symbol]
        : ctx.trigger === 'reset'
          ? [...ctx.account.positions.keys()]
          : [];
    const out: Breach[] = [];
    for (const symbol of symbols) {
      const pos = ctx.account.positions.get(symbol);
      if (!pos || pos.qty === ZERO) continue;
      const root = ctx.instruments.root(symbol);
      const limit = limitOf(root, cfg);
      if (limit === undefined) continue;
      const held = rootQty(ctx, root);
      if (held <= limit) continue;
      const reason = `${formatFixed(held)} contracts of ${root} > limit ${formatFixed(limit)}`;
      if (cfg.action === 'close_position' || limit === ZERO) {
        out.push({
          rule: 'RULE-002',
          action: 'close_position',
          symbol,
          reason,
          outcomes: [{ kind: 'close_position', symbol }],
        });
      } else {
        const excess = held - limit;
        const keep = abs(pos.qty) > excess ? abs(pos.qty) - excess : ZERO;
        out.push({
          rule: 'RULE-002',
          action: 'trim',
          symbol,
          reason,
          outcomes: [{ kind: 'trim', symbol, toQty: pos.qty > ZERO ? keep : -keep }],
        });
      }
    }
    return out;
  },
  preTrade(ctx, cfg) {
    const root = ctx.instruments.root(ctx.order.symbol);
    const limit = limitOf(root, cfg);
    if (limit === undefined) return undefined;
    const projected = rootQty(ctx, root, { symbol: ctx.order.symbol, qty: ctx.projectedQty });
    if (projected <= limit) return undefined;
    return {
      rule: 'RULE-002',
      code: 'MAX_CONTRACTS_PER_INSTRUMENT',
      reason: `order would bring ${root} to ${formatFixed(projected)} > ${formatFixed(limit)}`,
    };
  },
  distanceToLimit(ctx, cfg) {
    const roots = new Set([...ctx.account.positions.keys()].map((s) => ctx.instruments.root(s)));
    const out = [];
    for (const root of roots) {
      const limit = limitOf(root, cfg);
      if (limit !== undefined) out.push(distance('RULE-002', rootQty(ctx, root), limit, root));
    }
    return out;
  },
});
