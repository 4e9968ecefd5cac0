/**
 * Enforcement of risk decisions inside a backtest: what `src/engine/enforcer.ts` does against a
 * live broker, done synchronously against the paper exchange (no retries needed: the paper venue
 * never fails). DESIGN §3: close_all / close_position / trim become reduce-only market orders
 * after the affected working orders are cancelled; cancel_orders cancels; move_stop moves the
 * working stop. Lockouts and cooldowns need nothing here: the engine's pre-trade check rejects
 * later opening orders. In a bar backtest the market orders fill at the next bar's open.
 */
import type { Fixed } from '../domain/money.ts';
import type { Decision } from '../engine/decision.ts';
import type { PaperExchange } from '../adapters/paper/exchange.ts';

function cancelWorking(ex: PaperExchange, account: string, symbol: string | undefined, rule: string): void {
  for (const o of ex.openOrders(account, symbol)) ex.cancel(account, o.orderId, `${rule}: enforcement`);
}

/** Reduce-only market order bringing the position to `keep` (signed, same side or 0); returns 1 if placed. */
function reduceTo(ex: PaperExchange, account: string, symbol: string, keep: Fixed): number {
  const qty = ex.positionQty(account, symbol);
  const abs = qty < 0n ? -qty : qty;
  const keepAbs = keep < 0n ? -keep : keep;
  if (abs <= keepAbs) return 0;
  ex.place(
    { account, symbol, side: qty > 0n ? 'sell' : 'buy', qty: abs - keepAbs, type: 'market', reduceOnly: true },
    true,
  );
  return 1;
}

/** Applies the decisions' outcomes in order; returns the number of reduce-only orders placed. */
export function enforceDecisions(ex: PaperExchange, account: string, decisions: readonly Decision[]): number {
  let placed = 0;
  for (const d of decisions) {
    for (const o of d.outcomes) {
      switch (o.kind) {
        case 'close_all':
          cancelWorking(ex, account, undefined, d.rule);
          for (const p of ex.positions(account)) placed += reduceTo(ex, account, p.symbol, 0n);
          break;
        case 'close_position':
          cancelWorking(ex, account, o.symbol, d.rule);
          placed += reduceTo(ex, account, o.symbol, 0n);
          break;
        case 'trim':
          cancelWorking(ex, account, o.symbol, d.rule);
          placed += reduceTo(ex, account, o.symbol, o.toQty);
          break;
        case 'cancel_orders':
          cancelWorking(ex, account, o.symbol, d.rule);
          break;
        case 'move_stop': {
          const w = ex.openOrders(account).find((x) => x.orderId === o.orderId);
          if (w && w.stopPrice !== o.stopPrice) ex.modify(account, o.orderId, { stopPrice: o.stopPrice });
          break;
        }
        default:
          break; // cooldown / lockout: engine state; reject: pre-trade; alert: reported only
      }
    }
  }
  return placed;
}
