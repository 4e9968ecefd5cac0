/**
 * `sma-cross` (DESIGN §5): long `qty` (default 1) while the close is above its simple moving
 * average of `period` closes (default 30), flat when below. Signals are taken on a bar's close
 * and fill at the next bar's open; the backtester closes an open position at the last close.
 * On quote data each quote's mark (last, else the mid) is a "close" and orders fill on a later quote.
 *
 * Conventions (chosen to match grademark 0.3.0, checked by test/integration/backtest-grademark):
 * - The SMA exists from the `period`-th bar on (index period − 1); no decisions before.
 * - close = SMA exactly is neither an entry nor an exit. The comparison is exact (close × period
 *   vs Σ closes, in bigint), so no floating-point rounding decides a signal.
 * - On the bar whose open filled our order, no new decision is taken (grademark's state machine
 *   only evaluates its rules on bars where no entry/exit executed). Set `decideOnFillBar=true`
 *   to evaluate every bar instead.
 *
 * `stop` (price points, default 0 = none) attaches a protective stop `stop` points below the
 * signal close to each entry (a bracket: the stop works from the entry's fill). Risk configs that
 * require a stop (RULE-008 no-stop grace, RULE-015 projected loss) then let the entries through.
 */
import { formatFixed, type Fixed } from '../../domain/money.ts';
import type { StrategyContext, StrategyDefinition } from '../types.ts';
import { boolParam, decimalParam, intParam } from './params.ts';

export const smaCross: StrategyDefinition = {
  name: 'sma-cross',
  description: 'Long while close > SMA(period), flat when close < SMA(period); fills at the next open.',
  params: {
    period: { default: '30', description: 'SMA length in bars' },
    qty: { default: '1', description: 'position size in units/contracts' },
    decideOnFillBar: { default: 'false', description: 'also decide on the bar whose open filled the last order' },
    stop: { default: '0', description: 'protective stop this many price points below the signal close (0: none)' },
  },
  create(params) {
    const period = intParam(params, 'period');
    const qty = intParam(params, 'qty');
    const decideOnFillBar = boolParam(params, 'decideOnFillBar');
    const stop = params.stop === undefined ? 0n : decimalParam(params, 'stop');
    const closes: Fixed[] = new Array<Fixed>(period).fill(0n);
    const closesNum = new Float64Array(period);
    let count = 0;
    let sumNum = 0;
    // One step per bar close, or per quote mark (quote-driven backtests): the same rule.
    const onClose = (close: Fixed, c: number, ctx: StrategyContext): void => {
      const slot = count % period;
      sumNum += c - (closesNum[slot] as number);
      closesNum[slot] = c;
      closes[slot] = close;
      count++;
      // Re-add from scratch once per window so rounding of the running sum never accumulates.
      if (slot === period - 1) {
        sumNum = 0;
        for (let k = 0; k < period; k++) sumNum += closesNum[k] as number;
      }
      if (count < period) return;
      if (!decideOnFillBar && ctx.lastFillIndex === ctx.index) return;
      const pos = ctx.position;
      if (ctx.pendingOrders > 0 && (stop === 0n || ordersOnTheirWay(ctx, pos))) return; // an order is on its way to the next open
      const side = closeVsSma(c, sumNum, period, close, closes);
      if (pos === 0n) {
        if (side > 0) {
          if (stop === 0n) ctx.buy(qty);
          else ctx.submit({ side: 'buy', type: 'market', qty, bracket: { stopLoss: close - stop } });
        }
      } else if (pos > 0n && side < 0) {
        if (stop !== 0n) ctx.cancelAll(); // the protective stop goes with the position
        ctx.closePosition();
      }
    };
    return {
      onBar: (bar, ctx) => onClose(bar.close, bar.num.close, ctx),
      // Quotes: the mark (last, else the mid) stands for the close; orders fill on a later quote.
      onQuote(q, ctx) {
        const mark = q.last ?? (q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2n : undefined);
        if (mark !== undefined) onClose(mark, Number(formatFixed(mark)), ctx);
      },
    };
  },
};

/**
 * With protective stops: whether an entry or exit is working (the position's own stop is not one).
 * A stop left over from a position closed another way (e.g. by a risk rule) is cancelled.
 */
function ordersOnTheirWay(ctx: StrategyContext, pos: Fixed): boolean {
  let onTheirWay = false;
  for (const o of ctx.openOrders()) {
    if (!o.reduceOnly || o.type !== 'stop') onTheirWay = true;
    else if (pos === 0n) ctx.cancel(o.orderId);
  }
  return onTheirWay;
}

/**
 * Sign of close − SMA, decided exactly. The double computation decides whenever its margin is far
 * beyond its rounding error (relative 1e-9 ≫ period × 2⁻⁵³); near a tie the exact bigint
 * comparison close × period vs Σ closes decides.
 */
function closeVsSma(
  close: number,
  sum: number,
  period: number,
  closeExact: Fixed,
  window: readonly Fixed[],
): -1 | 0 | 1 {
  const diff = close * period - sum;
  const tolerance = 1e-9 * (Math.abs(close) * period + Math.abs(sum)) + 1e-300;
  if (diff > tolerance) return 1;
  if (diff < -tolerance) return -1;
  let exactSum = 0n;
  for (const x of window) exactSum += x;
  const d = closeExact * BigInt(period) - exactSum;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}
