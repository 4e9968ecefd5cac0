/**
 * RULE-014 trailing_drawdown (DESIGN §3): equity = balance + cumulative net realized + unrealized
 * (see watermark.ts). Breach when high-water mark − equity > limit (strictly, like every loss
 * limit) → cancel, close all, lock until an admin unlocks (`until: "admin"`): as in prop-firm
 * evaluations, a blown trailing drawdown ends the account rather than the day.
 * `mode: intraday` trails the mark on every fill and quote; `mode: eod` raises it only at the
 * reset, from the end-of-day equity (the loss is still checked on every fill and quote).
 */
import { z } from 'zod';
import { formatFixed, ZERO, type Fixed } from '../../domain/money.ts';
import { positiveMoney } from '../config-types.ts';
import { defineRule, quiet, type QuietBand, type RuleContext, NONE } from '../rule.ts';
import { distance, hasOpenPosition } from '../measures.ts';
import { equityOf, watermarkOf, watermarkState } from '../watermark.ts';
import type { AccountState } from '../account.ts';

export const schema = z
  .object({ limit: positiveMoney, mode: z.enum(['intraday', 'eod']).default('intraday') })
  .strict();
export type TrailingDrawdownConfig = z.output<typeof schema>;

/** Current drawdown from the high-water mark of the configured mode (≥ 0 unless a deposit lifted equity). */
export function drawdown(
  ctx: RuleContext,
  cfg: TrailingDrawdownConfig,
): { hwm: Fixed; equity: Fixed; drawdown: Fixed } {
  const equity = ctx.equity ?? equityOf(ctx.account, (p) => ctx.unrealizedOf(p));
  const hwm = highWaterMark(ctx.account, cfg);
  return { hwm, equity, drawdown: hwm - equity };
}

function highWaterMark(account: AccountState, cfg: TrailingDrawdownConfig): Fixed {
  const w = watermarkOf(account);
  return cfg.mode === 'intraday' ? w.intraday : w.eod;
}

// An account's band, kept with the high-water mark and config it was made for: the same for every
// position of the account, and the mark moves far less often than bands are made.
const lastBand = new WeakMap<AccountState, { hwm: Fixed; cfg: TrailingDrawdownConfig; band: QuietBand }>();
function quietFor(account: AccountState, cfg: TrailingDrawdownConfig): QuietBand {
  const hwm = highWaterMark(account, cfg);
  let last = lastBand.get(account);
  if (last === undefined || last.hwm !== hwm || last.cfg !== cfg)
    lastBand.set(account, (last = { hwm, cfg, band: quiet({ equityLo: hwm - cfg.limit }) }));
  return last.band;
}

export const rule014 = defineRule({
  id: 'RULE-014',
  name: 'trailing_drawdown',
  description:
    'Equity must stay within the limit of its high-water mark; a breach flattens and locks the account until an admin unlocks it.',
  schema,
  scope: 'account',
  limitsLoss: true,
  state: watermarkState,
  triggers: ['fill', 'quote'],
  evaluate(ctx, cfg) {
    if (ctx.trigger !== 'fill' && ctx.trigger !== 'quote') return NONE;
    const d = drawdown(ctx, cfg);
    if (d.drawdown <= cfg.limit) return NONE;
    // Already locked by this rule and flat: nothing left to enforce, do not repeat the breach on every quote.
    if (ctx.account.locks.has('RULE-014') && !hasOpenPosition(ctx.account)) return NONE;
    return [
      {
        rule: 'RULE-014',
        action: 'close_all',
        reason: `equity ${formatFixed(d.equity)} is ${formatFixed(d.drawdown)} below its ${cfg.mode} high-water mark ${formatFixed(d.hwm)} > limit ${formatFixed(cfg.limit)}`,
        outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }, { kind: 'lockout', until: 'admin' }],
      },
    ];
  },
  /**
   * Quiet while equity stays at or above high-water mark − limit (the engine keeps the intraday
   * mark from rising inside the bands, see engine/quiet-bands.ts).
   */
  quietBand(ctx, cfg) {
    return quietFor(ctx.account, cfg);
  },
  distanceToLimit(ctx, cfg) {
    const d = drawdown(ctx, cfg);
    return [distance('RULE-014', d.drawdown > ZERO ? d.drawdown : ZERO, cfg.limit)];
  },
});
