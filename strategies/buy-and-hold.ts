/**
 * Example strategy file: buy `qty` on the first bar (filled at the second bar's open) and hold;
 * the backtester closes the position at the last close.
 *   npx riskgate backtest --strategy strategies/buy-and-hold.ts --param qty=2
 */
import type { StrategyDefinition } from '../src/backtest/types.ts';

const buyAndHold: StrategyDefinition = {
  name: 'buy-and-hold',
  description: 'Buy once on the first bar and hold to the end.',
  params: { qty: { default: '1', description: 'units to buy' } },
  create(params) {
    const qty = Number(params.qty);
    return {
      onBar(_bar, ctx) {
        if (ctx.index === 0) ctx.buy(qty);
      },
    };
  },
};

export default buyAndHold;
