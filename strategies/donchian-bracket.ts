/**
 * Example strategy file using the paper engine's order types: when flat, a buy stop one tick
 * above the highest high of the last `lookback` bars, with a bracket (stop loss `stopPct` % below
 * the entry level, target `targetPct` % above). The working entry is re-placed every bar.
 *   npx riskgate backtest --strategy strategies/donchian-bracket.ts --param lookback=20
 */
import { parseFixed, mul, type Fixed } from '../src/domain/money.ts';
import type { StrategyDefinition } from '../src/backtest/types.ts';

const percent = (text: string | undefined): Fixed => mul(parseFixed(text ?? '0'), parseFixed('0.01'));

export const strategy: StrategyDefinition = {
  name: 'donchian-bracket',
  description: 'Buy-stop breakout of the N-bar high with a stop-loss / take-profit bracket.',
  params: {
    lookback: { default: '20', description: 'bars in the channel' },
    stopPct: { default: '2', description: 'stop loss distance in % of the entry level' },
    targetPct: { default: '4', description: 'profit target distance in % of the entry level' },
  },
  create(params) {
    const lookback = Number(params.lookback);
    const stopPct = percent(params.stopPct);
    const targetPct = percent(params.targetPct);
    const tick = parseFixed('0.01');
    return {
      onBar(_bar, ctx) {
        if (ctx.index < lookback - 1 || ctx.position !== 0n) return;
        let high = 0n;
        for (let k = 0; k < lookback; k++) {
          const b = ctx.barsAgo(k);
          if (b && b.high > high) high = b.high;
        }
        const entry = high + tick;
        ctx.cancelAll();
        ctx.submit({
          side: 'buy',
          type: 'stop',
          stopPrice: entry,
          qty: 1,
          bracket: { stopLoss: entry - mul(entry, stopPct), takeProfit: entry + mul(entry, targetPct) },
        });
      },
    };
  },
};
