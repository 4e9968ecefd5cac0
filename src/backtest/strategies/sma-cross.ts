/**
 * `sma-cross` (DESIGN §5): long `qty` (default 1) while the close is above its simple moving
 * average of `period` closes (default 30), flat when below. Signals are taken on a bar's close
 * and fill at the next bar's open; the backtester closes an open position at the last close.
 *
 * Conventions (chosen to match grademark 0.3.0, checked by test/integration/backtest-grademark):
 * - The SMA exists from the `period`-th bar on (index period − 1); no decisions before.
 * - close = SMA exactly is neither an entry nor an exit. The comparison is exact (close × period
 *   vs Σ closes, in bigint), so no floating-point rounding decides a signal.
 * - On the bar whose open filled our order, no new decision is taken (grademark's state machine
 *   only evaluates its rules on bars where no entry/exit executed). Set `decideOnFillBar=true`
 *   to evaluate every bar instead.
 */
import type { Fixed } from '../../domain/money.ts';
import type { StrategyDefinition } from '../types.ts';
import { boolParam, intParam } from './params.ts';

export const smaCross: StrategyDefinition = {
  name: 'sma-cross',
  description: 'Long while close > SMA(period), flat when close < SMA(period); fills at the next open.',
  params: {
    period: { default: '30', description: 'SMA length in bars' },
    qty: { default: '1', description: 'position size in units/contracts' },
    decideOnFillBar: { default: 'false', description: 'also decide on the bar whose open filled the last order' },
  },
  create(params) {
    const period = intParam(params, 'period');
    const qty = intParam(params, 'qty');
    const decideOnFillBar = boolParam(params, 'decideOnFillBar');
    const window: Fixed[] = new Array<Fixed>(period).fill(0n);
    const bigPeriod = BigInt(period);
    let count = 0;
    let sum = 0n;
    return {
      onBar(bar, ctx) {
        const slot = count % period;
        sum += bar.close - (window[slot] as Fixed);
        window[slot] = bar.close;
        count++;
        if (count < period) return;
        if (!decideOnFillBar && ctx.lastFillIndex === ctx.index) return;
        if (ctx.pendingOrders > 0) return; // an order is on its way to the next open
        const scaled = bar.close * bigPeriod; // close vs SMA, exactly: close × period vs Σ closes
        if (ctx.position === 0n && scaled > sum) ctx.buy(qty);
        else if (ctx.position > 0n && scaled < sum) ctx.closePosition();
      },
    };
  },
};
