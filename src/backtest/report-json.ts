/** `--report json` exactly as DESIGN §5: {"trades":[…],"stats":{…},"bars":N} (+ cagrPct in stats). */
import type { BacktestResult } from './types.ts';

export function jsonReport(r: BacktestResult): string {
  const s = r.stats;
  const stats = {
    trades: s.trades,
    netPnl: s.netPnl,
    totalReturnPct: s.totalReturnPct,
    maxDrawdownPct: s.maxDrawdownPct,
    sharpe: s.sharpe,
    sortino: s.sortino,
    winRate: s.winRate,
    profitFactor: s.profitFactor,
    exposurePct: s.exposurePct,
    cagrPct: s.cagrPct,
  };
  const trades = r.trades.map((t) => ({
    symbol: t.symbol,
    side: t.side,
    qty: t.qty,
    entryTime: t.entryTime,
    entryPrice: t.entryPrice,
    exitTime: t.exitTime,
    exitPrice: t.exitPrice,
    pnl: t.pnl,
  }));
  return JSON.stringify({ trades, stats, bars: r.bars });
}
