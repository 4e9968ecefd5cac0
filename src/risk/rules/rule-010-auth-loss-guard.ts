/**
 * RULE-010 auth_loss_guard (DESIGN §3): the broker account reports `canTrade=false` (lost
 * authorization, broker-side lock) → cancel, close all, lock until "canTrade". The engine releases
 * that lock when an account event with `canTrade=true` arrives.
 */
import { z } from 'zod';
import { defineRule, NONE } from '../rule.ts';

export const schema = z.object({}).strict();

export const rule010 = defineRule({
  id: 'RULE-010',
  name: 'auth_loss_guard',
  description: 'When the broker reports the account cannot trade, flatten and lock until it can again.',
  schema,
  scope: 'account',
  triggers: ['account'],
  evaluate(ctx) {
    if (ctx.trigger !== 'account' || ctx.account.canTrade) return NONE;
    return [
      {
        rule: 'RULE-010',
        action: 'close_all',
        reason: 'broker reports canTrade=false',
        outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }, { kind: 'lockout', until: 'canTrade' }],
      },
    ];
  },
});
