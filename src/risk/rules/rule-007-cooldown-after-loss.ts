/**
 * RULE-007 cooldown_after_loss (DESIGN §3): a closing fill whose realized loss reaches a tier
 * (the biggest tier met wins) starts a cooldown of that tier's duration from the fill's ts.
 * The loss of a fill is its gross realized P&L (what a trader calls "a loss of 250 on that
 * trade"); `includeFees: true` adds that fill's fee. Reaching a tier counts (≥), as for every
 * loss tier in DESIGN §3. The cooldown is account-wide (no symbol).
 */
import { z } from 'zod';
import { formatFixed, ZERO } from '../../domain/money.ts';
import { isoOf } from '../../domain/events.ts';
import { duration, positiveMoney } from '../config-types.ts';
import { defineRule, NONE } from '../rule.ts';

export const schema = z
  .object({
    tiers: z.array(z.object({ loss: positiveMoney, cooldown: duration }).strict()).min(1),
    includeFees: z.boolean().default(false),
  })
  .strict();

export const rule007 = defineRule({
  id: 'RULE-007',
  name: 'cooldown_after_loss',
  description: 'A losing trade (closing fill) of at least a tier amount starts a cooldown of that tier.',
  schema,
  scope: 'account',
  triggers: ['fill'],
  evaluate(ctx, cfg) {
    if (ctx.trigger !== 'fill' || !ctx.fill || ctx.fill.closedQty === ZERO) return NONE;
    const loss = -(ctx.fill.realized - (cfg.includeFees ? ctx.fill.fee : ZERO));
    if (loss <= ZERO) return NONE;
    let tier: { loss: bigint; cooldown: number } | undefined;
    for (const t of cfg.tiers) if (loss >= t.loss && (!tier || t.loss > tier.loss)) tier = t;
    if (!tier) return NONE;
    const until = ctx.now + tier.cooldown;
    return [
      {
        rule: 'RULE-007',
        action: 'cooldown',
        reason: `${ctx.fill.symbol} closing fill lost ${formatFixed(loss)} ≥ tier ${formatFixed(tier.loss)}: cooling down until ${isoOf(until)}`,
        outcomes: [{ kind: 'cooldown', until }],
      },
    ];
  },
});
