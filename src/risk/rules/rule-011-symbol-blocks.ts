/**
 * RULE-011 symbol_blocks (DESIGN §3): a symbol matching a blocked pattern (`*`, `?`, case-
 * insensitive, matched against the symbol or its root). Opening orders are rejected; fills that
 * open or increase a position breach (close it); closing fills never breach.
 */
import { z } from 'zod';
import { defineRule, NONE } from '../rule.ts';
import { globToRegExp } from '../measures.ts';
import type { InstrumentTable } from '../../domain/instrument.ts';

export const schema = z.object({ blocked: z.array(z.string().min(1)).default([]) }).strict();

const compiled = new WeakMap<readonly string[], RegExp[]>();

function isBlocked(symbol: string, patterns: readonly string[], instruments: InstrumentTable): string | undefined {
  let res = compiled.get(patterns);
  if (!res) {
    res = patterns.map(globToRegExp);
    compiled.set(patterns, res);
  }
  const root = instruments.root(symbol);
  for (let i = 0; i < res.length; i++) {
    if (res[i]!.test(symbol) || res[i]!.test(root)) return patterns[i];
  }
  return undefined;
}

export const rule011 = defineRule({
  id: 'RULE-011',
  name: 'symbol_blocks',
  description: 'Trading blocked symbols is not allowed: opening orders are rejected and positions in them closed.',
  schema,
  scope: 'position',
  triggers: ['fill'],
  evaluate(ctx, cfg) {
    if (ctx.trigger !== 'fill' || !ctx.fill) return NONE;
    // Only fills that open or increase a position (a flip opens one) breach; closing fills never do.
    if (ctx.fill.openedQty === 0n) return NONE;
    const pattern = isBlocked(ctx.fill.symbol, cfg.blocked, ctx.instruments);
    if (!pattern) return NONE;
    const symbol = ctx.fill.symbol;
    return [
      {
        rule: 'RULE-011',
        action: 'close_position',
        symbol,
        reason: `${symbol} is blocked (${pattern})`,
        outcomes: [{ kind: 'close_position', symbol }],
      },
    ];
  },
  preTrade(ctx, cfg) {
    const pattern = isBlocked(ctx.order.symbol, cfg.blocked, ctx.instruments);
    return pattern
      ? { rule: 'RULE-011', code: 'SYMBOL_BLOCKED', reason: `${ctx.order.symbol} is blocked (${pattern})` }
      : undefined;
  },
});
