/**
 * The candidates' virtual books for the strategy host: each candidate is backtested alone over the
 * bars the host holds (the same engine, instrument table and fills as `riskgate backtest` and
 * `riskgate research select`), giving its per-bar returns marked at bar closes and the position it
 * would hold after its latest decision: its position plus its working market orders (they fill at
 * the next price). Limit and stop orders are not mirrored live: the host trades net positions.
 */
import { runBacktest, type BacktestOptions } from '../backtest/engine.ts';
import type { Bar, Strategy, StrategyContext } from '../backtest/types.ts';
import { ZERO, type Fixed } from '../domain/money.ts';
import { curveReturns, type Candidate } from '../research/select.ts';

export interface VirtualBook {
  /** Per bar: equity_t / equity_(t−1) − 1, the first against the capital. */
  readonly returns: number[];
  /** Signed position after the last bar's decision. */
  readonly position: Fixed;
}

/** Position plus the signed quantity of working market orders. */
function intended(ctx: StrategyContext): Fixed {
  let q = ctx.position;
  for (const o of ctx.openOrders()) {
    if (o.type !== 'market') continue;
    const rest = o.qty - o.filledQty;
    q += o.side === 'buy' ? rest : -rest;
  }
  return q;
}

/** The strategy, reporting what it intends to hold after the bar at `last`. */
function tracked(inner: Strategy, last: number, out: { position: Fixed }): Strategy {
  return {
    onBar(bar, ctx) {
      inner.onBar(bar, ctx);
      if (ctx.index === last) out.position = intended(ctx);
    },
  };
}

/** Every candidate's returns and intended position over `bars`, in candidate order. */
export function runVirtualBooks(
  bars: readonly Bar[],
  candidates: readonly Candidate[],
  base: BacktestOptions,
): VirtualBook[] {
  const capital = Number(base.capital ?? 10_000n * 10n ** 18n) / 1e18;
  return candidates.map((c) => {
    const out = { position: ZERO };
    const strategy = tracked(c.def.create(c.params), bars.length - 1, out);
    const r = runBacktest(bars, strategy, { ...base, params: c.params, strategyName: c.def.name });
    return { returns: curveReturns(capital, r.equity.values), position: out.position };
  });
}
